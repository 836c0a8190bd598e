"""The Redis cache backend keeps one client per connection pool and behaves as Django's."""

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from home.redis_cache import RedisCache

REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture
def cache():
    redis = pytest.importorskip("redis")
    backend = RedisCache(REDIS, {"KEY_PREFIX": "test-redis-cache"})
    try:
        backend.get_many(["probe"])
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    yield backend
    backend.clear()


def test_one_client_per_pool(cache):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads use the same pool
    assert isinstance(cache, DjangoRedisCache)


def test_values_round_trip_as_with_djangos_backend(cache):
    cache.set("answer", {"n": 42, "text": "协商"}, 30)
    assert cache.get("answer") == {"n": 42, "text": "协商"}
    assert cache.add("answer", "other") is False
    assert cache.add("counter", 1)
    assert cache.incr("counter") == 2
    assert cache.get_many(["answer", "missing"]) == {"answer": {"n": 42, "text": "协商"}}
    cache.delete("answer")
    assert cache.get("answer") is None
