"""Router constraints: version, host, custom strategies (find-my-way behaviours)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from lesto import errors
from lesto.router import ConstraintStore, Router


def version(value: str) -> dict[str, str]:
    return {"accept-version": value}


# --- version -------------------------------------------------------------------------------


def test_multiple_versions_of_a_route() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "v1", {"version": "1.2.3"})
    router.on("GET", "/", "v3", {"version": "3.2.0"})
    for asked, expected in [("1.x", "v1"), ("1.2.3", "v1"), ("3.x", "v3"), ("3.2.0", "v3")]:
        assert router.find("GET", "/", version(asked)) == (expected, {})
    for asked in ["2.x", "2.3.4", "3.2.1"]:
        assert router.find("GET", "/", version(asked)) is None


def test_versions_with_params_and_backtracking() -> None:
    router: Router[str] = Router()
    router.on("GET", "/test/:id/hello", "v1", {"version": "1.2.3"})
    router.on("GET", "/test/:id/hello", "v3", {"version": "3.2.0"})
    router.on("GET", "/test/name/hello", "v4", {"version": "4.0.0"})
    assert router.find("GET", "/test/1234/hello", version("1.x")) == ("v1", {"id": "1234"})
    assert router.find("GET", "/test/name/hello", version("4.x")) == ("v4", {})
    assert router.find("GET", "/test/name/hello", version("3.x")) == ("v3", {"id": "name"})
    assert router.find("GET", "/test/1234/hello", version("4.x")) is None


def test_versioned_wildcard_and_static() -> None:
    router: Router[str] = Router()
    router.on("GET", "/test/*", "wild", {"version": "1.2.3"})
    router.on("GET", "/test/hello", "static", {"version": "3.2.0"})
    assert router.find("GET", "/test/1234/hello", version("1.x")) == ("wild", {"*": "1234/hello"})
    assert router.find("GET", "/test/hello", version("3.x")) == ("static", {})
    assert router.find("GET", "/test/1234/hello", version("3.x")) is None


def test_highest_version_wins_for_ranges() -> None:
    router: Router[str] = Router()
    for value in ["2.3.0", "2.4.0", "3.3.0", "3.2.0", "3.2.2", "4.4.0", "4.3.2"]:
        router.on("GET", "/", value, {"version": value})
    assert router.find("GET", "/", version("2.x")) == ("2.4.0", {})
    assert router.find("GET", "/", version("3.x")) == ("3.3.0", {})
    assert router.find("GET", "/", version("3.2.x")) == ("3.2.2", {})
    assert router.find("GET", "/", version("4.x.x")) == ("4.4.0", {})
    assert router.find("GET", "/", version("*")) == ("4.4.0", {})
    assert router.find("GET", "/", version("x")) == ("4.4.0", {})


def test_unversioned_request_does_not_reach_versioned_route() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "plain")
    router.on("GET", "/", "v1", {"version": "1.2.0"})
    router.on("GET", "/only", "only", {"version": "1.0.0"})
    assert router.find("GET", "/") == ("plain", {})
    assert router.find("GET", "/", version("1.x")) == ("v1", {})
    assert router.find("GET", "/only") is None


def test_versioned_request_does_not_reach_unversioned_route_once_versions_exist() -> None:
    router: Router[str] = Router()
    router.on("GET", "/plain", "plain")
    assert router.find("GET", "/plain", version("1.x")) == ("plain", {})
    router.on("GET", "/versioned", "v", {"version": "1.0.0"})
    assert router.find("GET", "/plain", version("1.x")) is None
    assert router.find("GET", "/plain") == ("plain", {})


def test_duplicate_versioned_route_raises() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "a", {"version": "1.2.3"})
    with pytest.raises(errors.LST_ERR_DUPLICATED_ROUTE):
        router.on("GET", "/", "b", {"version": "1.2.3"})
    router.on("GET", "/", "c", {"version": "1.2.4"})


def test_invalid_version_value_raises() -> None:
    router: Router[str] = Router()
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_CONSTRAINT):
        router.on("GET", "/", "a", {"version": 1})
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_CONSTRAINT):
        router.on("GET", "/", "a", {"version": "x.1"})
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_CONSTRAINT):
        router.on("GET", "/", "a", {"version": None})


# --- host ----------------------------------------------------------------------------------


def test_host_exact_and_regex() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "fastify", {"host": "fastify.io"})
    router.on("GET", "/", "example", {"host": "example.com"})
    router.on("GET", "/", "regex", {"host": re.compile(r"^.+\.fastify\.dev$")})
    assert router.find("GET", "/", {"host": "fastify.io"}) == ("fastify", {})
    assert router.find("GET", "/", {"host": "example.com"}) == ("example", {})
    assert router.find("GET", "/", {"host": "api.fastify.dev"}) == ("regex", {})
    assert router.find("GET", "/", {"host": "other.org"}) is None
    assert router.find("GET", "/") is None


def test_host_falls_back_to_unconstrained_route() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "plain")
    router.on("GET", "/", "fastify", {"host": "fastify.io"})
    assert router.find("GET", "/", {"host": "fastify.io"}) == ("fastify", {})
    assert router.find("GET", "/", {"host": "other.org"}) == ("plain", {})
    assert router.find("GET", "/") == ("plain", {})


def test_most_constrained_route_wins() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "host", {"host": "a.io"})
    router.on("GET", "/", "both", {"host": "a.io", "version": "1.0.0"})
    assert router.find("GET", "/", {"host": "a.io", "accept-version": "1.x"}) == ("both", {})
    assert router.find("GET", "/", {"host": "a.io"}) == ("host", {})


def test_invalid_host_value_raises() -> None:
    router: Router[str] = Router()
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_CONSTRAINT):
        router.on("GET", "/", "a", {"host": 42})


def test_unknown_constraint_raises() -> None:
    router: Router[str] = Router()
    with pytest.raises(errors.LST_ERR_CONSTRAINT_NOT_SUPPORTED):
        router.on("GET", "/", "a", {"nope": "x"})


# --- custom strategies ---------------------------------------------------------------------


class DictStore:
    def __init__(self) -> None:
        self.entries: dict[Any, Any] = {}

    def get(self, value: Any) -> Any:
        return self.entries.get(value)

    def set(self, value: Any, entry: Any) -> None:
        self.entries[value] = entry


@dataclass
class RequestedBy:
    name: str = "requested_by"
    must_match_when_derived: bool = False
    calls: list[Any] = field(default_factory=list)

    def storage(self) -> ConstraintStore:
        return DictStore()

    def derive_constraint(self, headers: Mapping[str, str], context: Any) -> str | None:
        self.calls.append(context)
        return headers.get("user-agent")


def test_custom_strategy() -> None:
    router: Router[str] = Router()
    router.add_constraint_strategy(RequestedBy())
    router.on("GET", "/", "alpha", {"requested_by": "curl"})
    router.on("GET", "/", "beta", {"requested_by": "wget"})
    assert router.find("GET", "/", {"user-agent": "curl"}) == ("alpha", {})
    assert router.find("GET", "/", {"user-agent": "wget"}) == ("beta", {})
    assert router.find("GET", "/", {"user-agent": "chrome"}) is None


def test_custom_strategy_with_versions() -> None:
    router: Router[str] = Router()
    router.add_constraint_strategy(RequestedBy())
    router.on("GET", "/", "alpha", {"requested_by": "curl", "version": "1.0.0"})
    router.on("GET", "/", "beta", {"requested_by": "curl", "version": "2.0.0"})
    router.on("GET", "/", "gamma", {"requested_by": "wget", "version": "2.0.0"})
    router.on("GET", "/", "delta", {"requested_by": "wget", "version": "3.0.0"})

    def ask(agent: str, asked: str | None = None) -> str | None:
        headers = {"user-agent": agent}
        if asked is not None:
            headers["accept-version"] = asked
        result = router.find("GET", "/", headers)
        return None if result is None else result[0]

    assert ask("curl", "1.x") == "alpha"
    assert ask("curl", "2.x") == "beta"
    assert ask("wget", "2.x") == "gamma"
    assert ask("wget", "3.x") == "delta"
    assert ask("chrome") is None
    assert ask("chrome", "1.x") is None
    assert ask("curl", "3.x") is None
    assert ask("wget", "1.x") is None


def test_custom_strategy_receives_context_and_is_lazy() -> None:
    strategy = RequestedBy()
    router: Router[str] = Router()
    router.add_constraint_strategy(strategy)
    router.on("GET", "/plain", "plain")
    router.on("GET", "/c", "c", {"requested_by": "curl"})
    assert router.find("GET", "/plain", {"user-agent": "curl"}, context="ctx") == ("plain", {})
    assert strategy.calls == []
    assert router.find("GET", "/c", {"user-agent": "curl"}, context="ctx") == ("c", {})
    assert strategy.calls == ["ctx"]


def test_must_match_custom_strategy_excludes_unconstrained_routes() -> None:
    router: Router[str] = Router()
    router.add_constraint_strategy(RequestedBy(must_match_when_derived=True))
    router.on("GET", "/", "plain")
    assert router.find("GET", "/") == ("plain", {})
    assert router.find("GET", "/", {"user-agent": "curl"}) is None


def test_strategy_registration_errors() -> None:
    router: Router[str] = Router()
    router.add_constraint_strategy(RequestedBy())
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_STRATEGY):
        router.add_constraint_strategy(RequestedBy())
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_STRATEGY):
        router.add_constraint_strategy(object())  # type: ignore[arg-type]
    router.on("GET", "/", "a", {"host": "x.io"})
    with pytest.raises(errors.LST_ERR_ROUTER_INVALID_STRATEGY):
        router.add_constraint_strategy(RequestedBy(name="host"))


def test_builtin_strategy_can_be_replaced_before_use() -> None:
    router: Router[str] = Router()
    assert not router.has_constraint_strategy("version")
    router.add_constraint_strategy(RequestedBy(name="version"))
    assert router.has_constraint_strategy("version")
    router.on("GET", "/", "curl", {"version": "curl"})
    assert router.find("GET", "/", {"user-agent": "curl"}) == ("curl", {})


def test_strategy_added_after_routes_rebuilds() -> None:
    router: Router[str] = Router()
    router.on("GET", "/a/:id", "a")
    router.add_constraint_strategy(RequestedBy())
    assert router.find("GET", "/a/1") == ("a", {"id": "1"})


def test_uses_constraints() -> None:
    router: Router[str] = Router()
    router.on("GET", "/", "plain")
    assert not router.uses_constraints
    router.on("GET", "/h", "h", {"host": "x.io"})
    assert router.uses_constraints
