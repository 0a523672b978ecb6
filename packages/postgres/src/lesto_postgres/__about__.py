"""Version of the lesto-postgres package."""

__version__ = "0.1.0"
