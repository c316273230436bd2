"""The scenario, comparison, sweep and calibration files shipped with sim (TOML data).

This folder is installed as the package ``sim.scenarios`` (see ``pyproject.toml``) so that the
files travel with every install; :mod:`sim.config.shipped` finds them. Nothing here is executed.
"""
