"""The connection to a cluster's Redis (redis-py, the optional ``clippings[cluster]`` extra,
imported here only: without ``--cluster`` nothing imports it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit


class ClusterError(Exception):
    """The cluster cannot be used: one line naming the URL (password hidden) and why."""


def shown(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def connect(url: str) -> Any:  # -> redis.Redis
    """A checked connection (one PING), replies decoded as text; ClusterError otherwise."""
    try:
        import redis
    except ImportError:
        raise ClusterError(
            f"--cluster {shown(url)}: redis is not installed (pip install 'clippings[cluster]')"
        ) from None
    try:
        client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30, health_check_interval=10)
        client.ping()
    except (ValueError, redis.RedisError) as exc:
        raise ClusterError(f"--cluster {shown(url)}: cannot use this Redis ({exc})") from None
    return client
