"""Route paths: from the text a user writes to the parts the tree is made of.

A path is a sequence of parts:

- :class:`StaticPart`, literal text (``::`` stands for one ``:``);
- :class:`ParamPart`, one path segment (up to the next ``/``) holding one or
  more parameters, written ``:name`` or ``{name}``, optionally followed by a
  regex in parentheses (``:id(^\\d+)``), with literal text between or after
  them (``:lat-:lng``, ``:file(^\\d+).png``);
- :class:`WildcardPart`, ``*`` as the last character, captured as ``"*"``.

An optional last parameter (``/:id?``) is expanded into two paths first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lesto import errors

__all__ = [
    "ParamPart",
    "ParsedPath",
    "Part",
    "StaticPart",
    "WildcardPart",
    "expand_optional",
    "parse_path",
]

# Characters that end a ``:name`` parameter name.
_NAME_END = frozenset("(-./:{}*?")
# Characters a ``{name}`` parameter name may not contain.
_BRACE_NAME_FORBIDDEN = frozenset("/(){}:*?")
# ``/:name?`` optionally followed by one slash: an optional parameter.
_OPTIONAL = re.compile(r"/:([^/()?]+)\?(/?)")


@dataclass(frozen=True, slots=True)
class StaticPart:
    """Literal text, already normalised for the tree (case, ``%``)."""

    text: str


@dataclass(frozen=True, slots=True)
class ParamPart:
    """One segment with parameters.

    ``regex`` is None for a lone plain parameter; otherwise the segment's
    decoded value must fully match it, and ``groups`` are the group numbers
    holding each parameter. ``key`` identifies the segment's shape without
    its names (two routes share a tree node when their keys are equal);
    ``label`` is the segment as written; ``suffix`` is its trailing literal text.
    """

    key: str
    label: str
    names: tuple[str, ...]
    regex: re.Pattern[str] | None
    groups: tuple[int, ...]
    suffix: str | None


@dataclass(frozen=True, slots=True)
class WildcardPart:
    """The trailing ``*``."""


Part = StaticPart | ParamPart | WildcardPart


@dataclass(frozen=True, slots=True)
class ParsedPath:
    """A route path as tree parts, its parameter names and its name-free shape."""

    parts: tuple[Part, ...]
    names: tuple[str, ...]
    key: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Param:
    """A parameter token: its name, its regex body (or None) and its source text."""

    name: str
    regex: str | None
    label: str


_Token = str | _Param | WildcardPart


def _invalid(path: str, reason: str) -> errors.LestoError:
    return errors.LST_ERR_ROUTER_INVALID_PATH(path, reason)


def expand_optional(path: str) -> list[str]:
    """The paths an optional last parameter stands for: ``/a/:id?`` -> ``/a/:id``, ``/a``."""
    match = _OPTIONAL.search(path)
    if match is None:
        return [path]
    if match.end() != len(path):
        raise _invalid(path, "an optional parameter must be the last part of the path")
    head = path[: match.start()]
    tail = match.group(2)
    return [f"{head}/:{match.group(1)}{tail}", (head + tail) or "/"]


def parse_path(path: str, case_sensitive: bool) -> ParsedPath:
    """Parse a route path (already slash-normalised) into tree parts.

    Raises:
        LST_ERR_ROUTER_INVALID_PATH: the path is malformed.
    """
    if not path or path[0] not in "/*":
        raise _invalid(path, "a path must start with '/' or '*'")
    tokens = _tokenize(path)
    parts = _group(path, tokens, case_sensitive)
    names = tuple(name for part in parts for name in _part_names(part))
    if len(set(names)) != len(names):
        raise _invalid(path, "a parameter name is used twice")
    return ParsedPath(parts, names, tuple(_part_key(part) for part in parts))


def _part_names(part: Part) -> tuple[str, ...]:
    if isinstance(part, ParamPart):
        return part.names
    if isinstance(part, WildcardPart):
        return ("*",)
    return ()


def _part_key(part: Part) -> str:
    if isinstance(part, StaticPart):
        return "s" + part.text
    if isinstance(part, ParamPart):
        return "p" + part.key
    return "*"


# --- tokens --------------------------------------------------------------------------------


# The characters that start a parameter or wildcard, or close a brace parameter.
_SPECIAL = re.compile(r"[:{}*]")


def _tokenize(path: str) -> list[_Token]:
    """Split a path into literal strings, parameters and a trailing wildcard."""
    tokens: list[_Token] = []
    literal: list[str] = []
    index = 0
    while index < len(path):
        match = _SPECIAL.search(path, index)
        if match is None:
            literal.append(path[index:])
            break
        start = match.start()
        if start > index:
            literal.append(path[index:start])
        if path.startswith("::", start):
            literal.append(":")
            index = start + 2
            continue
        if path[start] == "}":
            raise _invalid(path, "'}' without a matching '{'")
        if literal:
            tokens.append("".join(literal))
            literal = []
        index = _read_special(path, start, tokens)
    if literal:
        tokens.append("".join(literal))
    return tokens


def _read_special(path: str, index: int, tokens: list[_Token]) -> int:
    """Read the parameter or wildcard at ``index``; return the index after it."""
    char = path[index]
    if char == "*":
        if index != len(path) - 1:
            raise _invalid(path, "a wildcard '*' must be the last character")
        tokens.append(WildcardPart())
        return index + 1
    if char == "{":
        return _read_brace_param(path, index, tokens)
    return _read_colon_param(path, index, tokens)


def _read_colon_param(path: str, index: int, tokens: list[_Token]) -> int:
    end = index + 1
    while end < len(path) and path[end] not in _NAME_END:
        end += 1
    name = path[index + 1 : end]
    if not name:
        raise _invalid(path, f"a parameter at index {index} has no name")
    regex: str | None = None
    if end < len(path) and path[end] == "(":
        close = _closing_parenthesis(path, end)
        regex = _strip_anchors(path[end + 1 : close])
        end = close + 1
    tokens.append(_Param(name, regex, path[index:end]))
    return end


def _read_brace_param(path: str, index: int, tokens: list[_Token]) -> int:
    close = path.find("}", index)
    if close == -1:
        raise _invalid(path, "'{' without a matching '}'")
    name = path[index + 1 : close]
    if not name or any(char in _BRACE_NAME_FORBIDDEN for char in name):
        raise _invalid(path, f"invalid parameter name '{{{name}}}'")
    tokens.append(_Param(name, None, path[index : close + 1]))
    return close + 1


def _closing_parenthesis(path: str, start: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``start`` (backslash escapes skipped)."""
    depth = 0
    index = start
    while index < len(path):
        char = path[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise _invalid(path, "a parameter regex has no closing parenthesis")


def _strip_anchors(body: str) -> str:
    """Drop a leading ``^`` and an unescaped trailing ``$``: the whole value must match."""
    if body.startswith("^"):
        body = body[1:]
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    return body


# --- parts ---------------------------------------------------------------------------------


def _group(path: str, tokens: list[_Token], case_sensitive: bool) -> tuple[Part, ...]:
    """Turn tokens into parts: a parameter segment runs to the next ``/``."""
    parts: list[Part] = []
    segment: list[str | _Param] = []
    for token in tokens:
        if isinstance(token, WildcardPart):
            if segment:
                raise _invalid(path, "a wildcard cannot follow a parameter in the same segment")
            parts.append(token)
        elif isinstance(token, _Param):
            segment.append(token)
        elif segment:
            inside, slash, rest = token.partition("/")
            if inside:
                segment.append(inside)
            if slash:
                parts.append(_param_part(path, segment, case_sensitive))
                segment = []
                parts.append(_static_part(slash + rest, case_sensitive))
        else:
            parts.append(_static_part(token, case_sensitive))
    if segment:
        parts.append(_param_part(path, segment, case_sensitive))
    return tuple(parts)


def _static_part(text: str, case_sensitive: bool) -> StaticPart:
    # Requests are matched in a form where "%" is still "%25" (see decoding.py).
    text = text.replace("%", "%25")
    return StaticPart(text if case_sensitive else text.lower())


def _param_part(path: str, segment: list[str | _Param], case_sensitive: bool) -> ParamPart:
    names = tuple(piece.name for piece in segment if isinstance(piece, _Param))
    label = "".join(piece if isinstance(piece, str) else piece.label for piece in segment)
    last = segment[-1]
    suffix = last if isinstance(last, str) else None
    if len(segment) == 1 and isinstance(last, _Param) and last.regex is None:
        return ParamPart("", label, names, None, (), None)
    source, groups = _segment_regex(path, segment, case_sensitive)
    try:
        regex = re.compile(source)
    except re.error as error:
        raise _invalid(path, f"bad parameter regex ({error})") from error
    return ParamPart(source, label, names, regex, groups, suffix)


def _segment_regex(
    path: str, segment: list[str | _Param], case_sensitive: bool
) -> tuple[str, tuple[int, ...]]:
    """The regex a whole segment must match, and the group number of each parameter.

    As in find-my-way: the first plain parameter (or one right after a regex
    parameter) is lazy; a plain parameter after literal text cannot contain
    that text (unless it is exactly that text).
    """
    pieces: list[str] = []
    groups: list[int] = []
    group_count = 0
    previous: str | _Param | None = None
    guard = ""
    lazy = True
    for piece in segment:
        if isinstance(piece, str):
            guard = re.escape(piece)
            pieces.append(guard if case_sensitive else f"(?i:{guard})")
        else:
            if isinstance(previous, _Param) and previous.regex is None:
                raise _invalid(path, f"parameters before '{piece.label}' need a separator")
            body = _param_body(piece, lazy, guard)
            lazy = piece.regex is not None
            groups.append(group_count + 1)
            group_count += 1 + _count_groups(path, body)
            pieces.append(f"({body})")
        previous = piece
    return "".join(pieces), tuple(groups)


def _param_body(param: _Param, lazy: bool, guard: str) -> str:
    if param.regex is not None:
        return param.regex
    if lazy:
        return "(?s:.*?)"
    return f"(?s:{guard}|(?:(?!{guard}).)*)"


def _count_groups(path: str, body: str) -> int:
    try:
        return re.compile(body).groups
    except re.error as error:
        raise _invalid(path, f"bad parameter regex ({error})") from error
