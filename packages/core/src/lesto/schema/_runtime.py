"""Functions that generated validators call at run time.

Generated functions have the signature ``(value, path, errors) -> value``.
In first-error mode they raise :class:`Fail` at the first failed keyword; in
all-errors mode they append to ``errors`` and go on. The combinator helpers
here work in both modes: ``errors is None`` means first-error mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .messages import ValidationDetail, detail

__all__ = ["Fail"]

Compiled = Callable[[Any, str, "list[ValidationDetail] | None"], Any]


class Fail(Exception):  # noqa: N818 - internal control flow, never escapes a validator
    """Raised inside a first-error validator; carries the details so far."""

    __slots__ = ("errors",)

    def __init__(self, errors: list[ValidationDetail]) -> None:
        super().__init__()
        self.errors = errors


def is_integer(value: Any) -> bool:
    """JSON Schema ``integer`` for values that are not a plain ``int``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def is_number(value: Any) -> bool:
    """JSON Schema ``number``: a finite int or float, never a bool."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _canonical(value: Any) -> Any:
    """A hashable key under which JSON-equal values are equal (1 == 1.0, True != 1)."""
    if value is True or value is False:
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, dict):
        return ("o", frozenset((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("a", tuple(_canonical(v) for v in value))
    return ("s", value) if isinstance(value, str) else ("x", repr(value))


def json_equal(left: Any, right: Any) -> bool:
    """Deep equality with JSON semantics (``true`` is not ``1``)."""
    return bool(_canonical(left) == _canonical(right))


def in_enum(value: Any, allowed: tuple[Any, ...]) -> bool:
    """``value`` deep-equals one of ``allowed``."""
    key = _canonical(value)
    return any(key == _canonical(item) for item in allowed)


def duplicate(items: list[Any]) -> tuple[int, int] | None:
    """``(j, i)``: the highest index ``i`` equal to an earlier item ``j``, as Ajv reports."""
    positions: dict[Any, list[int]] = {}
    for index, item in enumerate(items):
        positions.setdefault(_canonical(item), []).append(index)
    pairs = [(found[-2], found[-1]) for found in positions.values() if len(found) > 1]
    return max(pairs, key=lambda pair: pair[1]) if pairs else None


def missing(data: dict[str, Any], required: tuple[str, ...]) -> list[str]:
    """The required names absent from ``data``, in schema order."""
    return [name for name in required if name not in data]


def not_multiple(value: float | int, factor: float | int) -> bool:
    """Ajv's ``multipleOf`` test: ``value / factor`` has a fractional part."""
    if isinstance(value, int) and isinstance(factor, int):
        return value % factor != 0
    quotient = value / factor
    return not (math.isfinite(quotient) and quotient.is_integer())


def report(found: list[ValidationDetail], errors: list[ValidationDetail] | None) -> None:
    """Raise (first-error mode) or record (all-errors mode) ``found``."""
    if errors is None:
        raise Fail(found)
    errors.extend(found)


def run(fn: Compiled, value: Any, path: str) -> tuple[Any, list[ValidationDetail] | None]:
    """Run a subschema: ``(new value, None)`` if it passed, ``(value, details)`` if not."""
    found: list[ValidationDetail] = []
    try:
        result = fn(value, path, found)
    except Fail as failure:
        return value, failure.errors
    if found:
        return value, found
    return result, None


def any_of(
    value: Any,
    path: str,
    branches: Sequence[Compiled],
    schema_path: str,
    errors: list[ValidationDetail] | None,
) -> Any:
    """The ``anyOf`` keyword: the first passing branch's value."""
    collected: list[ValidationDetail] = []
    for branch in branches:
        result, found = run(branch, value, path)
        if found is None:
            return result
        collected += found
    collected.append(detail(path, schema_path, "anyOf", {}, "must match a schema in anyOf"))
    report(collected, errors)
    return value


def one_of(
    value: Any,
    path: str,
    branches: Sequence[Compiled],
    schema_path: str,
    errors: list[ValidationDetail] | None,
) -> Any:
    """The ``oneOf`` keyword: exactly one branch must pass."""
    collected: list[ValidationDetail] = []
    passing: list[int] = []
    chosen = value
    for index, branch in enumerate(branches):
        result, found = run(branch, value, path)
        if found is None:
            if not passing:
                chosen = result
            passing.append(index)
        else:
            collected += found
    if len(passing) == 1:
        return chosen
    params: dict[str, Any] = {"passingSchemas": passing[:2] if passing else None}
    message = "must match exactly one schema in oneOf"
    failure = detail(path, schema_path, "oneOf", params, message)
    report([*collected, failure] if not passing else [failure], errors)
    return value


def not_(
    value: Any,
    path: str,
    branch: Compiled,
    schema_path: str,
    errors: list[ValidationDetail] | None,
) -> Any:
    """The ``not`` keyword."""
    _, found = run(branch, value, path)
    if found is None:
        report([detail(path, schema_path, "not", {}, "must NOT be valid")], errors)
    return value


def if_then_else(
    value: Any,
    path: str,
    branches: tuple[Compiled, Compiled | None, Compiled | None],
    schema_path: str,
    errors: list[ValidationDetail] | None,
) -> Any:
    """The ``if``/``then``/``else`` keywords."""
    condition, then, otherwise = branches
    _, found = run(condition, value, path)
    keyword, branch = ("then", then) if found is None else ("else", otherwise)
    if branch is None:
        return value
    result, found = run(branch, value, path)
    if found is None:
        return result
    params = {"failingKeyword": keyword}
    failure = detail(path, schema_path + "/if", "if", params, f'must match "{keyword}" schema')
    report([*found, failure], errors)
    return value


def contains(
    value: list[Any],
    path: str,
    branch: Compiled,
    schema_path: str,
    errors: list[ValidationDetail] | None,
) -> list[Any]:
    """The ``contains`` keyword (at least one valid item)."""
    for index, item in enumerate(value):
        _, found = run(branch, item, f"{path}/{index}")
        if found is None:
            return value
    params = {"minContains": 1}
    report(
        [detail(path, schema_path, "contains", params, "must contain at least 1 valid item(s)")],
        errors,
    )
    return value


def property_names(
    value: dict[str, Any],
    path: str,
    branch: Compiled,
    schema_path: str,
    errors: list[ValidationDetail] | None,
) -> dict[str, Any]:
    """The ``propertyNames`` keyword."""
    for name in value:
        _, found = run(branch, name, path)
        if found is not None:
            params = {"propertyName": name}
            failure = detail(
                path, schema_path, "propertyNames", params, "property name must be valid"
            )
            report([*found, failure], errors)
            return value
    return value
