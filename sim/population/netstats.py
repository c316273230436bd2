"""Summary statistics of a population and its personal communities, against dossier targets.

:func:`network_statistics` returns one tidy table: the trial-population marginals (target T1), the
network targets T2-T4 and descriptive rows without targets (composition by tie type, network
types, cohesion, the partner-substitution count of T8). Targets are the dossier's published values,
never the scenario's parameters, so the table checks the builders rather than echoing them.

Tolerances (columns ``low`` and ``high``):

- T1 (Blakeman et al. 2014, n = 436): about two standard errors of the trial's own estimate, which
  dominates the sampling error of a synthetic cohort of a few thousand patients (under 1 point on a
  share, 0.2 years on the mean age, at 2,400 patients). Mean and SD of age +/- 1 year (trial SE of
  the mean 0.44 years); shares of 15% or more +/- 4 points (trial SE 1.5-2.4 points); the rare
  shares under 10% (3a with proteinuria, 3b with proteinuria, degree) +/- 2 points (trial SE 1.0-1.3
  points). Hypertension (RRID cohort 2013) takes the +/- 4 points of the common shares.
- T2-T4: the tolerances of dossier section 7 (8.5 +/- 1.5 members; 16.1% and 15.5% +/- 3 points;
  35% to 50%).

Network size counts every member a patient names (people, pets, groups, professionals), as
Vassilev et al. (2013) and Rogers et al. (2016) counted named members. Shares are in percent.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from sim.population import codes
from sim.population.arrays import Patients, Population

#: Columns of the table returned by :func:`network_statistics`.
COLUMNS = ("statistic", "label", "value", "target", "low", "high", "within", "unit", "source")

_BLAKEMAN = "T1 (Blakeman et al. 2014)"
_PP = "% of patients"
_RRID = "T1 (RRID cohort, BMC Fam Pract 2013)"
#: T1 rows: statistic, label, target, tolerance (half-width of the band), unit, source.
_MARGINALS: tuple[tuple[str, str, float, float, str, str], ...] = (
    ("mean_age", "Mean age", 72.1, 1.0, "years", _BLAKEMAN),
    ("sd_age", "SD of age", 9.1, 1.0, "years", _BLAKEMAN),
    ("share_75_plus", "Aged 75+", 42.7, 4.0, _PP, _BLAKEMAN),
    ("share_female", "Women", 58.5, 4.0, _PP, _BLAKEMAN),
    ("share_3a_no_proteinuria", "Stage 3a without proteinuria", 71.6, 4.0, _PP, _BLAKEMAN),
    ("share_3a_proteinuria", "Stage 3a with proteinuria", 4.1, 2.0, _PP, _BLAKEMAN),
    ("share_3b_no_proteinuria", "Stage 3b without proteinuria", 17.4, 4.0, _PP, _BLAKEMAN),
    ("share_3b_proteinuria", "Stage 3b with proteinuria", 6.9, 2.0, _PP, _BLAKEMAN),
    ("share_no_qualifications", "No qualifications", 44.3, 4.0, _PP, _BLAKEMAN),
    ("share_degree", "Degree", 7.6, 2.0, _PP, _BLAKEMAN),
    ("share_hypertension", "Hypertension", 88.0, 4.0, _PP, _RRID),
)

_MPP = "members per patient"
#: T2-T4 rows: statistic, label, target, low, high, unit, source (dossier section 7). The T4
#: target is the middle of the 35%-50% range.
_TARGETS: tuple[tuple[str, str, float, float, float, str, str], ...] = (
    ("mean_network_size", "Mean contributing network size", 8.5, 7.0, 10.0, _MPP,
     "T2 (Vassilev et al. 2013)"),
    ("weak_tie_share", "Weak ties (acquaintances and groups)", 16.1, 13.1, 19.1, "% of members",
     "T3 (Rogers et al. 2014)"),
    ("professional_share", "Primary-care professionals", 15.5, 12.5, 18.5, "% of members",
     "T3 (Rogers et al. 2016)"),
    ("group_participation", "Patients in at least one community group", 42.5, 35.0, 50.0, _PP,
     "T4 (Koetsenruijter et al. 2015; Munford et al. 2017)"),
)  # fmt: skip
#: Descriptive structure rows: statistic, label, unit.
_STRUCTURE: tuple[tuple[str, str, str], ...] = (
    ("median_network_size", "Median network size", _MPP),
    ("mean_cohesion", "Mean cohesion of personal members", "link density"),
    ("mean_members_besides_partner_with_partner",
     "Members besides the partner, patients with a partner (NaN if none has one)", _MPP),
    ("mean_members_besides_partner_without_partner",
     "Members besides the partner, patients without a partner (NaN if all have one)", _MPP),
    ("share_living_alone", "Living alone", _PP),
)  # fmt: skip


def _pct(mask: np.ndarray) -> float:
    return 100.0 * float(np.mean(mask)) if len(mask) else np.nan


def _marginal_values(p: Patients) -> dict[str, float]:
    """Values of the T1 statistics (ages in years, shares in percent)."""
    stage_3a, stage_3b = p.stage == 0, p.stage == 1
    return {
        "mean_age": float(np.mean(p.age)) if len(p) else np.nan,
        "sd_age": float(np.std(p.age, ddof=1)) if len(p) > 1 else np.nan,
        "share_75_plus": _pct(p.age >= 75),
        "share_female": _pct(p.female),
        "share_3a_no_proteinuria": _pct(stage_3a & ~p.proteinuria),
        "share_3a_proteinuria": _pct(stage_3a & p.proteinuria),
        "share_3b_no_proteinuria": _pct(stage_3b & ~p.proteinuria),
        "share_3b_proteinuria": _pct(stage_3b & p.proteinuria),
        "share_no_qualifications": _pct(p.education == codes.EDUCATION.index("none")),
        "share_degree": _pct(p.education == codes.EDUCATION.index("degree")),
        "share_hypertension": _pct(p.hypertension),
    }


def _row(
    statistic: str,
    label: str,
    value: float,
    unit: str,
    target: float = np.nan,
    low: float = np.nan,
    high: float = np.nan,
    source: str = "",
) -> dict[str, object]:
    return {
        "statistic": statistic,
        "label": label,
        "value": float(value),
        "target": float(target),
        "low": float(low),
        "high": float(high),
        "unit": unit,
        "source": source,
    }


def _marginal_rows(patients: Patients) -> list[dict[str, object]]:
    """Rows for target T1, the trial-population marginals."""
    values = _marginal_values(patients)
    return [
        _row(stat, label, values[stat], unit, target, target - tol, target + tol, source)
        for stat, label, target, tol, unit, source in _MARGINALS
    ]


def _target_values(population: Population) -> dict[str, float]:
    """Values of the T2-T4 statistics: members per patient and shares in percent."""
    counts = population.counts_by_tie_type()
    total = counts.sum()
    weak = counts[:, list(codes.WEAK_TIE_TYPES)].sum()
    return {
        "mean_network_size": _mean(counts.sum(axis=1)),
        "weak_tie_share": 100.0 * weak / total if total else np.nan,
        "professional_share": 100.0 * counts[:, codes.PROFESSIONAL].sum() / total
        if total
        else np.nan,
        "group_participation": _pct(counts[:, codes.GROUP_TIE] > 0),
    }


def _target_rows(population: Population) -> list[dict[str, object]]:
    """Rows for targets T2 (size), T3 (weak-tie and professional shares), T4 (groups)."""
    values = _target_values(population)
    return [
        _row(stat, label, values[stat], unit, target, low, high, source)
        for stat, label, target, low, high, unit, source in _TARGETS
    ]


def cohesion(population: Population) -> np.ndarray:
    """Density of acquaintance among each patient's personal members.

    Density is ``L / (m (m - 1) / 2)``, where ``m`` is the number of people (partner, family,
    friends, neighbours, acquaintances; not pets, groups or professionals) tied to the patient and
    ``L`` the number of ``population.links`` joining two of them.

    Args:
        population: The population.

    Returns:
        Array of length ``n_patients``: density in [0, 1], NaN for patients with fewer than 2
        personal members.
    """
    ties, n = population.ties, population.n_patients
    personal = np.isin(ties.tie_type, codes.PERSONAL_TIE_TYPES)
    member_of = np.full(population.n_nodes, -1, dtype=np.int64)
    member_of[ties.alter[personal]] = ties.ego[personal]
    m = np.bincount(ties.ego[personal], minlength=n).astype(float)
    owner_a = member_of[population.links.a]
    inside = (owner_a >= 0) & (owner_a == member_of[population.links.b])
    links = np.bincount(owner_a[inside], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(m >= 2, links / (m * (m - 1) / 2), np.nan)


def _composition_rows(population: Population) -> list[dict[str, object]]:
    """Descriptive rows: mean members of each tie type, share of each network type."""
    counts = population.counts_by_tie_type()
    mean_by_type = counts.mean(axis=0) if len(counts) else np.full(len(codes.TIE_TYPES), np.nan)
    network_type = population.patients.network_type
    return [
        _row(f"mean_members_{t}", f"Mean members: {t}", v, _MPP)
        for t, v in zip(codes.TIE_TYPES, mean_by_type, strict=True)
    ] + [
        _row(f"share_network_{t}", f"Network type: {t}", _pct(network_type == i), _PP)
        for i, t in enumerate(codes.NETWORK_TYPES)
    ]


def _structure_rows(population: Population) -> list[dict[str, object]]:
    """Descriptive rows: median size, cohesion, members besides the partner (T8), living alone."""
    counts = population.counts_by_tie_type()
    size = counts.sum(axis=1)
    has_partner = counts[:, codes.PARTNER] > 0
    besides = size - counts[:, codes.PARTNER]
    values = {
        "median_network_size": float(np.median(size)) if len(size) else np.nan,
        "mean_cohesion": _mean(cohesion(population)),
        "mean_members_besides_partner_with_partner": _mean(besides[has_partner]),
        "mean_members_besides_partner_without_partner": _mean(besides[~has_partner]),
        "share_living_alone": _pct(population.patients.household == codes.ALONE),
    }
    return [_row(stat, label, values[stat], unit) for stat, label, unit in _STRUCTURE]


def _mean(x: np.ndarray) -> float:
    x = x[~np.isnan(x)] if x.dtype.kind == "f" else x
    return float(np.mean(x)) if len(x) else np.nan


def network_statistics(population: Population) -> pd.DataFrame:
    """Tabulate the population's marginals and network structure against the dossier targets.

    Args:
        population: The population (patients, nodes, ties, links).

    Returns:
        One row per statistic with columns ``statistic`` (snake_case id), ``label``, ``value``,
        ``target``, ``low``, ``high`` (tolerance band; NaN without a target), ``within`` (nullable
        boolean; NA without a target), ``unit`` and ``source`` (dossier target id and reference,
        or "" for descriptive rows).

    Example:
        >>> stats = network_statistics(pop)  # doctest: +SKIP
        >>> stats.set_index("statistic").loc["mean_network_size", "value"]  # doctest: +SKIP
        8.4
    """
    rows = (
        _marginal_rows(population.patients)
        + _target_rows(population)
        + _composition_rows(population)
        + _structure_rows(population)
    )
    table = pd.DataFrame(rows)
    has_target = table["target"].notna()
    within = (table["value"] >= table["low"]) & (table["value"] <= table["high"])
    table["within"] = pd.array(within, dtype="boolean")
    table.loc[~has_target, "within"] = pd.NA
    return table[list(COLUMNS)]


def targets_met(stats: pd.DataFrame, targets: Collection[str] | None = None) -> bool:
    """Return True if every statistic with a target lies within its tolerance band.

    Args:
        stats: A table from :func:`network_statistics`.
        targets: Dossier target ids to consider (e.g. ``{"T2", "T3"}``); default all.

    Raises:
        ValueError: if no row has a target (among ``targets``, when given).
    """
    rows = stats[stats["target"].notna()]
    if targets is not None:
        rows = rows[rows["source"].str.split().str[0].isin(set(targets))]
    if rows.empty:
        raise ValueError(f"no statistic with a target among {sorted(targets or [])}")
    return bool(rows["within"].fillna(False).all())
