"""Version of the lesto-testing package."""

__version__ = "0.1.0"
