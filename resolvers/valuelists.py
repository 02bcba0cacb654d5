"""A vendor value list (hold types, terms) read at most once per request, and only when a field asks.

The first lookup starts the read (``gateway.eager.start``: answered from the cache, it is done at once); every
lookup after it answers at once when the list is in, and waits for the one read otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, TypeVar

from gateway.eager import start
from schema.ports import MaybeAwaitable

K = TypeVar("K")
V = TypeVar("V")


class ValueList(Generic[K, V]):
    def __init__(self, read: Callable[[], Awaitable[Mapping[K, V]]]) -> None:
        self._read = read
        self._values: asyncio.Future[Mapping[K, V]] | None = None

    def get(self, key: K, default: V) -> MaybeAwaitable[V]:
        """The value under ``key`` (``default`` when the list lacks it)."""
        if self._values is None:
            self._values = start(self._read_all())
        if self._values.done():
            return self._values.result().get(key, default)
        return self._later(key, default, self._values)

    async def _read_all(self) -> Mapping[K, V]:
        return await self._read()

    @staticmethod
    async def _later(key: K, default: V, values: Awaitable[Mapping[K, V]]) -> V:
        return (await values).get(key, default)
