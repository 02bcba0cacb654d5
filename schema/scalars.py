"""Scalars of the public API: Date and DateTime are Strawberry's ISO 8601 ones; JSON passes vendor data through."""

from __future__ import annotations

from strawberry.scalars import JSON

__all__ = ["JSON"]
