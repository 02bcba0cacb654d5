"""Defences against hostile requests: query limits, body and batch caps, per-caller rate limits."""
