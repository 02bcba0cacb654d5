"""Stellic simulator."""

from gateway.sandbox.stellic.app import StellicSimulator

__all__ = ["StellicSimulator"]
