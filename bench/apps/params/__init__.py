"""Scenario `params`: GET /users/:id?fields=... with an integer path param,
a query schema and a response schema that drops the `password` field."""
