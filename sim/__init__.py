"""Agent-based simulation of chronic-illness self-management in personal communities.

Patients with long-term conditions and the members of their personal communities (partner, family,
friends, neighbours, acquaintances, community groups, health professionals, pets) are Mesa agents on
one networkx graph; their state lives in numpy arrays held by the model. See ``docs/ODD.md``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
