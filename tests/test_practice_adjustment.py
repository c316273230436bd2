"""Practice adjustment of a trial's analysis: cluster-robust standard errors by practice.

Hand-made data with known clustering: patients in 24 practices share a practice effect on the
outcome. When whole practices are in one arm, patients are not independent evidence about the
arm effect, so model-based standard errors are too small and their 95% intervals cover the true
effect too rarely; cluster-robust ones cover it about as often as they claim.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from sim.trial.analysis import adjusted_effect, analyse


def clustered(rng: np.random.Generator, practices: int = 24, size: int = 18):
    """One dataset: whole practices randomised, practice effect SD 0.5, patient SD 0.5."""
    practice = np.repeat(np.arange(practices), size)
    arm = np.repeat(rng.permutation(np.arange(practices) % 2), size)
    baseline = rng.normal(0, 1, practices * size)
    effect = rng.normal(0, 0.5, practices)[practice]
    y = 0.2 * arm + 0.5 * baseline + effect + rng.normal(0, 0.5, practices * size)
    return y, arm, baseline, practice


def test_the_cluster_robust_error_is_the_corrected_sandwich_by_hand() -> None:
    y, arm, baseline, practice = clustered(np.random.default_rng(0))
    x = np.column_stack([np.ones(len(y)), arm, baseline])
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    residual = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    scores = np.array([x[practice == g].T @ residual[practice == g] for g in range(24)])
    n, k, g = len(y), x.shape[1], 24
    sandwich = bread @ (scores.T @ scores) @ bread * g / (g - 1) * (n - 1) / (n - k)
    se = np.sqrt(sandwich[1, 1])
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": practice})
    assert fit.bse[1] == pytest.approx(se, rel=1e-10)
    estimate = adjusted_effect("ancova", y, arm, baseline, 0.05, groups=practice)
    assert estimate.estimate == pytest.approx(beta[1])
    half = (estimate.ci_high - estimate.ci_low) / 2
    assert half == pytest.approx(stats.t.ppf(0.975, g - 1) * se, rel=1e-6), "t with G - 1 df"


def test_cluster_robust_intervals_cover_the_true_effect_where_model_based_ones_do_not() -> None:
    rng = np.random.default_rng(42)
    covered = {"cluster": 0, "none": 0}
    runs = 200
    for _ in range(runs):
        y, arm, baseline, practice = clustered(rng)
        for method, groups in (("cluster", practice), ("none", None)):
            e = adjusted_effect("ancova", y, arm, baseline, 0.05, groups=groups)
            covered[method] += e.ci_low <= 0.2 <= e.ci_high
    assert covered["cluster"] / runs > 0.88, covered
    assert covered["none"] / runs < 0.6, covered


def test_analyse_uses_the_practice_column_only_when_asked() -> None:
    y, arm, baseline, practice = clustered(np.random.default_rng(1))
    binary = (y > np.median(y)).astype(float)
    data = {
        "arm": arm,
        "practice": practice,
        "self_report": np.ones(len(y), bool),
        "bp_data": np.ones(len(y), bool),
        "eq5d": y,
        "eq5d_0": baseline,
        "heiq": y,
        "heiq_0": baseline,
        "controlled": binary,
        "controlled_0": (baseline > 0).astype(float),
        "cost": y,
        "cost_0": baseline,
        "qaly": y,
    }
    plain = {r["outcome"]: r for r in analyse(data, subgroups=False)}
    robust = {r["outcome"]: r for r in analyse(data, subgroups=False, adjustment="cluster")}
    for outcome in ("eq5d", "bp_controlled"):
        assert robust[outcome]["estimate"] == pytest.approx(plain[outcome]["estimate"])
        width = robust[outcome]["ci_high"] - robust[outcome]["ci_low"]
        assert width > 1.5 * (plain[outcome]["ci_high"] - plain[outcome]["ci_low"]), outcome
