"""Errors a user can meet, each said in one line with what to do about it."""

from __future__ import annotations

from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import AuthenticationError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from tasks.settings import NotConfigured
from workers.credentials import masked


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def explain(error: BaseException) -> str:
    """The error in a line: what went wrong and the fix."""
    if isinstance(error, NotConfigured):
        return str(error)
    if isinstance(error, OperationalError):
        url = getattr(getattr(error, "connection_invalidated", None), "url", "")
        where = f" ({masked(str(url))})" if url else ""
        return (f"cannot reach the database{where}: {_first_line(error)}. Is PostgreSQL running "
                "and NEWSFLOW_DATABASE_URL right? `newsflow doctor` checks the whole setup.")
    if isinstance(error, ProgrammingError) and "does not exist" in str(error):
        return f"{_first_line(error)}: the database is not migrated; run `newsflow migrate`."
    if isinstance(error, DBAPIError):
        return f"the database refused: {_first_line(error)}"
    if isinstance(error, AuthenticationError):
        return "the broker refused the password: check NEWSFLOW_REDIS_URL (redis://:password@host…)."
    if isinstance(error, RedisConnectionError | BrokerError):
        return (f"cannot reach the broker: {_first_line(error)}. Is Redis running and "
                "NEWSFLOW_REDIS_URL right? `newsflow doctor` checks the whole setup.")
    if isinstance(error, OSError) and error.filename:
        return f"{error.strerror or error}: {error.filename}"
    return f"{type(error).__name__}: {_first_line(error)}"
