"""Analyse a trial as BRIGHT was analysed, with statsmodels (Blakeman et al. 2014).

Practice adjustment (``trial.practice_adjustment``, default ``"cluster"``): BRIGHT randomised
patients within 24 practices, so patients of one practice may resemble each other. By default the
standard errors, intervals and p-values are cluster-robust by practice (the sandwich estimator
with statsmodels' small-sample correction, G/(G-1) (N-1)/(N-K), and a t distribution with G - 1
degrees of freedom, as Cameron and Miller 2015 advise with few clusters); the point estimates are
those of the unadjusted models. Cluster-robust errors serve the linear and the logistic models
alike; a mixed model with a practice random effect would need a generalised linear mixed model for
BP control, which statsmodels fits only by Bayesian approximation. ``"none"`` gives model-based
errors. The true effect (whole population, everyone in both arms) is always model-based.

Continuous outcomes: linear regression of the follow-up value on arm and the baseline value
(ANCOVA); the arm coefficient is the adjusted difference in means. BP control: logistic regression
of control at follow-up on arm and baseline control; ``exp`` of the arm coefficient is the
adjusted odds ratio. Each outcome uses the patients who gave those data at follow-up. Subgroup
effects come from one model per subgroup variable with an intercept, a baseline slope and an arm
effect for each level (``y ~ level + baseline + arm:level``), so the effect in each level is
estimated with the baseline adjustment shared across levels.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import statsmodels.api as sm

from sim.trial.trial_outcomes import OUTCOMES, PRIMARY, SUBGROUPS, Outcome

NAN = float("nan")


@dataclass(frozen=True)
class Estimate:
    """An adjusted effect (difference, or odds ratio for logistic models) with its CI and p."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float

    @classmethod
    def missing(cls) -> Estimate:
        """An estimate that could not be made (too few data, or no convergence)."""
        return cls(NAN, NAN, NAN, NAN)


def _covariance(groups: np.ndarray | None) -> dict:
    """Fit options for statsmodels: cluster-robust by ``groups``, or model-based with none."""
    if groups is None or len(np.unique(groups)) < 2:
        return {}
    return {"cov_type": "cluster", "cov_kwds": {"groups": np.asarray(groups)}, "use_t": True}


def _fit(model: str, y: np.ndarray, x: np.ndarray, groups: np.ndarray | None = None):
    """Fit OLS or Logit quietly; None when the logistic fit does not converge."""
    options = _covariance(groups)
    if model == "ancova":
        return sm.OLS(y, x).fit(**options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.Logit(y, x).fit(disp=0, method="newton", maxiter=50, **options)
        except (np.linalg.LinAlgError, ValueError):
            return None
    return fit if fit.mle_retvals.get("converged", False) else None


def _estimates(model: str, fit, columns: list[int], alpha: float) -> list[Estimate]:
    if fit is None:
        return [Estimate.missing() for _ in columns]
    ci = np.asarray(fit.conf_int(alpha))
    out = []
    for c in columns:
        values = (fit.params[c], ci[c, 0], ci[c, 1])
        if model == "logistic":
            values = tuple(math.exp(v) for v in values)
        out.append(Estimate(*map(float, values), float(fit.pvalues[c])))
    return out


def adjusted_effect(
    model: str,
    y: np.ndarray,
    arm: np.ndarray,
    baseline: np.ndarray,
    alpha: float = 0.05,
    groups: np.ndarray | None = None,
) -> Estimate:
    """The arm effect in ``y ~ 1 + arm + baseline`` (OLS difference or logistic odds ratio).

    Args:
        model: ``"ancova"`` or ``"logistic"``.
        y: Outcome at follow-up (0/1 for logistic).
        arm: 1 intervention, 0 control.
        baseline: Baseline value of the outcome.
        alpha: 1 - confidence level of the interval.
        groups: Each patient's practice, for cluster-robust standard errors (None: model-based).
    """
    if len(np.unique(arm)) < 2:
        return Estimate.missing()
    x = np.column_stack([np.ones(len(y)), arm, baseline]).astype(float)
    fit = _fit(model, np.asarray(y, float), x, groups)
    return _estimates(model, fit, [1], alpha)[0]


def subgroup_effects(
    model: str,
    y: np.ndarray,
    arm: np.ndarray,
    baseline: np.ndarray,
    level: np.ndarray,
    levels: tuple[object, ...],
    alpha: float = 0.05,
    groups: np.ndarray | None = None,
) -> list[Estimate]:
    """The arm effect within each level of a subgroup variable.

    Fits ``y ~ level + baseline + arm:level`` (one intercept and one arm effect per level, a
    shared baseline slope). Levels without patients in both arms are missing.

    Args:
        model: ``"ancova"`` or ``"logistic"``.
        y: Outcome at follow-up.
        arm: 1 intervention, 0 control.
        baseline: Baseline value of the outcome.
        level: Each patient's level of the subgroup variable.
        levels: The levels, in the order of the result.
        alpha: 1 - confidence level.
        groups: Each patient's practice, for cluster-robust standard errors (None: model-based).

    Returns:
        One estimate per level of ``levels``.
    """
    present = [v for v in levels if len(np.unique(arm[level == v])) == 2]
    out = {v: Estimate.missing() for v in levels}
    if present:
        keep = np.isin(level, present)
        dummies = np.column_stack([(level[keep] == v) for v in present]).astype(float)
        x = np.column_stack([dummies, baseline[keep], dummies * arm[keep][:, None]])
        fit = _fit(model, np.asarray(y, float)[keep], x, None if groups is None else groups[keep])
        k = len(present)
        columns = list(range(k + 1, 2 * k + 1))
        out.update(zip(present, _estimates(model, fit, columns, alpha), strict=True))
    return [out[v] for v in levels]


def _row(outcome: str, spec: Outcome, subgroup: str, level: str, e: Estimate, n: tuple) -> dict:
    return {
        "outcome": outcome,
        "scale": spec.scale,
        "subgroup": subgroup,
        "level": level,
        **asdict(e),
        "n_intervention": n[0],
        "n_control": n[1],
    }


def analyse(
    data: Mapping[str, np.ndarray],
    alpha: float = 0.05,
    subgroups: bool = True,
    adjustment: str = "none",
) -> list[dict]:
    """Every outcome's adjusted effect, overall and (for primary outcomes) by subgroup.

    Args:
        data: Trial data (:func:`sim.trial.data.trial_data`; a DataFrame works too): ``arm``,
            outcome and baseline columns, follow-up masks and subgroup variables.
        alpha: 1 - confidence level.
        subgroups: Also estimate subgroup effects of the primary outcomes.
        adjustment: ``"cluster"``: standard errors cluster-robust by ``data["practice"]``;
            ``"none"``: model-based.

    Returns:
        One record per outcome and subgroup level (``subgroup = level = "all"`` overall):
        outcome, scale, subgroup, level, estimate, ci_low, ci_high, p_value, n_intervention,
        n_control.
    """
    rows = []
    for name, spec in OUTCOMES.items():
        used = np.asarray(data[spec.followed], bool)
        arm = np.asarray(data["arm"])[used]
        y = np.asarray(data[spec.column], float)[used]
        base = np.asarray(data[spec.baseline], float)[used]
        groups = np.asarray(data["practice"])[used] if adjustment == "cluster" else None
        n = (int((arm == 1).sum()), int((arm == 0).sum()))
        effect = adjusted_effect(spec.model, y, arm, base, alpha, groups)
        rows.append(_row(name, spec, "all", "all", effect, n))
        if not subgroups or name not in PRIMARY:
            continue
        for variable, (_, levels) in SUBGROUPS.items():
            level = np.asarray(data[variable])[used]
            values = [v for v, _ in levels]
            effects = subgroup_effects(spec.model, y, arm, base, level, values, alpha, groups)
            for (v, label), effect in zip(levels, effects, strict=True):
                inside = level == v
                n = (int((inside & (arm == 1)).sum()), int((inside & (arm == 0)).sum()))
                rows.append(_row(name, spec, variable, label, effect, n))
    return rows


def arm_summary(data: Mapping[str, np.ndarray]) -> list[dict]:
    """Per outcome and arm: patients analysed, follow-up mean and SD, baseline mean."""
    rows = []
    arm_all = np.asarray(data["arm"])
    for name, spec in OUTCOMES.items():
        used = np.asarray(data[spec.followed], bool)
        for code, arm in ((1, "intervention"), (0, "usual care")):
            part = used & (arm_all == code)
            y = np.asarray(data[spec.column], float)[part]
            base = np.asarray(data[spec.baseline], float)[part]
            rows.append(
                {
                    "outcome": name,
                    "arm": arm,
                    "n": int(part.sum()),
                    "mean": float(y.mean()) if len(y) else NAN,
                    "sd": float(y.std(ddof=1)) if len(y) > 1 else NAN,
                    "baseline_mean": float(base.mean()) if len(base) else NAN,
                }
            )
    return rows
