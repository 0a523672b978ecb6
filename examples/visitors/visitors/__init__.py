"""The visitors example: the seed's demo application on Lesto.

``build_app(config)`` is the application factory (reads no configuration);
``visitors.main`` is the start module (loads configuration, provisions
missing services, builds and listens).
"""

from .app import build_app
from .config import AppConfig, ConfigError, Settings, load_settings

__all__ = ["AppConfig", "ConfigError", "Settings", "build_app", "load_settings"]
