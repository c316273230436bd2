"""Calibration files: which free parameters to fit, within which bounds, to which targets.

A calibration file is TOML (data only; nothing in it is executed)::

    title = "BRIGHT: knowledge, self-efficacy and self-management"
    base = "../bright.toml"          # the intervention whose trial is a target (T9)
    seed = 2014                      # every design and run seed derives from it
    points = 120                     # points simulated per wave
    waves = 5                        # at most this many waves (stop rule: min_shrink)
    min_shrink = 0.1                 # stop once a wave shrinks the NROY share by less than this
    candidates = 20000               # points screened by the emulators per wave
    replicates = 2                   # runs per point (common random numbers across points)
    replicates_per_run = 4           # replicate trials per run
    ensemble_size = 50               # K parameter sets written to ensemble.toml
    confirm_replicates = 3           # runs of each ensemble candidate (confirmation)
    cutoff = 3.0                     # implausibility above which a point is ruled out
    rank = 2                         # k-th largest implausibility over targets (default: by count)
    targets = ["baseline_eq5d", "eq5d_effect", ...]   # default: all of sim.calibration.TARGETS

    [target_sd]                      # optional: a tighter (or looser) uncertainty for some targets
    eq5d_effect = 0.005              # on the target's own scale (log odds ratio for BP control)
    [discrepancy]                    # optional: model discrepancy SD (default half of target_sd)
    eq5d_effect = 0.005

    [fixed]                          # optional overrides of the base for every run
    [parameters]                     # the free parameters: dotted key = { low = .., high = .. }
    "mechanisms.eq5d.self_efficacy_anxiety" = { low = 0.5, high = 4.0 }

Every free parameter must have a declared prior (:data:`sim.config.prior_params.PRIORS`) and its
bounds must lie within it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.calibration.emulator import default_rank
from sim.calibration.targets import TARGETS, Target
from sim.config.scenario import Scenario, ScenarioError, load_scenario
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
    "min_shrink",
    "candidates",
    "replicates",
    "replicates_per_run",
    "ensemble_size",
    "confirm_replicates",
    "cutoff",
    "rank",
    "targets",
    "target_sd",
    "discrepancy",
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
        points: Points simulated per wave (wave 1: a Latin hypercube).
        waves: Most history-matching waves.
        min_shrink: Stop once a wave shrinks the not-implausible share by less than this share.
        candidates: Points screened by the emulators per wave.
        replicates: Runs per point.
        replicates_per_run: Replicate trials per run.
        ensemble_size: Parameter sets in the ensemble (K).
        confirm_replicates: Runs of each ensemble candidate.
        cutoff: Implausibility cut-off.
        rank: Which largest implausibility across targets rules a point out.
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
    waves: int = 5
    min_shrink: float = 0.1
    candidates: int = 20_000
    replicates: int = 2
    replicates_per_run: int = 4
    ensemble_size: int = 50
    confirm_replicates: int = 3
    cutoff: float = 3.0
    rank: int = 1
    fixed: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    description: str = ""

    @property
    def target_names(self) -> tuple[str, ...]:
        """The fitted targets' names (keys of :data:`sim.calibration.targets.TARGETS`)."""
        by_code = {t.code: name for name, t in TARGETS.items()}
        return tuple(by_code[t.code] for t in self.targets)

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


def _number(path: Path, key: str, value: Any, low: float, high: float, what: str) -> float:
    """Require a number in ``(low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not low < value <= high:
        raise ScenarioError(path, key, f"{value!r} is not allowed; expected {what}")
    return float(value)


def _sds(path: Path, section: str, table: Any, names: tuple[str, ...]) -> dict[str, float]:
    """The checked ``[target_sd]`` or ``[discrepancy]`` table: target name -> a number."""
    check_table(path, f"{section}.", table, names)
    low = 0.0 if section == "target_sd" else -1e-300  # a discrepancy may be 0
    for name, value in table.items():
        default = TARGETS[name].sd if section == "target_sd" else TARGETS[name].discrepancy_sd
        _number(
            path,
            f"{section}.{name}",
            value,
            low,
            1e9,
            f"a number {'above' if low == 0 else 'at least'} 0 on the target's scale "
            f"(default {default:.4g})",
        )
    return {name: float(value) for name, value in table.items()}


def _target(name: str, sds: dict[str, float], discrepancies: dict[str, float]) -> Target:
    """The target, with the calibration file's uncertainty and discrepancy if it gives them."""
    target = TARGETS[name]
    if name in sds:
        target = replace(target, sd=sds[name])
    if name in discrepancies:
        target = replace(target, discrepancy=discrepancies[name])
    return target


def _within_prior(path: Path, factor: Factor) -> Factor:
    """Refuse a free parameter without a declared prior, or bounds outside it."""
    from sim.config.prior_params import PRIORS

    name = f"parameters.{factor.key}"
    prior = PRIORS.get(factor.key)
    if prior is None:
        raise ScenarioError(
            path,
            name,
            "has no declared prior range; a calibration may move only parameters declared in "
            "sim/config/prior_params.py (with their evidence or assumption)",
        )
    assert factor.low is not None and factor.high is not None
    if factor.low < prior.low or factor.high > prior.high:
        raise ScenarioError(
            path,
            name,
            f"bounds {factor.low:g} to {factor.high:g} go outside the declared prior "
            f"{prior.low:g} to {prior.high:g} ({prior.source})",
        )
    return factor


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
        factors.append(_within_prior(path, check_factor(path, key, spec, "lhs")))
    names = check_names(
        path, "targets", raw.get("targets", list(TARGETS)), tuple(TARGETS), "targets"
    )
    sds = _sds(path, "target_sd", raw.get("target_sd", {}), names)
    discrepancies = _sds(path, "discrepancy", raw.get("discrepancy", {}), names)
    for key in ("title", "description"):
        if not isinstance(raw.get(key, ""), str):
            raise ScenarioError(path, key, f"{raw[key]!r} is not allowed; expected a string")
    return Calibration(
        name=path.stem,
        path=path,
        base=base,
        factors=tuple(factors),
        targets=tuple(_target(n, sds, discrepancies) for n in names),
        seed=check_int(path, "seed", raw.get("seed", base["run.seed"]), 0, 2**63 - 1),
        points=check_int(path, "points", raw.get("points", 40), 4, 100_000),
        waves=check_int(path, "waves", raw.get("waves", 5), 1, 20),
        min_shrink=_number(
            path, "min_shrink", raw.get("min_shrink", 0.1), 0.0, 1.0, "a share in (0, 1]"
        ),
        candidates=check_int(path, "candidates", raw.get("candidates", 20_000), 100, 10**7),
        replicates=check_int(path, "replicates", raw.get("replicates", 2), 1, 10_000),
        replicates_per_run=check_int(
            path, "replicates_per_run", raw.get("replicates_per_run", 4), 1, 10_000
        ),
        ensemble_size=check_int(path, "ensemble_size", raw.get("ensemble_size", 50), 2, 10_000),
        confirm_replicates=check_int(
            path, "confirm_replicates", raw.get("confirm_replicates", 3), 2, 100_000
        ),
        cutoff=_number(
            path, "cutoff", raw.get("cutoff", 3.0), 0.0, 100.0, "a number above 0 (usually 3)"
        ),
        rank=check_int(path, "rank", raw.get("rank", default_rank(len(names))), 1, len(names)),
        fixed=fixed,
        title=raw.get("title", ""),
        description=raw.get("description", ""),
    )
