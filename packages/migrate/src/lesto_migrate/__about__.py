"""Version of the lesto-migrate package."""

__version__ = "0.1.0"
