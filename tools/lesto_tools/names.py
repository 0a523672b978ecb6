"""Names of a new plugin: normalised from what the user typed, validated against the workspace."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ToolError

__all__ = ["PluginNames", "plugin_names"]

_SHORT = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SEPARATORS = re.compile(r"[\s_.\-]+")


@dataclass(frozen=True)
class PluginNames:
    """Every spelling of one plugin's name."""

    short: str
    """Folder and short name: ``rate-limit``."""

    @property
    def dist(self) -> str:
        """Distribution name: ``lesto-rate-limit``."""
        return f"lesto-{self.short}"

    @property
    def import_name(self) -> str:
        """Import name: ``lesto_rate_limit``."""
        return f"lesto_{self.decorator}"

    @property
    def decorator(self) -> str:
        """The instance decorator the plugin adds: ``rate_limit`` (``app.rate_limit``)."""
        return self.short.replace("-", "_")

    @property
    def error_prefix(self) -> str:
        """Prefix of the plugin's error codes: ``LST_RATE_LIMIT_ERR``."""
        return f"LST_{self.decorator.upper()}_ERR"

    @property
    def title(self) -> str:
        """Words for prose: ``Rate limit``."""
        return self.short.replace("-", " ").capitalize()


def plugin_names(raw: str, taken: Iterable[str] = (), reserved: Iterable[str] = ()) -> PluginNames:
    """Normalise ``raw`` (``Rate_Limit``, ``lesto-rate-limit``...) and validate it.

    ``taken`` holds the folder, distribution and import names already in the
    workspace; ``reserved`` the attribute names a decorator may not take.

    Raises:
        ToolError: the name is empty, not an identifier once normalised, a
            Python keyword, reserved, or already used in the workspace.
    """
    short = _normalise(raw)
    if not short or not _SHORT.match(short):
        raise ToolError(
            f"invalid plugin name {raw!r}: after normalising to {short!r} it must be letters,"
            " digits and dashes, start with a letter, and give a Python identifier"
            " (lesto_<name>)"
        )
    names = PluginNames(short)
    if keyword.iskeyword(names.decorator):
        raise ToolError(f"invalid plugin name {raw!r}: {names.decorator!r} is a Python keyword")
    if names.decorator in set(reserved):
        raise ToolError(
            f"invalid plugin name {raw!r}: app.{names.decorator} is already an attribute of Lesto"
        )
    clash = {names.short, names.dist, names.import_name} & set(taken)
    if clash:
        raise ToolError(
            f"plugin name {raw!r} clashes with an existing package ({', '.join(sorted(clash))})"
        )
    return names


def _normalise(raw: str) -> str:
    short = _SEPARATORS.sub("-", raw.strip().lower()).strip("-")
    return short.removeprefix("lesto-")
