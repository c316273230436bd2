"""Comparison files: which options to compare against which comparator, checked before any work.

A comparison file (TOML data, e.g. ``scenarios/compare_all.toml``) names the comparator scenario
(usual care) and the options, each an intervention scenario, with optional short labels for
tables and figures::

    title = "BRIGHT, its components and GENIE"
    comparator = "usual_care.toml"          # relative to this file (default usual_care.toml)
    strategies = [
        { file = "bright.toml", label = "BRIGHT" },
        "genie.toml",                       # label: the scenario's title
    ]
    replicates = 100                        # replicate trials (default: trial.replicates)
    seed = 20120101                         # default: the comparator's run.seed
    willingness_to_pay = 20000              # GBP per QALY (default: trial.willingness_to_pay)
    population = 10000                      # patients in the budget-impact table

Every option runs on the comparator's replicate populations, trial design and random numbers, so
an option may change the model's mechanisms and personal communities (``[mechanisms]``,
``[network]``, ``[interventions]``) but not its ``[population]`` or ``[trial]`` keys. Each option
must switch on an intervention, and the comparator none (it is usual care).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.config.scenario import Scenario, ScenarioError, load_scenario
from sim.sweeps.checks import check_int, check_table
from sim.trial.preconditions import enabled_interventions, require_intervention

TOP_KEYS = (
    "title",
    "description",
    "comparator",
    "strategies",
    "replicates",
    "seed",
    "willingness_to_pay",
    "population",
)
#: Sections an option must share with the comparator (same populations, same trial).
SHARED_SECTIONS = ("population", "trial")
#: Budget-impact population when none is given (patients with stage 3 CKD).
DEFAULT_POPULATION = 10_000
#: Label of the comparator in every table and figure.
COMPARATOR_LABEL = "Usual care"


@dataclass(frozen=True)
class Option:
    """One option of a comparison: a scenario and its short label."""

    label: str
    scenario: Scenario


@dataclass(frozen=True)
class Comparison:
    """A checked comparison.

    Attributes:
        name: Short name (the file's stem, or ``"comparison"``), for the output folder.
        path: The comparison file, or None when built from scenarios on the command line.
        title: Human title.
        description: Human description.
        comparator: The comparator scenario (usual care).
        options: The options, in the order given.
        replicates: Replicate trials.
        seed: Root seed.
        willingness_to_pay: GBP per QALY for net monetary benefit.
        population: Patients in the budget-impact table.
    """

    name: str
    path: Path | None
    title: str
    description: str
    comparator: Scenario
    options: tuple[Option, ...]
    replicates: int
    seed: int
    willingness_to_pay: float
    population: int
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def labels(self) -> list[str]:
        """The comparator's label, then the options'."""
        return [COMPARATOR_LABEL, *(o.label for o in self.options)]


#: Keys of the shared sections that belong to each option alone: its own published comparator.
OWN_KEYS = ("trial.published.",)


def _check_option(comparator: Scenario, scenario: Scenario) -> None:
    require_intervention(scenario, "sim compare")
    for key, value in scenario.values.items():
        if key.startswith(OWN_KEYS):
            continue
        if key.split(".")[0] in SHARED_SECTIONS and value != comparator.values[key]:
            raise ScenarioError(
                scenario.origins[key],
                key,
                f"{value!r} differs from the comparator's {comparator.values[key]!r}; every "
                "option of a comparison runs on the comparator's populations and trial design "
                f"([{'] and ['.join(SHARED_SECTIONS)}] keys)",
            )


def _check_comparator(comparator: Scenario) -> None:
    enabled = enabled_interventions(comparator)
    if enabled:
        raise ScenarioError(
            comparator.path or comparator.name,
            f"interventions.{enabled[0]}.enabled",
            "the comparator is usual care and must switch on no intervention; name the "
            "intervention as an option instead",
        )
    if comparator["trial.shared_world"]:
        raise ScenarioError(
            comparator.origins["trial.shared_world"],
            "trial.shared_world",
            "true is not supported by 'sim compare' (every option is compared with the same "
            "usual-care arm); set it to false",
        )


def _option(where: Path, index: int, entry: Any) -> tuple[Path, str | None]:
    key = f"strategies[{index}]"
    if isinstance(entry, str) and entry:
        return where.parent / entry, None
    if isinstance(entry, dict):
        check_table(where, key + ".", entry, ("file", "label"))
        file, label = entry.get("file"), entry.get("label")
        if isinstance(file, str) and file and (label is None or (isinstance(label, str) and label)):
            return where.parent / file, label
    raise ScenarioError(
        where,
        key,
        f"{entry!r} is not allowed; expected a scenario file (a path relative to this file) or "
        '{ file = "...", label = "..." }',
    )


def is_comparison_file(path: Path) -> bool:
    """True if ``path`` names a comparison file (it lists ``strategies``), not a scenario."""
    from sim.config.shipped import resolve

    try:
        return "strategies" in tomllib.loads(resolve(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_comparison(path: str | Path) -> Comparison:
    """Read and check a comparison file (or a shipped one by name, e.g. ``compare_all``).

    Raises:
        ScenarioError: naming the file, the key and what is allowed.
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
    check_table(path, "", raw, TOP_KEYS)
    entries = raw.get("strategies")
    if not isinstance(entries, list) or not entries:
        raise ScenarioError(
            path, "strategies", f"{entries!r} is not allowed; expected a non-empty list of files"
        )
    comparator_file = raw.get("comparator", "usual_care.toml")
    if not isinstance(comparator_file, str) or not comparator_file:
        raise ScenarioError(
            path, "comparator", f"{comparator_file!r} is not allowed; expected a file"
        )
    options = [_option(path, k, e) for k, e in enumerate(entries)]
    return build_comparison(
        load_scenario(path.parent / comparator_file),
        [(load_scenario(file), label) for file, label in options],
        name=path.stem,
        path=path,
        settings=raw,
    )


def _text(where: Path | str, settings: dict[str, Any], key: str, default: str) -> str:
    value = settings.get(key, default)
    if not isinstance(value, str):
        raise ScenarioError(where, key, f"{value!r} is not allowed; expected a string")
    return value


def build_comparison(
    comparator: Scenario,
    options: list[tuple[Scenario, str | None]],
    *,
    name: str = "comparison",
    path: Path | None = None,
    settings: dict[str, Any] | None = None,
) -> Comparison:
    """Check a comparator and its options and build the comparison.

    Args:
        comparator: Usual care.
        options: Each option's scenario and label (None: its title, or its name).
        name: Short name for the output folder.
        path: The comparison file, if any (named in errors).
        settings: The file's other keys (title, description, replicates, seed,
            willingness_to_pay, population); missing ones take the comparator's values.

    Raises:
        ScenarioError: naming the file and key at fault.
    """
    settings = dict(settings or {})
    where = path or "<command line>"
    _check_comparator(comparator)
    for scenario, _ in options:
        _check_option(comparator, scenario)
    labels = _labels(where, options)
    return Comparison(
        name=name,
        path=path,
        title=_text(where, settings, "title", "Comparison of interventions with usual care"),
        description=_text(where, settings, "description", ""),
        comparator=comparator,
        options=tuple(Option(label, s) for label, (s, _) in zip(labels, options, strict=True)),
        **_numbers(where, settings, comparator),
        raw=settings,
    )


def _labels(where: Path | str, options: list[tuple[Scenario, str | None]]) -> list[str]:
    """Each option's label (given, or its title, or its name); refuse a label used twice."""
    labels = [label or scenario.title or scenario.name for scenario, label in options]
    repeated = sorted(
        {x for x in labels if labels.count(x) > 1} | ({COMPARATOR_LABEL} & set(labels))
    )
    if repeated:
        raise ScenarioError(
            where,
            "strategies",
            f"the label {repeated[0]!r} is used twice; give each option its own label "
            f"({COMPARATOR_LABEL!r} is the comparator's)",
        )
    return labels


def _numbers(where: Path | str, settings: dict[str, Any], comparator: Scenario) -> dict:
    """Replicates, seed, willingness to pay and population: checked, defaults filled in."""
    wtp = settings.get("willingness_to_pay", comparator["trial.willingness_to_pay"])
    if isinstance(wtp, bool) or not isinstance(wtp, int | float) or not 0 <= wtp <= 1e7:
        raise ScenarioError(
            where,
            "willingness_to_pay",
            f"{wtp!r} is not allowed; expected GBP per QALY in [0, 1e7]",
        )
    replicates = settings.get("replicates", comparator["trial.replicates"])
    population = settings.get("population", DEFAULT_POPULATION)
    return {
        "replicates": check_int(where, "replicates", replicates, 1, 100_000),
        "seed": check_int(
            where, "seed", settings.get("seed", comparator["run.seed"]), 0, 2**63 - 1
        ),
        "willingness_to_pay": float(wtp),
        "population": check_int(where, "population", population, 1, 10**9),
    }
