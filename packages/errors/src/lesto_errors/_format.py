"""printf-style formatting that never raises.

An error constructor that fails hides the error it was building, so a
mismatch between placeholders and arguments is tolerated: placeholders
with no argument stay visible and arguments with no placeholder are
appended, separated by spaces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# One printf conversion: flags, width, precision and a conversion letter.
# Mapping keys (``%(name)s``) are not supported and stay visible.
_PLACEHOLDER = re.compile(r"%[#0\- +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def format_message(template: str, args: Sequence[object]) -> str:
    """Fill ``template``'s printf placeholders from ``args`` without ever raising."""
    if not args and "%%" not in template:
        return template
    remaining = iter(args)
    used = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal used
        spec = match.group(0)
        if spec == "%%":
            return "%"
        if used >= len(args):
            return spec
        value = next(remaining)
        used += 1
        try:
            return spec % (value,)
        except (TypeError, ValueError, OverflowError):
            return str(value)

    text = _PLACEHOLDER.sub(substitute, template)
    extra = [str(value) for value in remaining]
    if extra:
        text = " ".join([text, *extra]) if text else " ".join(extra)
    return text
