"""WCBS HUBmis simulator."""

from gateway.sandbox.hubmis.app import HubmisSimulator

__all__ = ["HubmisSimulator"]
