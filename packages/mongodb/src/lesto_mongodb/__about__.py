"""Version of the lesto-mongodb package."""

__version__ = "0.1.0"
