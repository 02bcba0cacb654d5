"""Faithful simulators of the Stellic, HUBmis and Dartmouth APIs, for tests, the demo and benchmarks."""
