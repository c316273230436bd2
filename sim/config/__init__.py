"""Scenario files and the parameter registry: reading, checking and finding them.

:mod:`.shipped` finds the scenario, sweep, calibration and comparison files shipped inside the
package (``sim.scenarios``, the repository's top-level ``scenarios/`` folder), so that a shipped
file can be named without a path (``sim trial bright``).
"""
