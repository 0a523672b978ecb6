"""The README's examples run as written (the URL pointed at the test database)."""

import re
from pathlib import Path

from lesto import Lesto

README = Path(__file__).parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def block_with(text: str) -> str:
    """The one Python block of the README that contains ``text``."""
    found = [block for block in python_blocks() if text in block]
    assert len(found) == 1, f"{len(found)} blocks contain {text!r}"
    return found[0]


def run_app_block(source: str, mysql_url: str) -> Lesto:
    """Execute a README block that builds ``app`` (URL pointed at the test database)."""
    source = source.replace("mysql://root@localhost/mysql", mysql_url)
    namespace: dict = {"__name__": "readme"}
    exec(compile(source, str(README), "exec"), namespace)
    return namespace["app"]


def test_install_block_imports():
    exec(compile(python_blocks()[0], str(README), "exec"), {})


async def test_getting_started_example(mysql_url, peer):
    await peer("CREATE TABLE users (id INT PRIMARY KEY, username TEXT, hash TEXT, salt TEXT)")
    await peer("INSERT INTO users VALUES (1, 'ada', 'h', 's')")
    app = run_app_block(block_with("app.register(routes)"), mysql_url)
    try:
        response = await app.inject(method="GET", url="/user/1")
        assert response.status_code == 200
        assert response.json() == [{"id": 1, "username": "ada", "hash": "h", "salt": "s"}]
    finally:
        await app.close()


async def test_transaction_examples(make_app, mysql_url, peer):
    await peer("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT)")
    await peer("CREATE TABLE items (order_id INT, sku TEXT)")
    await peer("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT)")
    await peer("INSERT INTO accounts VALUES (1, 100), (2, 0)")
    app = await make_app(url=mysql_url)
    block = next(b for b in python_blocks() if "async with app.mysql.transaction()" in b)
    body = "\n".join("    " + line for line in block.splitlines())
    namespace = {"app": app, "user_id": 7, "skus": ["a", "b"]}
    exec(f"async def example():\n{body}\n", namespace)
    await namespace["example"]()
    assert await peer("SELECT user_id FROM orders") == [(7,)]
    assert await peer("SELECT order_id, sku FROM items") == [(1, "a"), (1, "b")]
    assert await peer("SELECT balance FROM accounts ORDER BY id") == [(90,), (10,)]


async def test_route_declared_right_after_register_example(mysql_url, peer):
    await peer("CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT)")
    app = run_app_block(block_with("async def create_order"), mysql_url)
    try:
        response = await app.inject(method="POST", url="/orders", payload={"user_id": 7})
        assert (response.status_code, response.json()) == (201, {"id": 1})
        assert await peer("SELECT id, user_id FROM orders") == [(1, 7)]
    finally:
        await app.close()
