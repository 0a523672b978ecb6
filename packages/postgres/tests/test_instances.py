"""Named instances beside the unnamed one, and the misuse errors of registration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lesto_postgres
import pytest
from lesto import Lesto, errors

from .conftest import SMALL, seed


async def failure(app: Lesto) -> Exception:
    with pytest.raises(Exception) as caught:
        await app.ready()
    return caught.value


async def test_named_and_unnamed_instances_together(
    new_app: Callable[..., Lesto], postgres_service: Any, postgres_url: str
):
    await seed(postgres_url)
    with postgres_service.fresh_database() as reports_url:
        app = new_app()
        app.register(lesto_postgres.plugin, url=reports_url, name="reports", **SMALL)
        app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
        app.register(lesto_postgres.plugin, url=reports_url, name="replica", **SMALL)
        await app.ready()
        pg = app.pg
        assert await pg.fetchval("SELECT count(*) FROM users") == 2
        await pg.reports.execute("CREATE TABLE visits (n int)")
        await pg.reports.execute("INSERT INTO visits VALUES (7)")
        assert await pg.replica.fetchval("SELECT n FROM visits") == 7
        assert await pg.fetchval("SELECT to_regclass('visits')::text") is None
        assert (pg.name, pg.reports.name, pg.replica.name) == (None, "reports", "replica")
        assert pg.reports.pool is not pg.pool
        assert pg.reports.pool is not pg.replica.pool
        async with pg.reports.transaction() as conn:
            await conn.execute("INSERT INTO visits VALUES (8)")
        assert await pg.reports.transact(lambda c: c.fetchval("SELECT sum(n) FROM visits")) == 15
        assert "named: reports, replica" in repr(pg)
        await app.close()


async def test_only_named_instances(new_app: Callable[..., Lesto], postgres_url: str):
    app = new_app()
    await app.register(lesto_postgres.plugin, url=postgres_url, name="main", **SMALL)
    assert await app.pg.main.fetchval("SELECT 1") == 1
    with pytest.raises(lesto_postgres.LST_PG_ERR_UNKNOWN_INSTANCE, match='"main"'):
        await app.pg.fetchval("SELECT 1")
    with pytest.raises(lesto_postgres.LST_PG_ERR_UNKNOWN_INSTANCE):
        app.pg.pool  # noqa: B018


async def test_an_unknown_name_is_an_attribute_error(pg_app: Lesto):
    with pytest.raises(AttributeError, match="'replica'") as caught:
        pg_app.pg.replica  # noqa: B018
    assert caught.value.name == "replica"  # what Python's "Did you mean" hint works from
    assert not hasattr(pg_app.pg, "replica")


@pytest.mark.parametrize("name", sorted(lesto_postgres.RESERVED_NAMES))
async def test_names_of_the_api_are_reserved(new_app: Callable[..., Lesto], name: str):
    app = new_app()
    app.register(lesto_postgres.plugin, url="postgresql://u@127.0.0.1:1/db", name=name)
    error = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_RESERVED_NAME)


async def test_the_unnamed_instance_registers_once(
    new_app: Callable[..., Lesto], postgres_url: str
):
    app = new_app()
    app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
    app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
    error = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_ALREADY_REGISTERED)
    assert "without a name" in error.message


async def test_a_name_registers_once(new_app: Callable[..., Lesto], postgres_url: str):
    app = new_app()
    app.register(lesto_postgres.plugin, url=postgres_url, name="replica", **SMALL)
    app.register(lesto_postgres.plugin, url=postgres_url, name="replica", **SMALL)
    error = await failure(app)
    assert isinstance(error, lesto_postgres.LST_PG_ERR_ALREADY_REGISTERED)
    assert '"replica"' in error.message


async def test_app_pg_taken_by_something_else(new_app: Callable[..., Lesto]):
    app = new_app()
    app.decorate("pg", object())
    app.register(lesto_postgres.plugin, url="postgresql://u@127.0.0.1:1/db")
    error = await failure(app)
    assert isinstance(error, errors.LST_ERR_DEC_ALREADY_PRESENT)


async def test_app_pg_is_shared_with_the_registering_context(
    new_app: Callable[..., Lesto], postgres_url: str
):
    seen: dict[str, bool] = {}

    async def db(instance: Lesto, opts: Any) -> None:
        await instance.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
        seen["db"] = await instance.pg.fetchval("SELECT true")

    def sibling(instance: Lesto, opts: Any) -> None:
        seen["sibling"] = instance.has_decorator("pg")

    app = new_app()
    app.register(db)  # an encapsulated context: app.pg stays inside it
    app.register(sibling)
    await app.ready()
    assert seen == {"db": True, "sibling": False}
    assert not app.has_decorator("pg")


async def test_a_child_context_adds_a_named_instance(
    new_app: Callable[..., Lesto], postgres_url: str
):
    async def reports(instance: Lesto, opts: Any) -> None:
        await instance.register(lesto_postgres.plugin, url=postgres_url, name="reports", **SMALL)

    app = new_app()
    app.register(lesto_postgres.plugin, url=postgres_url, **SMALL)
    app.register(reports)
    await app.ready()
    # As in @fastify/postgres, names join the one app.pg the child inherited.
    assert await app.pg.reports.fetchval("SELECT 2") == 2
