"""Scenario `postgres`: GET /users/:id selects one row by primary key (DATABASE_URL, seeded by
harness/services.py); every app uses a pool of POOL_SIZE connections."""

import os

SQL = "SELECT id, name, email FROM users WHERE id = $1"
POOL_SIZE = 10


def database_url() -> str:
    return os.environ["DATABASE_URL"]
