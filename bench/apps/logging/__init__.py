"""Scenario `logging`: the hello route with request logging off, or on with BENCH_LOG=1."""

import os

LOG = os.environ.get("BENCH_LOG") == "1"
