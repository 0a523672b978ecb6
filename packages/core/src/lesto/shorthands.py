"""``app.get``, ``app.post``... : route shorthands usable as decorators or as calls.

Each shorthand is a descriptor on :class:`~lesto.app.Lesto`; the bound form
is typed with overloads so ``@app.get("/")`` keeps the handler's type under
``mypy --strict``::

    @app.get("/users/:id", schema=...)
    async def get_user(request, reply): ...

    app.post("/users", create_user, schema=...)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from .app import Lesto

__all__ = ["BoundShorthand", "RouteShorthand"]

F = TypeVar("F", bound=Callable[..., Any])


class BoundShorthand(Protocol):
    """``app.get(url, handler=None, /, **options)``: adds the route, or returns a decorator."""

    @overload
    def __call__(self, url: str, handler: None = None, /, **options: Any) -> Callable[[F], F]: ...

    @overload
    def __call__(self, url: str, handler: F, /, **options: Any) -> F: ...


class RouteShorthand:
    """The descriptor behind one shorthand; ``method=None`` means every known method (``all``)."""

    __slots__ = ("method", "name")

    def __init__(self, method: str | None) -> None:
        self.method = method
        self.name = method.lower() if method else "all"

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Lesto | None, owner: type | None = None) -> BoundShorthand:
        if instance is None:
            return self  # type: ignore[return-value]
        method = self.method

        def shorthand(url: str, handler: Any = None, /, **options: Any) -> Any:
            return instance._shorthand(method, url, handler, options)

        shorthand.__name__ = self.name
        shorthand.__doc__ = (
            f"Add a {method or 'catch-all'} route; without ``handler`` this is a decorator."
        )
        return shorthand
