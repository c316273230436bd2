"""Calibration files: which free parameters to fit, within which bounds, to which targets.

A calibration file is TOML (data only; nothing in it is executed)::

    title = "BRIGHT: knowledge, self-efficacy and self-management"
    base = "../bright.toml"          # the intervention whose trial is a target (T9)
    seed = 2014                      # every design and run seed derives from it
    points = 40                      # Latin hypercube points per wave
    waves = 2                        # history-matching waves (later waves shrink the box)
    replicates = 2                   # runs per point (common random numbers across points)
    replicates_per_run = 4           # replicate trials per run
    confirm_replicates = 10          # runs of the chosen point, for the fit report
    cutoff = 3.0                     # implausibility above which a point is ruled out
    targets = ["baseline_eq5d", "eq5d_effect", ...]   # default: all of sim.calibration.TARGETS

    [target_sd]                      # optional: a tighter (or looser) uncertainty for some targets
    eq5d_effect = 0.005              # on the target's own scale (log odds ratio for BP control)

    [fixed]                          # optional overrides of the base for every run
    [parameters]                     # the free parameters: dotted key = { low = .., high = .. }
    "mechanisms.eq5d.self_efficacy_anxiety" = { low = 0.5, high = 4.0 }
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.calibration.targets import TARGETS, Target
from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.sweeps.checks import check_factor, check_fixed, check_int, check_table, flatten_parameters
from sim.sweeps.factor import Factor
from sim.sweeps.tasks import check_names

TOP_KEYS = (
    "title",
    "description",
    "base",
    "seed",
    "points",
    "waves",
    "replicates",
    "replicates_per_run",
    "confirm_replicates",
    "cutoff",
    "targets",
    "target_sd",
    "fixed",
    "parameters",
)


@dataclass(frozen=True)
class Calibration:
    """A checked calibration file.

    Attributes:
        name: Short name (the file's stem): the output folder's name.
        path: The file.
        base: The base scenario, with ``[fixed]`` applied.
        factors: The free parameters and their bounds.
        targets: The targets fitted, in table order.
        seed: Root seed.
        points: Latin hypercube points per wave.
        waves: History-matching waves.
        replicates: Runs per point.
        replicates_per_run: Replicate trials per run.
        confirm_replicates: Runs of the chosen point.
        cutoff: Implausibility cut-off.
        fixed: The ``[fixed]`` overrides.
        title: Human title.
        description: Human description.
    """

    name: str
    path: Path
    base: Scenario
    factors: tuple[Factor, ...]
    targets: tuple[Target, ...]
    seed: int = 0
    points: int = 40
    waves: int = 2
    replicates: int = 2
    replicates_per_run: int = 4
    confirm_replicates: int = 10
    cutoff: float = 3.0
    fixed: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    description: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The free parameters' dotted keys."""
        return tuple(f.key for f in self.factors)

    def bounds(self) -> dict[str, tuple[float, float]]:
        """Free parameter -> (low, high) as given in the file."""
        return {f.key: (float(f.low), float(f.high)) for f in self.factors}


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError(path, "-", "calibration file not found")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "-", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ScenarioError(path, "-", "not valid TOML: the file is not UTF-8 text") from None


def _cutoff(path: Path, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise ScenarioError(
            path, "cutoff", f"{value!r} is not allowed; expected a number above 0 (usually 3)"
        )
    return float(value)


def _target_sds(path: Path, table: Any, names: tuple[str, ...]) -> dict[str, float]:
    """The checked ``[target_sd]`` table: fitted target name -> a positive number."""
    check_table(path, "target_sd.", table, names)
    for name, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise ScenarioError(
                path,
                f"target_sd.{name}",
                f"{value!r} is not allowed; expected a number above 0 on the target's scale "
                f"(default {TARGETS[name].sd:.4g})",
            )
    return {name: float(value) for name, value in table.items()}


def _with_sd(target: Target, name: str, sds: dict[str, float]) -> Target:
    """The target, with the calibration file's uncertainty if it gives one."""
    return replace(target, sd=sds[name]) if name in sds else target


def load_calibration(path: str | Path) -> Calibration:
    """Read and check a calibration file.

    Raises:
        ScenarioError: naming the file, the key and what is allowed.
    """
    path = Path(path)
    raw = _read(path)
    check_table(path, "", raw, TOP_KEYS)
    base_name = raw.get("base")
    if not isinstance(base_name, str) or not base_name:
        raise ScenarioError(
            path, "base", f"{base_name!r} is not allowed; expected the base scenario file"
        )
    base_path = path.parent / base_name
    if not base_path.is_file():
        raise ScenarioError(path, "base", f"base file {base_name!r} not found ({base_path})")
    base = load_scenario(base_path)
    fixed = check_fixed(path, raw.get("fixed", {}))
    if fixed:
        try:
            base = base.with_overrides(fixed, origin=str(path))
        except ScenarioError as exc:
            raise ScenarioError(path, f"fixed.{exc.key}", exc.message) from None
    if not any(
        k.startswith("interventions.") and k.endswith(".enabled") and v
        for k, v in base.values.items()
    ):
        raise ScenarioError(
            path,
            "base",
            f"{base_name!r} enables no intervention; the trial target (T9) needs one "
            '(e.g. base = "../bright.toml")',
        )
    flat = flatten_parameters(path, raw.get("parameters", {}))
    if not flat:
        raise ScenarioError(
            path,
            "parameters",
            "no free parameters: list at least one dotted key with bounds under [parameters], "
            'e.g. "mechanisms.eq5d.self_efficacy_anxiety" = { low = 0.5, high = 4.0 }',
        )
    factors = []
    for key, spec in flat.items():
        if isinstance(spec, list):
            raise ScenarioError(
                path,
                f"parameters.{key}",
                f"{spec!r} is not allowed; a free parameter needs bounds {{ low = .., high = .. }}",
            )
        factors.append(check_factor(path, key, spec, "lhs"))
    names = check_names(
        path, "targets", raw.get("targets", list(TARGETS)), tuple(TARGETS), "targets"
    )
    sds = _target_sds(path, raw.get("target_sd", {}), names)
    for key in ("title", "description"):
        if not isinstance(raw.get(key, ""), str):
            raise ScenarioError(path, key, f"{raw[key]!r} is not allowed; expected a string")
    return Calibration(
        name=path.stem,
        path=path,
        base=base,
        factors=tuple(factors),
        targets=tuple(_with_sd(TARGETS[n], n, sds) for n in names),
        seed=check_int(path, "seed", raw.get("seed", base["run.seed"]), 0, 2**63 - 1),
        points=check_int(path, "points", raw.get("points", 40), 2, 100_000),
        waves=check_int(path, "waves", raw.get("waves", 2), 1, 10),
        replicates=check_int(path, "replicates", raw.get("replicates", 2), 1, 10_000),
        replicates_per_run=check_int(
            path, "replicates_per_run", raw.get("replicates_per_run", 4), 1, 10_000
        ),
        confirm_replicates=check_int(
            path, "confirm_replicates", raw.get("confirm_replicates", 10), 2, 100_000
        ),
        cutoff=_cutoff(path, raw.get("cutoff", 3.0)),
        fixed=fixed,
        title=raw.get("title", ""),
        description=raw.get("description", ""),
    )
