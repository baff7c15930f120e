"""The Redis cache's client is made once per process (webapp/redis_cache.py): the page processes run
each request in a context of its own, where Django makes a new cache object, and with Django's own
RedisCache each of those opened a new connection to Redis."""

import contextvars
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import caches

REQUESTS = 40


@pytest.fixture
def shared_redis_cache(settings):
    url = settings.CELERY_BROKER_URL  # the tests' own Redis database (scripts/test.sh)
    assert url.startswith("redis://"), "the tests run against Redis (see README: make test)"
    settings.CACHES = {
        "default": {"BACKEND": "webapp.redis_cache.ProcessSharedRedisCache", "LOCATION": url,
                    "KEY_PREFIX": "test-shared-client"},
    }  # fmt: skip
    return redis.Redis.from_url(url)


def _one_request(n: int) -> tuple[int, object]:
    """What a request does with the cache, in a fresh context as a page process runs it."""
    cache = caches["default"]
    cache.set(f"shared-client:{n}", n, 30)
    return cache.get(f"shared-client:{n}"), cache._cache


def test_requests_in_their_own_contexts_and_threads_share_one_client_and_connection_pool(shared_redis_cache):
    connections_before = shared_redis_cache.info("stats")["total_connections_received"]

    with ThreadPoolExecutor(max_workers=4) as threads:
        done = list(threads.map(lambda n: contextvars.copy_context().run(_one_request, n), range(REQUESTS)))

    assert [value for value, _ in done] == list(range(REQUESTS))
    assert len({id(client) for _, client in done}) == 1
    # At most one connection per thread that was busy at once (plus slack for anything else on this
    # Redis); Django's RedisCache made one for each of the REQUESTS.
    assert shared_redis_cache.info("stats")["total_connections_received"] - connections_before <= 8


def test_the_shared_client_keeps_one_redis_client_per_server(shared_redis_cache):
    client = caches["default"]._cache

    assert client.get_client(write=True) is client.get_client(write=False)  # one server: one pool, one client
