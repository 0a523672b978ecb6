"""Version of the lesto-warnings package."""

__version__ = "0.1.0"
