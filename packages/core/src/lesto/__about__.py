"""Version of the lesto package."""

__version__ = "0.1.0"
