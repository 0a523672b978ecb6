"""String formats checked by the ``format`` keyword (ajv-formats, "full" mode).

An unknown format fails at compile time, as in Ajv's strict mode.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

__all__ = ["FORMATS", "FormatCheck"]

FormatCheck = Callable[[str], bool]

_DATE = re.compile(r"(\d\d\d\d)-(\d\d)-(\d\d)")
_TIME = re.compile(r"(\d\d):(\d\d):(\d\d)(?:\.\d+)?(z|[+-]\d\d(?::?\d\d)?)", re.IGNORECASE)
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
    re.IGNORECASE,
)
_HOSTNAME = re.compile(
    r"(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?",
    re.IGNORECASE,
)
_URI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s\"<>\\^`{|}]*", re.IGNORECASE)
_URI_REFERENCE = re.compile(r"[^\s\"<>\\^`{|}]*")
_UUID = re.compile(r"(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.IGNORECASE)
_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
)
_JSON_POINTER = re.compile(r"(?:/(?:[^~/]|~0|~1)*)*")


def _is_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(group) for group in match.groups())
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (29 if month == 2 and leap else _DAYS[month])


def _is_time(value: str) -> bool:
    match = _TIME.fullmatch(value)
    if match is None:
        return False
    hour, minute, second = (int(group) for group in match.groups()[:3])
    return hour <= 23 and minute <= 59 and second <= 60


def _is_date_time(value: str) -> bool:
    if len(value) < 11 or value[10] not in "tT ":
        return False
    return _is_date(value[:10]) and _is_time(value[11:])


def _is_ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _is_regex(value: str) -> bool:
    try:
        re.compile(value)
    except re.error:
        return False
    return True


def _matcher(pattern: re.Pattern[str]) -> FormatCheck:
    def check(value: str) -> bool:
        return pattern.fullmatch(value) is not None

    return check


FORMATS: dict[str, FormatCheck] = {
    "date": _is_date,
    "time": _is_time,
    "date-time": _is_date_time,
    "email": _matcher(_EMAIL),
    "hostname": _matcher(_HOSTNAME),
    "ipv4": _matcher(_IPV4),
    "ipv6": _is_ipv6,
    "uri": _matcher(_URI),
    "uri-reference": _matcher(_URI_REFERENCE),
    "uuid": _matcher(_UUID),
    "json-pointer": _matcher(_JSON_POINTER),
    "regex": _is_regex,
}
