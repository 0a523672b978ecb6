"""The one exception the tools raise for a refusal the user can act on."""

from __future__ import annotations

__all__ = ["ToolError"]


class ToolError(Exception):
    """A refusal with a message meant for the user (printed without a traceback, exit code 1)."""
