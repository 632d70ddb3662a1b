"""Checking a database URL before anything connects with it.

A mistyped URL used to end as "Unexpected error" (exit 1) deep in SQLAlchemy or the driver, and
a password with an unencoded "@" was worse: everything after the first "@" was taken for the host,
so part of the password appeared in messages and in the task log. `parse_url()` refuses such URLs
with a message that says what is wrong and never repeats the URL (it may hold a password).
"""
from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .errors import UsageError

__all__ = ["parse_url", "is_embedded_url", "SHAPE"]

SHAPE = ("mysql+pymysql://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:///PATH "
         "(a user name or password with @ : / ? # or % in it is written percent-encoded, "
         "e.g. @ as %40)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)")
_BACKENDS = ("sqlite", "mysql", "mariadb")
_INT_QUERY = ("connect_timeout", "read_timeout", "write_timeout")


def is_embedded_url(url: URL | str) -> bool:
    """Does the URL name an embedded (SQLite) database rather than a server?"""
    return (url if isinstance(url, URL) else make_url(url)).get_backend_name() == "sqlite"


def _malformed(why: str) -> UsageError:
    return UsageError(f"The database URL is malformed: {why}. Expected {SHAPE}.")


def parse_url(raw: URL | str) -> URL:
    """The URL, checked: dialect and driver WICS has, a whole port from 1 to 65535, no stray
    "@", a character set MySQL knows, whole-number timeouts. UsageError (exit 2) otherwise."""
    if isinstance(raw, URL):
        url = raw
    else:
        text = str(raw).strip()
        match = _SCHEME.match(text)
        if match is None:
            raise _malformed("it does not start with a database kind and '://'")
        if match.group(2).count("@") > 1:
            raise _malformed("the part before the host holds more than one '@' - a user name "
                             "or password containing '@' must write it as %40")
        try:
            url = make_url(text)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            raise _malformed("it cannot be read as a URL (is the port a number? is a "
                             "bracket or colon out of place?)") from None
    backend = url.get_backend_name()
    if backend not in _BACKENDS:
        raise _malformed(f"'{backend}' is not a database WICS works with (SQLite or "
                         "MySQL/MariaDB)")
    driver = url.drivername.partition("+")[2] or ("pysqlite" if backend == "sqlite" else "")
    wanted = "pysqlite" if backend == "sqlite" else "pymysql"
    if driver != wanted:
        if "+" in url.drivername:
            raise _malformed(f"WICS has no driver '{driver}' for {backend}: use "
                             f"{'sqlite' if backend == 'sqlite' else backend + '+pymysql'}")
        url = url.set(drivername=f"{backend}+{wanted}")  # plain mysql:// means PyMySQL here
    if backend == "sqlite":
        return url
    try:
        port = url.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise _malformed(f"the port must be a whole number from 1 to 65535, not {port}")
    if not url.host:
        raise _malformed("it names no host")
    query = dict(url.query)
    charset = query.get("charset")
    if charset is not None:
        from pymysql.charset import charset_by_name

        if not isinstance(charset, str) or charset_by_name(charset) is None:
            raise _malformed(f"charset={charset} is not a character set MySQL knows (leave it "
                             "out: WICS uses utf8mb4)")
    for key in _INT_QUERY:
        value = query.get(key)
        if value is not None and (not isinstance(value, str) or not value.isdigit()):
            raise _malformed(f"{key} must be a whole number of seconds")
    return url
