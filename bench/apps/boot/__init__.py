"""Scenario `boot`: build an app of 100 plugins (or routers) of 10 routes each, start it,
answer one request; each framework in a fresh process (apps/boot/measure.py)."""
