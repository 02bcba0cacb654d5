"""A Redis that requires an ACL user (`redis://user:password@host:port/db`, as managed Redis services hand out): every
Redis use of a real `campusgraph serve` logs in as that user, the response cache included. aiocache's Redis backend
takes a password but no user, so the cache alone logged in as `default`, was refused, and served from this process'
memory while the shared cache stayed empty."""

from __future__ import annotations

import redis as redis_sync

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

USER, PASSWORD = "campusgraph", "n0t-the-default"  # a test server's own login, on loopback
QUERY = '{ terms { id } student(netid: "d59951y") { lastName } }'


def test_the_shared_cache_logs_in_as_the_urls_user(sandbox: SandboxProcess) -> None:
    redis = RedisProcess("--user", "default", "off", "--user", USER, "on", f">{PASSWORD}", "~*", "&*", "+@all")
    url = f"redis://{USER}:{PASSWORD}@127.0.0.1:{redis.port}/0"
    a = GatewayProcess(sandbox_env(sandbox, redis_url=url))
    b = GatewayProcess(sandbox_env(sandbox, redis_url=url))
    try:
        a.start(timeout=60), b.start(timeout=60)
        first = a.query(QUERY)
        assert "errors" not in first, first
        calls = sandbox.requests("dartmouth")["total"]
        assert b.query(QUERY) == first
        assert sandbox.requests("dartmouth")["total"] == calls  # the other replica's answers, from Redis
        client = redis_sync.Redis(host="127.0.0.1", port=redis.port, username=USER, password=PASSWORD)
        assert client.dbsize() > 0
        client.close()
        assert "redis unreachable" not in a.logs() + b.logs()
    finally:
        a.stop(), b.stop()
        redis.stop()
