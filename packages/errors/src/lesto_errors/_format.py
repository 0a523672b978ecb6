"""printf-style formatting that never raises.

An error constructor that fails hides the error it was building, so a
mismatch between placeholders and arguments is tolerated: placeholders
with no argument stay visible, arguments with no placeholder are appended
(separated by spaces), and a value that cannot be converted as asked is
shown with ``str()`` (or, if even that fails, as ``<unprintable TYPE>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

# One printf conversion: flags, width, precision and a conversion letter.
# Mapping keys (``%(name)s``) and ``*`` widths are not supported and stay visible.
_PLACEHOLDER = re.compile(r"%[#0\- +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_MISSING = object()


def format_message(template: str, args: Sequence[object]) -> str:
    """Fill ``template``'s printf placeholders from ``args`` without ever raising."""
    if not args and "%" not in template:
        return template
    remaining = iter(args)
    text = _PLACEHOLDER.sub(lambda match: _convert(match.group(0), remaining), template)
    extra = [_safe_str(value) for value in remaining]
    if not extra:
        return text
    return " ".join([text, *extra]) if text else " ".join(extra)


def _convert(spec: str, remaining: Iterator[object]) -> str:
    """One placeholder's text: the next argument converted by ``spec``, or ``spec`` itself."""
    if spec.endswith("%"):
        return "%"
    value = next(remaining, _MISSING)
    if value is _MISSING:
        return spec
    try:
        return spec % (value,)
    except Exception:
        return _safe_str(value)


def _safe_str(value: object) -> str:
    """``str(value)``, or a placeholder naming its type when ``__str__`` itself fails."""
    try:
        return str(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"
