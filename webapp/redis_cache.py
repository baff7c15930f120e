"""Django's Redis cache with one connection pool, and one redis-py client, per process, shared by
every thread and request.

Django keeps cache objects in a context-local (asgiref's Local, not thread-critical), and the page
processes run each request in a copied context (a2wsgi), so every request got a new RedisCache, a
new connection pool, and a new TCP connection to Redis — with redis-py's handshake, which reads
its own version from the installed package's metadata on every connect. Django's client also
builds a new `redis.Redis` (copying its table of ~200 reply parsers) for every cache call. Under
the PostgreSQL + Redis benchmark a page from the cache cost 16–19 ms of CPU in the page process,
most of it connecting (py-spy). redis-py's ConnectionPool and Redis client are thread-safe (not
its pipelines, which Django's cache does not use) and reset their connections in a forked child.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[str, RedisCacheClient] = {}
_clients_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    """One `redis.Redis` per connection pool, made on first use, instead of one per call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis_by_pool: dict[int, object] = {}
        self._lock = threading.Lock()

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        if index not in self._pools:
            with self._lock:  # two threads must not make two pools for one server
                if index not in self._pools:
                    self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return self._pools[index]

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis_by_pool.get(id(pool))
        if client is None:
            with self._lock:
                client = self._redis_by_pool.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ProcessSharedRedisCache(RedisCache):
    """RedisCache whose client (so its connection pools) is made once per process and configuration."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedRedisCacheClient

    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
            return client
