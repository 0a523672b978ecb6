"""Moving a CHANGELOG's "Unreleased" section under a released version (Keep a Changelog)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .errors import ToolError

__all__ = ["Section", "release_changelog", "sections"]

_HEADING = re.compile(r"^## +(?P<title>.+?) *$", re.MULTILINE)
_UNRELEASED = re.compile(r"^\[?unreleased\]?$", re.IGNORECASE)
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Section:
    """A ``## `` section: its title, and where its heading and body are in the text."""

    title: str
    start: int
    body_start: int
    end: int

    def body(self, text: str) -> str:
        """The section's text below the heading, stripped."""
        return text[self.body_start : self.end].strip()

    @property
    def is_unreleased(self) -> bool:
        """Whether this is the "Unreleased" section."""
        return bool(_UNRELEASED.match(self.title))

    def version(self) -> str:
        """The version a release heading names (``[0.2.0] - 2025-01-01`` gives ``0.2.0``)."""
        return self.title.split(" ", 1)[0].strip("[]")


def sections(text: str) -> list[Section]:
    """The ``## `` sections of a changelog, in order."""
    matches = list(_HEADING.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)]
    return [
        Section(m.group("title"), m.start(), m.end(), end)
        for m, end in zip(matches, ends, strict=True)
    ]


def release_changelog(text: str, version: str, date: datetime.date) -> str:
    """``text`` with the Unreleased entries under ``## [version] - date``, Unreleased left empty.

    A pending section for ``version`` (``## [0.1.0] - unreleased``, no date)
    gets the date and takes the Unreleased entries first.

    Raises:
        ToolError: no Unreleased section, or nothing to release in it.
    """
    found = sections(text)
    unreleased = next((s for s in found if s.is_unreleased), None)
    if unreleased is None:
        raise ToolError('the CHANGELOG has no "## [Unreleased]" section')
    pending = next((s for s in found if _is_pending(s, version)), None)
    entries = [unreleased.body(text)] + ([pending.body(text)] if pending else [])
    entries = [entry for entry in entries if entry]
    if not entries:
        raise ToolError(
            'the CHANGELOG\'s "Unreleased" section is empty: describe the changes being released'
        )
    released = f"## [{version}] - {date.isoformat()}\n\n" + "\n\n".join(entries) + "\n\n"
    head = text[: unreleased.body_start].rstrip("\n") + "\n\n" + released
    if pending is None:
        rest = text[unreleased.end :].lstrip("\n")
    else:
        rest = text[unreleased.end : pending.start].lstrip("\n") + text[pending.end :].lstrip("\n")
    return (head + rest).rstrip("\n") + "\n"


def _is_pending(section: Section, version: str) -> bool:
    return section.version() == version and not _DATED.search(section.title)
