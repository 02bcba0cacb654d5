"""Dartmouth API simulator."""

from gateway.sandbox.dartmouth.app import DartmouthSimulator

__all__ = ["DartmouthSimulator"]
