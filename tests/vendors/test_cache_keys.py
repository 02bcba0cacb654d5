"""Cache keys (gateway/vendors/cache.py): one key per call whatever the parameters' order or types, and the memory
cache read without waiting."""

from __future__ import annotations

from gateway.vendors.cache import ResponseCache


async def test_a_calls_key_ignores_parameter_order_and_takes_unhashable_values() -> None:
    cache = ResponseCache.create(None)
    one = await cache.key("dartmouth", "list_enrollments", None, {"netid": "d1", "is_active": "true"}, "v")
    again = await cache.key("dartmouth", "list_enrollments", None, {"is_active": "true", "netid": "d1"}, "v")
    assert one == again
    assert one != await cache.key("dartmouth", "list_enrollments", None, {"netid": "d2", "is_active": "true"}, "v")
    assert one != await cache.key("dartmouth", "list_enrollments", None, {"netid": "d1", "is_active": "true"}, "w")
    listed = await cache.key("hubmis", "list_students", None, {"include": ["a", "b"]}, "")  # a list: not kept
    assert listed == await cache.key("hubmis", "list_students", None, {"include": ["a", "b"]}, "")


async def test_the_memory_cache_is_read_without_waiting_and_honours_route_versions() -> None:
    cache = ResponseCache.create(None)
    key, value = cache.lookup_now("dartmouth", "get_student", {"netid": "d1"}, {}, "v") or ("", "unset")
    assert value is None
    await cache.backend.set(key, {"status": 200}, ttl=60)
    assert cache.lookup_now("dartmouth", "get_student", {"netid": "d1"}, {}, "v") == (key, {"status": 200})
    await cache.invalidate_route("dartmouth", "get_student")
    assert cache.lookup_now("dartmouth", "get_student", {"netid": "d1"}, {}, "v")[1] is None  # type: ignore[index]
