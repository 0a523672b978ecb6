"""Version of the lesto-errors package."""

__version__ = "0.1.0"
