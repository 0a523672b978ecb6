"""Helpers of Lesto's reliability and security suite (docs/reliability.md)."""
