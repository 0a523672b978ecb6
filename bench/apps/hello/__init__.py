"""Scenario `hello`: GET / answers {"hello": "world"}."""
