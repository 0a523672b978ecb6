"""Scenario `body`: POST /users with a 20-property JSON body validated by a schema."""
