"""Version ranges between workspace packages: the default range for a version, and admission."""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

__all__ = ["admits", "compatible_range"]


def compatible_range(version: str) -> str:
    """The range a new dependent should declare: ``>=0.1,<1`` for 0.1.3, ``>=2.4,<3`` for 2.4.0."""
    parsed = Version(version)
    return f">={parsed.major}.{parsed.minor},<{parsed.major + 1}"


def admits(requirement: Requirement, version: str) -> bool:
    """Whether ``requirement``'s specifier accepts ``version`` (pre-releases count)."""
    try:
        return requirement.specifier.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False
