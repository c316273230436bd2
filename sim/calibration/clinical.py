"""Usual care measured as the sources measured it: targets T5, T6, T10-T12, natural history.

Each function runs the usual-care scenario for a few seeds and returns means over them:

* :func:`at_recruitment`: BP control among patients with hypertension (T5), mean EQ-5D (T6), the
  share with any problem on each dimension (T10), and usual care's trend over the trial's weeks
  (BP control, EQ-5D, persistence, medicines), primary-care contacts a year and cost by component;
* :func:`persistence_without_reviews`: the share of patients taking antihypertensives at
  recruitment still taking them after 52 weeks with no review (T11; Vrijens et al. 2008);
* :func:`participation_gain`: the mean utility gain of patients who start taking part in a
  community group against themselves not starting (T7; Munford et al. 2020);
* :func:`admission_rate_ratios`: admissions per 100 patient-years by band of true eGFR at
  recruitment, and rate ratios adjusted for age, diabetes and BP control by Poisson regression
  with statsmodels (T12; Go et al. 2004);
* :func:`natural_history`: died, progressed and remitted after five years, the stage measured by
  the last clinic reading against the recruitment stage (Shardlow et al. 2016);
* :func:`warmup_settling`: the population means of the slow stocks through the warm-up.

``python -m sim.calibration.clinical [SCENARIO]`` prints them all (default: usual care).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.participation import participation_effect
from sim.calibration.targets import CLINICAL_TARGETS
from sim.config.scenario import Scenario, load_scenario
from sim.dynamics import kidney
from sim.dynamics.eq5d import DIMENSIONS
from sim.dynamics.services import COST_COMPONENTS
from sim.dynamics.warmup import stock_means
from sim.model import CommunityModel

SEEDS = (1, 2, 3, 4)
USUAL_CARE = Path(__file__).resolve().parents[2] / "scenarios" / "usual_care.toml"
#: Measures whose change over the trial's weeks shows usual care's trend.
TREND = ("bp_controlled", "bp_controlled_true", "eq5d", "persisting", "medicines", "sbp")


def _model(scenario: Scenario, seed: int, **overrides: object) -> CommunityModel:
    return CommunityModel(scenario.with_overrides(overrides), seed=seed, agents=False)


def _hypertensive_control(model: CommunityModel) -> float:
    pt = model.dynamics.patients
    hypertensive = model.population.patients.hypertension & pt.alive
    return float(pt.controlled[hypertensive].mean())


def at_recruitment(scenario: Scenario, seeds=SEEDS, weeks: int = 26) -> dict[str, float]:
    """T5, T6 and T10 at recruitment; usual care's change over ``weeks``; contacts and costs."""
    rows = []
    for seed in seeds:
        model = _model(scenario, seed)
        row = {"bp_controlled_hypertensive": _hypertensive_control(model)}
        row.update({m: model.measure(m) for m in ("eq5d", *(f"eq5d_{d}" for d in DIMENSIONS))})
        first = {m: model.measure(m) for m in TREND}
        model.run(weeks)
        row.update({f"change_{m}": model.measure(m) - first[m] for m in TREND})
        table = model.datacollector.get_model_vars_dataframe()
        row["contacts_per_year"] = 52.0 * float(table["gp_contacts"].iloc[1:].mean())
        row.update({f"cost_{c}": model.measure(f"cost_{c}") for c in COST_COMPONENTS})
        row["cost"] = model.measure("cost")
        years = float(table["n_alive"].iloc[1:].sum()) / 52.0
        row["admissions_per_100_years"] = 100 * model.dynamics.patients.admissions.sum() / years
        rows.append(row)
    return pd.DataFrame(rows).mean().to_dict()


def persistence_without_reviews(scenario: Scenario, seeds=SEEDS, weeks: int = 52) -> float:
    """Share still taking their medicines after ``weeks`` with no review (alive, prescribed)."""
    shares = []
    for seed in seeds:
        model = _model(scenario, seed, **{"mechanisms.health.reviews_after_recruitment": False})
        pt = model.dynamics.patients
        cohort = pt.persisting & (pt.medicines > 0)
        model.run(weeks)
        shares.append(float(pt.persisting[cohort & pt.alive].mean()))
    return float(np.mean(shares))


#: The usual-care targets a calibrated point is checked against (names of
#: :data:`sim.calibration.targets.CLINICAL_TARGETS`), measured as the tests measure them: half the
#: trial population (12 practices), three seeds at recruitment, two for persistence and for the
#: effect of starting participation.
POINT_CHECKS = (
    "bp_controlled_hypertensive",
    "eq5d",
    *DIMENSIONS,
    "participation_effect",
    "persistence_52",
)
CHECK_POPULATION = {"population.n_practices": 12}


def usual_care_misses(overrides: dict[str, float], scenario: Scenario | None = None) -> list[str]:
    """The usual-care targets (T5, T6, T7, T10 by dimension, T11) missed with ``overrides``.

    Args:
        overrides: Parameter values (dotted keys); those outside ``mechanisms.`` are ignored,
            since usual care has no intervention to set.
        scenario: The usual-care scenario (default: the shipped ``usual_care.toml``).

    Returns:
        The codes of the targets whose measured value lies outside the dossier's range.
    """
    base = scenario if scenario is not None else load_scenario(USUAL_CARE)
    mechanisms = {k: v for k, v in overrides.items() if k.startswith("mechanisms.")}
    usual = base.with_overrides({**CHECK_POPULATION, **mechanisms})
    values = at_recruitment(usual, seeds=(1, 2, 3), weeks=1)
    values.update({d: values[f"eq5d_{d}"] for d in DIMENSIONS})
    values["persistence_52"] = persistence_without_reviews(usual, seeds=(1, 2))
    values["participation_effect"] = participation_gain(usual, seeds=(1, 2))
    checks = {k: CLINICAL_TARGETS[k] for k in POINT_CHECKS}
    return [t.code for k, t in checks.items() if not t.holds(values[k])]


def participation_gain(scenario: Scenario, seeds=(1, 2, 3)) -> float:
    """T7: the mean utility gain of starting to take part, over ``seeds``.

    Measured by :func:`sim.calibration.participation.participation_effect`.
    """
    return float(np.mean([participation_effect(scenario, seed).effect for seed in seeds]))


def admission_data(scenario: Scenario, seeds=SEEDS, weeks: int = 104) -> pd.DataFrame:
    """One row per patient and seed: admissions, years alive, and the covariates at recruitment."""
    frames = []
    for seed in seeds:
        model = _model(scenario, seed, **{"outputs.patient_weeks": []})
        pt, pop = model.dynamics.patients, model.population.patients
        at_start = pd.DataFrame(
            {
                "band": kidney.band(pt.egfr),
                "age": pt.age.copy(),
                "diabetes": pop.diabetes.astype(float),
                "controlled": (pt.sbp < model.weekly.targets).astype(float),
            }
        )
        years = np.zeros(len(pt.alive))
        for _ in range(weeks):
            years += pt.alive / 52.0
            model.step()
        frames.append(at_start.assign(admissions=pt.admissions.copy(), years=years, seed=seed))
    return pd.concat(frames, ignore_index=True)


def admission_rate_ratios(data: pd.DataFrame) -> dict[str, float]:
    """Rates per 100 patient-years by band and adjusted rate ratios (Poisson regression).

    Bands 3 and 4 (below 30) are pooled with band 2 for the regression when they are too small;
    ratios are against band 0 (60 or more), adjusted for age (per year), diabetes and BP control
    at recruitment, with log patient-years as offset.
    """
    import statsmodels.api as sm

    data = data[data["years"] > 0]
    out: dict[str, float] = {}
    names = ("60_plus", *kidney.BAND_NAMES)
    for b, name in enumerate(names):
        part = data[data["band"] == b]
        if len(part):
            out[f"rate_{name}"] = 100 * part["admissions"].sum() / part["years"].sum()
    band = data["band"].clip(upper=2)
    x = pd.DataFrame(
        {
            "egfr_45_59": (band == 1).astype(float),
            "egfr_30_44": (band == 2).astype(float),
            "age": data["age"] - 72.0,
            "diabetes": data["diabetes"],
            "controlled": data["controlled"],
        }
    )
    fit = sm.GLM(
        data["admissions"],
        sm.add_constant(x),
        family=sm.families.Poisson(),
        offset=np.log(data["years"]),
    ).fit()
    for name in ("egfr_45_59", "egfr_30_44"):
        out[f"rr_{name.removeprefix('egfr_')}"] = float(np.exp(fit.params[name]))
        low, high = np.exp(fit.conf_int().loc[name])
        out[f"rr_{name.removeprefix('egfr_')}_low"] = float(low)
        out[f"rr_{name.removeprefix('egfr_')}_high"] = float(high)
    return out


def natural_history(scenario: Scenario, seeds=(1, 2), weeks: int = 260) -> dict[str, float]:
    """Died (share of the cohort), progressed, remitted and kidney failure (share alive)."""
    rows = []
    for seed in seeds:
        model = _model(scenario, seed)
        model.run(weeks)
        rows.append(
            {m: model.measure(m) for m in ("died", "progressed", "remitted", "kidney_failure")}
        )
    return pd.DataFrame(rows).mean().to_dict()


def warmup_settling(scenario: Scenario, seeds=(1, 2), last: int = 13) -> dict[str, float]:
    """How much each slow stock's population mean still changes over the end of the warm-up.

    Returns, per stock of :data:`sim.dynamics.warmup.SLOW_STOCKS`, the absolute value of the
    mean over seeds of the change between its mean over the last 4 weeks of the warm-up and over
    the 4 weeks ``last`` weeks earlier: a drift that is still going on shows in every seed, while
    chance moves each seed its own way and averages out.
    """
    weeks = int(scenario["run.warmup_weeks"])
    if weeks < last + 4:
        raise ValueError(f"a warm-up of {weeks} weeks is too short to measure over {last} weeks")
    changes = []
    for seed in seeds:
        trace: list[dict[str, float]] = []
        model = CommunityModel(scenario, seed=seed, agents=False, measures=False, warm_up=False)

        def record(_: int, trace: list = trace, model: CommunityModel = model) -> None:
            trace.append(stock_means(model.weekly))

        model.warm_up(each_week=record)
        table = pd.DataFrame(trace)
        late = table.iloc[weeks - 4 :].mean()
        early = table.iloc[weeks - last - 4 : weeks - last].mean()
        changes.append(late - early)
    return pd.DataFrame(changes).mean().abs().to_dict()


def main(argv: list[str] | None = None) -> None:
    """Print every usual-care measurement of the scenario (default: scenarios/usual_care.toml)."""
    argv = sys.argv[1:] if argv is None else argv
    scenario = load_scenario(Path(argv[0]) if argv else USUAL_CARE)
    for title, values in (
        ("At recruitment, and usual care over 26 weeks", at_recruitment(scenario)),
        (
            "Persistence after 52 weeks without reviews (T11)",
            {"share": persistence_without_reviews(scenario)},
        ),
        (
            "Utility gain of starting to take part, over 26 weeks (T7)",
            {"effect": participation_gain(scenario)},
        ),
        (
            "Admissions by true eGFR at recruitment (T12)",
            admission_rate_ratios(admission_data(scenario)),
        ),
        ("Five-year natural history", natural_history(scenario)),
        ("Warm-up: change over its last 13 weeks (4-week means)", warmup_settling(scenario)),
    ):
        print(f"{title}:")
        for key, value in values.items():
            print(f"  {key:36s} {value:10.4f}")


if __name__ == "__main__":
    main()
