"""Numba's on-disk cache of the compiled passes, kept fresh across modules.

Numba reuses a compiled function from its cache while the function's own source file is
unchanged; it does not look at the functions it calls. The passes (:mod:`passes`) call the
compiled rules of every mechanism module, so editing a rule would leave the cached passes
running the old rule. :class:`DynamicsCacheLocator` stamps every compiled function of the
package with a hash of its own file, of all of :mod:`sim.dynamics` and of
:mod:`sim.population.codes` (whose constants compiled code reads), so an edit there recompiles
every function that may call into them. :func:`register` puts it first among numba's locators;
``sim/dynamics/__init__.py`` calls it before any compiled function of the package is defined.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from numba.core.caching import CacheImpl, InTreeCacheLocator

PACKAGE = Path(__file__).resolve().parents[1]
DYNAMICS = PACKAGE / "dynamics"
SHARED = (*sorted(DYNAMICS.glob("*.py")), PACKAGE / "population" / "codes.py")


@functools.lru_cache(maxsize=64)
def _stamp(paths: tuple[Path, ...], signature: tuple) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sources_stamp(own: Path) -> str:
    """A hash of a source file and of every source compiled code of the package depends on."""
    paths = tuple(dict.fromkeys((*SHARED, own)))
    return _stamp(paths, tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


class DynamicsCacheLocator(InTreeCacheLocator):
    """Numba's in-tree cache locator, stamped with :func:`sources_stamp` for the package."""

    def get_source_stamp(self) -> str:
        """The freshness stamp of the cached code."""
        return sources_stamp(Path(self._py_file).resolve())

    @classmethod
    def from_function(cls, py_func, py_file):
        """A locator for functions defined in the package (None elsewhere)."""
        if not Path(py_file).resolve().is_relative_to(PACKAGE):
            return None
        return super().from_function(py_func, py_file)


def register() -> None:
    """Put :class:`DynamicsCacheLocator` first among numba's cache locators (once).

    Compiled functions defined before this (in modules imported before :mod:`sim.dynamics`)
    keep numba's own locator.
    """
    if DynamicsCacheLocator not in CacheImpl._locator_classes:
        CacheImpl._locator_classes.insert(0, DynamicsCacheLocator)
