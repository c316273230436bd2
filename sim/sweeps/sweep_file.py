"""Sweep files: read, check and resolve a sweep (TOML) into a frozen :class:`Sweep`.

A sweep file names a base scenario, the parameters to vary (by dotted key, with their values or
bounds), a design, the replicates per point, what each run computes (``task``: ``"model"``, one
model run, by default, or ``"trial"``, replicate trials; see :mod:`sim.sweeps.tasks`) and the
outcomes to keep. Every error names the file, the key, the bad value and what is allowed, in the
style of :mod:`sim.config.scenario` (and raises its :class:`~sim.config.scenario.ScenarioError`, so
the command line exits with code 2 before writing anything). Sweep files are data: nothing in them
is executed.

See ``scenarios/sweeps/*.toml`` for commented examples and the README's "Sweeps" section.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from sim.config.scenario import Scenario, ScenarioError, load_scenario
from sim.sweeps.checks import (
    DESIGN_KINDS,
    check_bool,
    check_design,
    check_factor,
    check_fixed,
    check_int,
    check_list_lengths,
    check_sensitivity,
    check_table,
    flatten_parameters,
)
from sim.sweeps.factor import Factor
from sim.sweeps.tasks import SweepTask, TaskSetup, get_task, task_sections

TOP_KEYS = (
    "title",
    "description",
    "base",
    "task",
    "seed",
    "replicates",
    "weeks",
    "common_random_numbers",
    "fixed",
    "parameters",
    "design",
    "outcomes",
    "sensitivity",
    "ensemble",
)


@dataclass(frozen=True)
class Sensitivity:
    """How ``sim sensitivity`` samples and analyses (a SALib method).

    Attributes:
        method: ``"sobol"`` (Saltelli sampling, first and total order indices) or ``"morris"``
            (elementary effects screening).
        n: Base sample size (Sobol: points = n x (parameters + 2), or n x (2 parameters + 2)
            with second order; Morris: trajectories, points = n x (parameters + 1)).
        levels: Morris grid levels.
        second_order: Also compute second-order Sobol indices.
        outcomes: Outcome columns to analyse (default: all).
        conf_level: Confidence level of the bootstrap intervals.
    """

    method: str
    n: int
    levels: int = 4
    second_order: bool = False
    outcomes: tuple[str, ...] = ()
    conf_level: float = 0.95


@dataclass(frozen=True)
class Sweep:
    """A resolved, checked sweep.

    Attributes:
        name: Short name (the file's stem), used for the output folder.
        path: The sweep file, or None for a sweep built in Python.
        base: The base scenario with ``fixed`` applied.
        factors: The parameters varied, in file order.
        design: ``"grid"``, ``"list"``, ``"lhs"`` or ``"sobol"``; ``"saltelli"`` or ``"morris"``
            for a sensitivity sweep.
        n: Points of an LHS or Sobol design (0 for grid and list designs).
        replicates: Runs per design point.
        seed: Sweep seed: the design and every run's seed derive from it.
        weeks: Weeks each run simulates (task ``"model"``).
        task: Name of what each run computes (:mod:`sim.sweeps.tasks`): ``"model"`` (one model
            run) or ``"trial"`` (replicate trials), or a name given to :func:`register_task`.
        options: The task's checked options (e.g. ``{"replicates_per_run": 1}`` for ``"trial"``).
        outcomes: The checked ``[outcomes]`` table (task ``"model"``: measures, weeks and
            timeseries; task ``"trial"``: names).
        common_random_numbers: Seed runs by replicate only, so replicate r of every point shares
            its random numbers (differences between points are then less noisy).
        fixed: Overrides applied to the base scenario for every run.
        sensitivity: The sensitivity method, for ``sim sensitivity`` files.
        ensemble: Calibrated parameter sets the replicates are spread over (``ensemble =
            "FILE"``, relative to the sweep file): replicate ``r`` of every point runs member
            ``r mod K`` for the keys the base takes from the calibration and the point does not
            vary (:mod:`sim.calibration.ensemble_run`); None for the base's own values.
        title: Human title.
        description: Human description.
    """

    name: str
    path: Path | None
    base: Scenario
    factors: tuple[Factor, ...]
    design: str = "grid"
    n: int = 0
    replicates: int = 1
    seed: int = 0
    weeks: int = 26
    task: str = "model"
    options: dict[str, Any] = field(default_factory=dict)
    outcomes: dict[str, Any] = field(
        default_factory=lambda: {"measures": ["eq5d"], "weeks": [26], "timeseries": False}
    )
    common_random_numbers: bool = False
    fixed: dict[str, Any] = field(default_factory=dict)
    sensitivity: Sensitivity | None = None
    ensemble: Any = None
    title: str = ""
    description: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The dotted keys varied."""
        return tuple(f.key for f in self.factors)

    @property
    def run_task(self) -> SweepTask:
        """The task object each run executes."""
        return get_task(self.task, self.path or "<sweep>")

    @property
    def setup(self) -> TaskSetup:
        """What the task needs besides each run's scenario and seed."""
        return TaskSetup(dict(self.options), dict(self.outcomes), self.outcome_columns)

    @property
    def outcome_columns(self) -> tuple[str, ...]:
        """Outcome column names, e.g. ``eq5d_w26`` (task ``"model"``) or ``eq5d_effect``."""
        return self.run_task.columns(self.outcomes)

    @property
    def measures(self) -> tuple[str, ...]:
        """Population measures kept (task ``"model"``; () for other tasks)."""
        return tuple(self.outcomes.get("measures", ()))

    @property
    def timeseries_measures(self) -> tuple[str, ...]:
        """Measures also kept every week, in a second dataset (() for none)."""
        return self.run_task.timeseries_measures(self.outcomes)

    @property
    def timeseries(self) -> bool:
        """Whether runs keep a weekly time series (a second dataset)."""
        return bool(self.timeseries_measures)

    def nested(self, base: str | None = None, ensemble: str | None = None) -> dict[str, Any]:
        """The resolved sweep as nested tables (every default written out).

        Args:
            base: What to write as ``base`` (default: the base scenario's absolute path).
            ensemble: What to write as ``ensemble``, if the sweep has one (default: the
                ensemble file's absolute path).
        """
        out: dict[str, Any] = {"title": self.title, "description": self.description}
        if base is None:
            base = str(self.base.path.resolve()) if self.base.path else ""
        out["base"] = base
        out["task"] = self.task
        out |= {"seed": self.seed, "replicates": self.replicates}
        if self.run_task.uses_weeks:
            out["weeks"] = self.weeks
        out["common_random_numbers"] = self.common_random_numbers
        section = self.run_task.section
        if section is not None:
            out[section] = dict(self.options)
        out["fixed"] = dict(self.fixed)
        out["parameters"] = {f.key: f.to_toml() for f in self.factors}
        if self.sensitivity is None:
            out["design"] = {"kind": self.design} | ({"n": self.n} if self.n else {})
        out["outcomes"] = dict(self.outcomes)
        if self.ensemble is not None:
            out["ensemble"] = ensemble or str(Path(self.ensemble.path).resolve())
        if self.sensitivity is not None:
            s = self.sensitivity
            out["sensitivity"] = {**asdict(s), "outcomes": list(s.outcomes)}
        return out

    def to_toml(self, base: str | None = None, ensemble: str | None = None) -> str:
        """Render the resolved sweep as TOML (the base scenario is written separately).

        Args:
            base: What to write as ``base``, a path relative to where the TOML will be saved
                (default: the base scenario's absolute path). A sweep's folder holds
                ``base = "scenario.toml"``, its resolved base written alongside, so that the
                folder can be moved and still be resumed from its own ``sweep.toml``.
            ensemble: The same for ``ensemble``: a sweep's folder holds ``ensemble =
                "ensemble.toml"``, a copy of the ensemble written alongside.
        """
        header = f"# Resolved sweep {self.name!r}" + (f" from {self.path}" if self.path else "")
        return header + "\n" + tomli_w.dumps(self.nested(base, ensemble))

    def fingerprint(self) -> str:
        """A digest of everything that decides the runs and their results (not the title)."""
        nested = self.nested()
        for key in ("title", "description", "base"):
            nested.pop(key)
        if nested["task"] == "model":  # sweeps from before tasks existed keep their digest
            nested.pop("task")
        nested.pop("ensemble", None)  # its values count, not where the file is
        if self.ensemble is not None:
            nested["ensemble_values"] = self.ensemble.values.tolist()
            nested["ensemble_keys"] = list(self.ensemble.keys)
        text = tomli_w.dumps(nested) + self.base.to_toml().split("\n", 1)[1]
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_sweep(path: str | Path) -> Sweep:
    """Load a sweep file, load its base scenario and check every value.

    Args:
        path: The TOML sweep file, or the name of a shipped one (``sweeps/grid_example``).

    Returns:
        The resolved sweep.

    Raises:
        ScenarioError: naming the file and key of the first problem found.
    """
    from sim.config.shipped import resolve

    path = resolve(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(path, "-", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, "-", f"cannot read file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "-", f"TOML syntax error: {exc}") from None
    folder = folder_of(path)
    return sweep_from_dict(raw, path, name=folder.name if folder is not None else path.stem)


def folder_of(path: str | Path) -> Path | None:
    """The sweep folder ``path`` belongs to, if it is the ``sweep.toml`` a sweep wrote there.

    A sweep's folder holds its resolved sweep as ``sweep.toml``, whose base is the resolved base
    scenario next to it, so ``sim sweep FOLDER/sweep.toml`` resumes the folder wherever it has
    been moved (the sweep keeps the folder's name).
    """
    path = Path(path)
    folder = path.parent
    if path.name == "sweep.toml" and (folder / "provenance.json").is_file():
        return folder
    return None


def sweep_from_dict(raw: dict[str, Any], path: Path, name: str | None = None) -> Sweep:
    """Check a sweep read from ``path`` (its base is resolved relative to the file's folder).

    Args:
        raw: The file's tables.
        path: The file.
        name: The sweep's name (default: the file's stem).
    """
    check_table(path, "", raw, TOP_KEYS + task_sections())
    base_name = raw.get("base")
    if not isinstance(base_name, str) or not base_name:
        raise ScenarioError(
            path,
            "base",
            f"{base_name!r} is not allowed; expected the base scenario file (a "
            "path relative to this file)",
        )
    base_path = path.parent / base_name
    if not base_path.is_file():
        raise ScenarioError(path, "base", f"base file {base_name!r} not found ({base_path})")
    base = load_scenario(base_path)
    return make_sweep(
        base,
        raw.get("parameters", {}),
        name=name or path.stem,
        path=path,
        **{k: v for k, v in raw.items() if k not in ("base", "parameters")},
    )


def make_sweep(
    base: Scenario,
    parameters: dict[str, Any],
    *,
    name: str = "sweep",
    path: Path | None = None,
    **settings: Any,
) -> Sweep:
    """Build and check a sweep in Python, with the keys of a sweep file as keyword arguments.

    Args:
        base: The base scenario.
        parameters: Dotted key -> list of values, or ``{"low": .., "high": .., "n": ..}``.
        name: Name of the sweep (its output folder).
        path: File the settings came from (for error messages), if any.
        **settings: ``task`` (default ``"model"``), ``seed``, ``replicates``, ``weeks``,
            ``common_random_numbers``, ``fixed``, ``design`` (a table), ``outcomes`` (a table),
            the task's options table (``trial`` for the trial task), ``sensitivity`` (a table),
            ``title``, ``description``.

    Example:
        >>> from sim.config.scenario import default_scenario
        >>> s = make_sweep(default_scenario(), {"mechanisms.navigation.p_join": [0.01, 0.02]},
        ...                replicates=3, outcomes={"measures": ["eq5d"], "weeks": [4]}, weeks=4)
        >>> s.outcome_columns
        ('eq5d_w4',)
    """
    where: str | Path = path if path is not None else "<sweep>"
    check_table(where, "", {"parameters": parameters, **settings}, TOP_KEYS + task_sections())
    task_name = settings.get("task", "model")
    task = get_task(task_name, where)
    for section in task_sections():
        if section in settings and section != task.section:
            raise ScenarioError(
                where,
                section,
                f"[{section}] sets options of another task; this sweep's task is {task_name!r} "
                f'(set task = "{section}" or remove [{section}])',
            )
    if "weeks" in settings and not task.uses_weeks:
        raise ScenarioError(
            where,
            "weeks",
            f"task {task_name!r} does not use weeks; remove it (a trial follows patients up for "
            "trial.outcome_week weeks: set that under [fixed] or [parameters])",
        )
    options = task.check_options(where, settings.get(task.section, {})) if task.section else {}
    for key in ("title", "description"):
        if not isinstance(settings.get(key, ""), str):
            raise ScenarioError(where, key, f"{settings[key]!r} is not allowed; expected a string")
    fixed = check_fixed(where, settings.get("fixed", {}))
    try:
        base = base.with_overrides(fixed, origin=str(where)) if fixed else base
    except ScenarioError as exc:
        raise ScenarioError(
            where, f"fixed.{exc.key}" if exc.key in fixed else exc.key, exc.message
        ) from None
    weeks = check_int(where, "weeks", settings.get("weeks", base["run.weeks"]), 0, 1040)
    task.check_base(where, base, options)
    kind, n = _design_kind(where, settings)
    factors = _factors(where, parameters, kind)
    outcomes = task.check_outcomes(where, settings.get("outcomes", {}), weeks)
    sensitivity = None
    if "sensitivity" in settings:
        columns = task.columns(outcomes)
        checked = check_sensitivity(where, settings["sensitivity"], factors, columns)
        sensitivity, n = Sensitivity(**checked), checked["n"]
    return Sweep(
        name=name,
        path=path,
        base=base,
        factors=factors,
        design=kind,
        n=n,
        replicates=check_int(where, "replicates", settings.get("replicates", 1), 1, 1_000_000),
        seed=check_int(where, "seed", settings.get("seed", base["run.seed"]), 0, 2**63 - 1),
        weeks=weeks,
        task=task_name,
        options=options,
        outcomes=outcomes,
        common_random_numbers=check_bool(
            where, "common_random_numbers", settings.get("common_random_numbers", False)
        ),
        fixed=fixed,
        sensitivity=sensitivity,
        ensemble=_ensemble(where, settings.get("ensemble")),
        title=settings.get("title", ""),
        description=settings.get("description", ""),
    )


def _ensemble(where: str | Path, name: Any):
    """The sweep's ensemble (``ensemble = "FILE"``, relative to the sweep file), or None."""
    if name is None:
        return None
    from sim.calibration.ensemble_file import load_ensemble

    if not isinstance(name, str) or not name:
        raise ScenarioError(where, "ensemble", f"{name!r} is not allowed; expected a file name")
    folder = Path(where).parent if isinstance(where, Path) else Path(".")
    path = folder / name
    if not path.is_file():
        raise ScenarioError(where, "ensemble", f"ensemble file {name!r} not found ({path})")
    return load_ensemble(path)


def _design_kind(where: str | Path, settings: dict[str, Any]) -> tuple[str, int]:
    """The design's kind and size (a sensitivity file's design follows from its method)."""
    sensitivity = settings.get("sensitivity")
    if sensitivity is None:
        return check_design(where, settings.get("design", {}))
    if "design" in settings:
        raise ScenarioError(
            where,
            "design",
            "a file with [sensitivity] takes its design from the method; remove [design]",
        )
    method = sensitivity.get("method") if isinstance(sensitivity, dict) else None
    return ("morris" if method == "morris" else "saltelli"), 0


def _factors(where: str | Path, parameters: Any, kind: str) -> tuple[Factor, ...]:
    """The checked ``[parameters]``: at least one, each right for the design."""
    flat = flatten_parameters(where, parameters)
    if not flat:
        raise ScenarioError(
            where,
            "parameters",
            "the design is empty: list at least one dotted key to vary "
            'under [parameters], e.g. "mechanisms.navigation.p_join" = [0.01, 0.02]',
        )
    factors = tuple(check_factor(where, key, value, kind) for key, value in flat.items())
    if kind == "list":
        check_list_lengths(where, factors)
    return factors


__all__ = [
    "DESIGN_KINDS",
    "Factor",
    "Sensitivity",
    "Sweep",
    "folder_of",
    "load_sweep",
    "make_sweep",
]
