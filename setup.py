"""Package list for setuptools: every ``sim`` package, plus the shipped scenarios.

The scenario files live in the repository's top-level ``scenarios/`` folder and install as the
package ``sim.scenarios`` (``[tool.setuptools.package-dir]`` in ``pyproject.toml`` maps one to the
other); package discovery alone cannot find a package outside ``sim/``, so it is added here.
Everything else is in ``pyproject.toml``.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["sim", "sim.*"]), "sim.scenarios"])
