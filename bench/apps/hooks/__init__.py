"""Scenario `hooks`: 5 `on_request` and 5 `pre_handler` hooks, each adding 1 to a request
decorator `hits` (initial 0); `GET /` answers {"hits": 10}."""

HOOKS = 5
