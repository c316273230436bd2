"""A trial's published comparator, and whether that figure was used in fitting or is predicted.

An intervention scenario names the published results its own trial should be compared with in
``[trial.published.<outcome>]`` tables (estimate, 95% CI ``low`` and ``high``, ``source`` and,
if the figure is a calibration target, its code ``target``). Only tables set in the scenario's
own file count: a what-if built on ``bright.toml`` is not judged against BRIGHT, and a trial
without a comparator is compared with nothing.

A figure is **used in fitting** when the calibration that produced the shipped defaults fitted
its target code, and otherwise **predicted, not used in fitting**. Which targets were fitted is
read from the shipped ensemble file's ``fitted_targets``, written by ``sim calibrate`` from the
calibration file itself (not a hand-kept list).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from sim.config.scenario import Scenario, ScenarioError
from sim.trial.trial_outcomes import OUTCOMES

FITTED = "used in fitting"
PREDICTED = "predicted, not used in fitting"


@dataclass(frozen=True)
class Comparator:
    """A published effect a trial's estimate is compared with."""

    outcome: str
    estimate: float
    low: float
    high: float
    source: str
    target: str
    label: str


def fitted_targets(ensemble: Path | None = None) -> tuple[str, ...]:
    """Codes of the targets the defaults were fitted to (none if no ensemble is shipped).

    Args:
        ensemble: An ensemble file (default: the shipped one, ``sim.scenarios``' ``ensemble``).
    """
    from sim.calibration.ensemble_file import load_ensemble
    from sim.calibration.ensemble_options import SHIPPED
    from sim.config.shipped import resolve

    ensemble = resolve(SHIPPED) if ensemble is None else ensemble
    if not ensemble.is_file():
        return ()

    return load_ensemble(ensemble).fitted_targets


def comparators(scenario: Scenario, fitted: tuple[str, ...] | None = None) -> list[Comparator]:
    """The published comparators the scenario's own file names (see the module docstring).

    Raises:
        ScenarioError: if a comparator's interval does not hold its estimate.
    """
    fitted = fitted_targets() if fitted is None else fitted
    own = str(scenario.path) if scenario.path is not None else None
    out = []
    for outcome in OUTCOMES:
        prefix = f"trial.published.{outcome}."
        key = prefix + "source"
        if key not in scenario.values or not scenario[key]:
            continue
        if own is None or str(scenario.origins[key]) != own:
            continue  # inherited from a base scenario: not this scenario's comparator
        estimate, low, high = (scenario[prefix + k] for k in ("estimate", "low", "high"))
        if not low <= estimate <= high:
            raise ScenarioError(
                scenario.origins[prefix + "estimate"],
                prefix + "estimate",
                f"{estimate!r} is not within its interval {low!r} to {high!r}",
            )
        target = scenario[prefix + "target"]
        label = FITTED if target and target in fitted else PREDICTED
        out.append(Comparator(outcome, estimate, low, high, scenario[key], target, label))
    return out


def comparator_table(items: list[Comparator]) -> pd.DataFrame:
    """The comparators as a table (written to a trial folder's ``tables/published``)."""
    columns = list(Comparator.__dataclass_fields__)
    return pd.DataFrame([asdict(c) for c in items], columns=columns)


def versus_published(summary: pd.DataFrame, items: list[Comparator]) -> pd.DataFrame:
    """Each comparator against the trial's mean estimate (empty when there is none)."""
    overall = summary[summary["subgroup"] == "all"].set_index("outcome")
    rows = []
    for c in items:
        estimate = float(overall.loc[c.outcome, "estimate"])
        rows.append(
            {
                "outcome": c.outcome,
                "mean_estimate": estimate,
                "true_effect": float(overall.loc[c.outcome, "true_effect"]),
                "published": c.estimate,
                "published_low": c.low,
                "published_high": c.high,
                "within_published_ci": bool(c.low <= estimate <= c.high),
                "figure": c.label,
                "source": c.source,
            }
        )
    return pd.DataFrame(rows)


def cell(items: list[Comparator], outcome: str, number) -> str:
    """The results table's comparator cell: the figure, its interval and its label, or '-'."""
    c = next((c for c in items if c.outcome == outcome), None)
    if c is None:
        return "-"
    return f"{number(c.estimate)} ({number(c.low)} to {number(c.high)}); {c.label}"
