"""Opening a vendor's connections before the first request needs them.

A gateway that has just started holds no connection to its vendors, so its first requests each open
their own (on loopback about 0.3 ms of CPU apiece, gateway and vendor together; to a real vendor a TCP
and TLS handshake, one to three round trips, before the call itself can go). ``preconnect`` opens them
at start-up and leaves them idle in the session's pool, where the first calls find them. It sends no
HTTP request, so it costs no vendor call and no rate budget. An idle connection is kept as long as
aiohttp's keep-alive allows (15 s) or until the vendor closes it; steady traffic keeps the pool warm
after that.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from yarl import URL

log = logging.getLogger("campusgraph.upstream")


async def preconnect(session: aiohttp.ClientSession, base_url: str, count: int) -> int:
    """Open up to ``count`` connections to ``base_url``'s host and pool them; return how many opened.

    The connections are keyed as the session's own requests to that origin are (aiohttp pools by
    scheme, host, port and TLS settings), so its next calls reuse them. Failures are logged, never
    raised: a vendor that cannot be reached now is reported by its first call.
    """
    connector = session.connector
    if count <= 0 or connector is None or connector.closed:
        return 0
    count = min(count, connector.limit or count)
    request = aiohttp.ClientRequest("GET", URL(base_url), loop=asyncio.get_running_loop())
    timeout = session.timeout
    opened = await asyncio.gather(*(connector.connect(request, [], timeout) for _ in range(count)),
                                  return_exceptions=True)
    connections = [c for c in opened if isinstance(c, aiohttp.connector.Connection)]
    for connection in connections:
        connection.release()
    failed = [c for c in opened if isinstance(c, BaseException)]
    if failed:
        log.warning("opened %d of %d connections to %s ahead of use: %s", len(connections), count,
                    URL(base_url).host, type(failed[0]).__name__)
    return len(connections)
