"""Scenario apps: one module per framework under each scenario folder."""
