"""Which proxies to trust: the ``trust_proxy`` option, compiled once.

``trust_proxy`` decides whether ``X-Forwarded-For``, ``X-Forwarded-Host`` and
``X-Forwarded-Proto`` are believed, like Fastify's (proxy-addr) option:

* ``False`` (default): never; ``True``: always;
* an int ``n``: trust the first ``n`` hops from the server;
* a str or list of str: addresses or CIDR ranges (``"127.0.0.1"``,
  ``"10.0.0.0/8"``, ``"::1"``) and comma-separated lists of them;
* a callable ``fn(address, hop)`` returning whether to trust that hop.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["TrustFunction", "client_addresses", "compile_trust"]

TrustFunction = Callable[[str, int], bool]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _never(address: str, hop: int) -> bool:
    return False


def _always(address: str, hop: int) -> bool:
    return True


def compile_trust(option: Any) -> TrustFunction | None:
    """The trust function for a ``trust_proxy`` value; ``None`` means trust nothing."""
    if option is False or option is None:
        return None
    if option is True:
        return _always
    if isinstance(option, int):
        hops = option
        return lambda address, hop: hop < hops
    if callable(option):
        return option  # type: ignore[no-any-return]
    items = [option] if isinstance(option, str) else list(option)
    networks = _parse_networks(items)
    return lambda address, hop: _in_networks(address, networks)


def _parse_networks(items: Sequence[str]) -> tuple[Network, ...]:
    networks: list[Network] = []
    for item in items:
        for part in item.split(","):
            text = part.strip()
            if text:
                networks.append(ipaddress.ip_network(text, strict=False))
    return tuple(networks)


def _in_networks(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_addresses(socket_address: str, forwarded_for: str | None) -> list[str]:
    """A request's addresses, nearest first: the peer, then X-Forwarded-For right to left."""
    addresses = [socket_address]
    if forwarded_for:
        addresses.extend(part.strip() for part in reversed(forwarded_for.split(",")))
    return addresses


def trusted_chain(addresses: list[str], trust: TrustFunction) -> list[str]:
    """The addresses up to and including the first hop that is not trusted."""
    for hop, address in enumerate(addresses[:-1]):
        if not trust(address, hop):
            return addresses[: hop + 1]
    return addresses
