"""Scenario `redis`: GET /foo?key=... reads one key from Redis (REDIS_URL, seeded by
harness/services.py) and answers {"key": ..., "value": ...}."""

import os


def redis_url() -> str:
    return os.environ["REDIS_URL"]
