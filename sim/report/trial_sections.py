"""Report sections of a virtual-trial folder (``sim trial``): summary, results and methods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.plots.ce_plane import gbp, icer_text
from sim.report import html as h
from sim.report.folder import ResultsFolder
from sim.report.per_trial import per_trial_table
from sim.report.plain import HEADERS
from sim.report.shared import intervention_names
from sim.trial.trial_outcomes import OUTCOMES

#: Plain names of the outcomes for a lay reader.
PLAIN = {
    "eq5d": "Quality of life (EQ-5D-3L utility, 0 = dead to 1 = full health)",
    "bp_controlled": "Blood pressure controlled (below the NICE 2008 target)",
    "heiq": "Engagement in managing one's health (heiQ, score 1-4)",
    "cost": "Cost to the health service, including the intervention",
    "qaly": "Quality-adjusted life years (QALYs)",
}
#: Decimals of a difference, by outcome unit.
DIGITS = {"GBP": 0, "QALY": 4}


def _num(value: float, unit: str, signed: bool = True) -> str:
    if not np.isfinite(value):
        return "-"
    if unit == "GBP":
        return ("+" if signed and value > 0 else "") + gbp(value)
    digits = DIGITS.get(unit, 3)
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _power(power: float, n: int) -> str:
    share = f"{100 * power:.0f}% of the {n} simulated trials"
    if not np.isfinite(power):
        return "power could not be estimated"
    if power >= 0.8:
        return f"a trial of this size would usually detect it (significant in {share})"
    if power >= 0.5:
        return f"a trial of this size would detect it only some of the time (in {share})"
    return f"a single trial of this size would usually miss it (significant in only {share})"


def overall(folder: ResultsFolder) -> pd.DataFrame:
    """The summary rows of the whole trial population (no subgroups), indexed by outcome."""
    summary = folder.table("summary")
    return summary[summary["subgroup"] == "all"].set_index("outcome")


def _arm_share(folder: ResultsFolder, outcome: str, arm: str) -> float:
    arms = folder.table("arms")
    part = arms[(arms["outcome"] == outcome) & (arms["arm"] == arm)]
    return float(part["mean"].mean()) if len(part) else float("nan")


def published_clause(folder: ResultsFolder, outcome: str) -> str:
    """The clause naming the published comparator and its label ("" with no comparator).

    Comparators come from the folder's ``tables/published`` (:mod:`sim.trial.published`); a
    folder without one (or a scenario that names none) is compared with nothing.
    """
    try:
        table = folder.table("published")
    except Exception:  # folders written before comparators existed
        return ""
    rows = table[table["outcome"] == outcome] if "outcome" in table else table.iloc[:0]
    if rows.empty:
        return ""
    c = rows.iloc[0]
    return (
        f"; {c['source']} reported {c['estimate']:.2f} ({c['low']:.2f} to {c['high']:.2f}; "
        f"{c['label']})"
    )


def effect_sentence(folder: ResultsFolder, outcome: str, row: pd.Series) -> str:
    """One outcome's effect in plain words, with its uncertainty and what it means (escaped)."""
    spec = OUTCOMES[outcome]
    week = folder.value("trial.outcome_week", "?")
    n = int(row["n_trials"])
    if row["scale"] == "odds ratio":
        usual = _arm_share(folder, outcome, "usual care")
        treated = _arm_share(folder, outcome, "intervention")
        text = (
            f"at week {week}, {100 * treated:.1f}% of patients offered the intervention had "
            f"their blood pressure controlled against {100 * usual:.1f}% under usual care: odds "
            f"{row['estimate']:.2f} times as high (odds ratio; the 95% confidence interval of one "
            f"trial is on average {row['ci_low']:.2f} to {row['ci_high']:.2f}, and the estimate "
            f"varied from {row['spread_low']:.2f} to {row['spread_high']:.2f} between trials). "
            f"The true odds ratio in the simulated population is {row['true_effect']:.2f}"
        )
    else:
        unit = spec.unit
        up = row["estimate"] >= 0
        size = _num(abs(row["estimate"]), unit, signed=False)
        change = {
            "cost": f"cost {size} {'more' if up else 'less'} per patient than usual care over "
            f"the {week} weeks",
            "qaly": f"had {size} {'more' if up else 'fewer'} QALYs per patient than usual care "
            f"over the {week} weeks",
        }.get(outcome, f"scored {size} {'higher' if up else 'lower'} than usual care")
        text = (
            f"at week {week}, the intervention arm {change}, adjusted for baseline (the 95% "
            f"confidence interval of one trial is on average {_num(row['ci_low'], unit)} to "
            f"{_num(row['ci_high'], unit)}; between trials the estimate varied from "
            f"{_num(row['spread_low'], unit)} to {_num(row['spread_high'], unit)}). The true "
            f"effect in the simulated population is {_num(row['true_effect'], unit)}"
        )
    text += published_clause(folder, outcome)
    text += f". {_power(float(row['power']), n).capitalize()}."
    return f"<strong>{h.text(PLAIN[outcome])}</strong>: {h.text(text)}"


def _economics(folder: ResultsFolder) -> dict[str, float]:
    ce = folder.provenance.get("cost_effectiveness")
    if isinstance(ce, dict) and "delta_cost" in ce:
        return ce
    per_trial = folder.table("economics")
    rows = overall(folder)
    wtp = float(folder.value("trial.willingness_to_pay", 20000.0))
    return {
        "delta_cost": float(per_trial["delta_cost"].mean()),
        "delta_qaly": float(per_trial["delta_qaly"].mean()),
        "true_delta_cost": float(rows.loc["cost", "true_effect"]),
        "true_delta_qaly": float(rows.loc["qaly", "true_effect"]),
        "willingness_to_pay": wtp,
        "p_cost_effective": float((per_trial["net_benefit"] > 0).mean()),
    }


def value_sentence(folder: ResultsFolder) -> str:
    """Cost per QALY in plain words (escaped)."""
    ce = _economics(folder)
    week = folder.value("trial.outcome_week", "?")
    cost, qaly = ce["delta_cost"], ce["delta_qaly"]
    return h.text(
        f"Over the {week} weeks, the intervention cost {_num(abs(cost), 'GBP', False)} per "
        f"patient {'more' if cost >= 0 else 'less'} than usual care (health service and "
        f"intervention) and gave {_num(abs(qaly), 'QALY', False)} "
        f"{'more' if qaly >= 0 else 'fewer'} QALYs per patient: "
        f"{icer_text(ce['delta_cost'], ce['delta_qaly'])} (true value in the simulated "
        f"population: {icer_text(ce['true_delta_cost'], ce['true_delta_qaly'])}). At a "
        f"willingness to pay of {gbp(ce['willingness_to_pay'])} per QALY, the intervention was "
        f"cost-effective in {100 * ce['p_cost_effective']:.0f}% of the simulated trials."
    )


def _product(a: object, b: object) -> object:
    try:
        return int(a) * int(b)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "?"


def _who(folder: ResultsFolder) -> str:
    v = folder.value
    replicates = folder.provenance.get("replicates", v("trial.replicates"))
    return (
        f"{replicates} simulated trials, each recruiting {v('trial.n_intervention')} + "
        f"{v('trial.n_control')} adults with stage 3 chronic kidney disease at random from "
        f"the {_product(v('population.n_practices'), v('trial.patients_per_practice'))} such "
        f"patients of {v('population.n_practices')} general practices (a new synthetic "
        f"population for every trial), randomised one by one to the intervention or usual "
        f"care and followed up at week {v('trial.outcome_week')}."
    )


def at_a_glance(folder: ResultsFolder) -> list[str]:
    """The headline numbers, one short escaped line each."""
    rows = overall(folder)
    lines = []
    if "eq5d" in rows.index:
        r = rows.loc["eq5d"]
        lines.append(
            f"Quality of life: {_num(r['estimate'], 'utility')} on the EQ-5D-3L utility scale "
            f"(one trial's 95% CI on average {_num(r['ci_low'], 'utility')} to "
            f"{_num(r['ci_high'], 'utility')})"
        )
    if "bp_controlled" in rows.index:
        r = rows.loc["bp_controlled"]
        usual = _arm_share(folder, "bp_controlled", "usual care")
        treated = _arm_share(folder, "bp_controlled", "intervention")
        lines.append(
            f"Blood pressure controlled: {100 * treated:.0f}% with the intervention against "
            f"{100 * usual:.0f}% with usual care (odds ratio {r['estimate']:.2f}, 95% CI "
            f"{r['ci_low']:.2f} to {r['ci_high']:.2f})"
        )
    ce = _economics(folder)
    lines.append(
        f"Value for money: {icer_text(ce['delta_cost'], ce['delta_qaly'])}; cost-effective at "
        f"{gbp(ce['willingness_to_pay'])} per QALY in {100 * ce['p_cost_effective']:.0f}% of "
        "simulated trials"
    )
    return [h.text(line) for line in lines]


def _what(folder: ResultsFolder) -> str:
    """What was compared, said once: the scenario's own description, or its components."""
    description = str(folder.value("description") or "").strip()
    if description:
        title = str(folder.value("title") or "").strip()
        return f"{title + ': ' if title else ''}{description} Compared with usual care alone."
    names = intervention_names(folder)
    if not names:
        return "Usual care against usual care (no intervention is switched on)."
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return f"{listed} on top of usual care, against usual care alone."


def summary_section(folder: ResultsFolder) -> h.Section:
    """What was compared, in whom, the main effects, the cost per QALY and the caveats."""
    what = _what(folder)
    rows = overall(folder)
    effects = [effect_sentence(folder, o, rows.loc[o]) for o in OUTCOMES if o in rows.index]
    caveats = [
        "These are simulated patients, not real ones: the effects follow from the model's "
        "mechanisms and assumptions (see Assumptions), calibrated to published targets.",
        "The spread between simulated trials shows chance (who is recruited, who responds, "
        "measurement error); it does not include uncertainty in the model's parameters or "
        "structure, which sensitivity sweeps explore.",
        "Costs cover health-service contacts, medicines, admissions and the intervention "
        f"over {folder.value('trial.outcome_week', '?')} weeks only; longer-term costs and "
        "benefits are not modelled here.",
        "Subgroup results (forest plot) come from small groups and vary much more between "
        "trials than the overall effect.",
    ]
    body = [
        f'<div class="key"><p><strong>What was compared.</strong> {h.text(what)}</p>',
        f"<p><strong>In whom.</strong> {h.text(_who(folder))}</p>",
        "<p><strong>At a glance.</strong></p>",
        h.bullets(at_a_glance(folder)),
        "</div>",
        "<h3>Main effects</h3>",
        h.bullets(effects),
        "<h3>Value for money</h3>",
        h.paragraph(value_sentence(folder)),
        '<h3>Caveats</h3><div class="caveat">',
        h.bullets(h.text(c) for c in caveats),
        "</div>",
    ]
    return h.Section("summary", "Summary", "".join(body))


def _uncertainty(folder: ResultsFolder) -> list[str]:
    """The prediction intervals over a calibrated ensemble, if the trial ran over one."""
    if (
        not (folder.path / "tables" / "uncertainty.csv").is_file()
        and not (folder.path / "tables" / "uncertainty.parquet").is_file()
    ):
        return []
    table = folder.table("uncertainty")
    columns = ["outcome", "scale", "mean_estimate", "prediction_low", "prediction_high"]
    shown = table[columns].assign(parameter_share=table["parameter_share"])
    return [
        h.paragraph(
            h.text(
                f"Over the calibrated ensemble ({int(table['members'].max())} parameter sets): "
                "the 95% prediction interval is where one new trial's estimate would fall, given "
                "both the parameters the calibration targets leave uncertain and chance; the "
                "parameter share is the part of its variance that comes from the parameters."
            )
        ),
        h.table(shown, digits=3, table_id="uncertainty-table"),
    ]


def results_section(folder: ResultsFolder) -> h.Section:
    """The trial paper's results table, subgroup summaries and the per-trial economics."""
    parts = [
        h.paragraph(
            h.text(
                "Means over replicate trials: arm sizes, follow-up means (SD) or percentages, "
                "the mean adjusted estimate with the mean 95% confidence interval of one trial, "
                "the spread of estimates between trials, power (share of trials with p < "
                f"{folder.value('trial.alpha', 0.05)}), the true effect and the scenario's own "
                "published comparator, if it names one, labelled 'used in fitting' (a "
                "calibration target: agreement is a fit, not a validation) or 'predicted, not "
                "used in fitting'."
            )
        ),
        h.table(folder.table("results").rename(columns=HEADERS), table_id="results-table"),
        *_uncertainty(folder),
    ]
    summary = folder.table("summary")
    subgroups = summary[summary["subgroup"] != "all"]
    if len(subgroups):
        columns = [
            "outcome",
            "scale",
            "subgroup",
            "level",
            "estimate",
            "ci_low",
            "ci_high",
            "power",
            "n_intervention",
            "n_control",
            "true_effect",
        ]
        parts.append(
            "<details><summary>Effects by subgroup (primary outcomes)</summary>"
            + h.table(subgroups[[c for c in columns if c in subgroups.columns]], digits=3)
            + "</details>"
        )
    if folder.has_table("components_summary"):
        parts.append(components_part(folder))
    economics = folder.table("economics")
    parts.append(
        "<details><summary>Incremental cost and QALYs of each replicate trial</summary>"
        + h.table(
            per_trial_table(economics, float(folder.value("trial.willingness_to_pay", 20000.0))),
            table_id="per-trial-table",
        )
        + "</details>"
    )
    return h.Section("results", "Results", "".join(parts))


def components_part(folder: ResultsFolder) -> str:
    """Cost by component and the share with a problem on each EQ-5D dimension, by arm."""
    from sim.trial.cost_components import components_table

    return h.paragraph(
        h.text(
            "Where the differences come from: cost since randomisation by component (primary-care "
            "contacts, medicines dispensed, hospital admissions, intervention delivery) and the "
            "share of patients with any problem on each EQ-5D dimension at follow-up, as "
            "unadjusted means per patient followed up in each arm, averaged over replicate "
            "trials, with the difference and its 2.5-97.5% range between trials."
        )
    ) + h.table(components_table(folder.table("components_summary")), table_id="components-table")


def methods_section(folder: ResultsFolder) -> h.Section:
    """Design, analysis, replicates and seeds."""
    v, p = folder.value, folder.provenance
    shared = v("trial.shared_world")
    design = [
        _who(folder),
        f"Follow-up: patients who die give no data; further losses at random leave "
        f"{v('trial.n_followup_self_report_intervention')} (intervention) and "
        f"{v('trial.n_followup_self_report_control')} (usual care) with questionnaires and "
        f"{v('trial.n_followup_bp_intervention')} and {v('trial.n_followup_bp_control')} with "
        "a blood-pressure reading, as in BRIGHT.",
        "Questionnaires (EQ-5D-3L, heiQ) measure each patient with error "
        f"(SD {v('trial.eq5d_measurement_sd')} and {v('trial.heiq_measurement_sd')}); blood "
        "pressure at follow-up is a research reading with measurement error, controlled when "
        "below the NICE 2008 target.",
        "Both arms are simulated from the same population and random numbers (common random "
        "numbers), so the difference between arms is the intervention's effect, not chance in "
        "the simulation"
        + (
            "; the intervention is given to the randomised arm only, so patients can influence "
            "each other through shared groups and professionals."
            if shared
            else "; each arm is simulated in its own world (no interference between arms)."
        ),
    ]
    analysis = [
        "EQ-5D-3L, heiQ, cost and QALYs: linear regression of the follow-up value on arm, "
        "adjusted for the baseline value (ANCOVA); blood-pressure control: logistic regression "
        "adjusted for baseline control (odds ratio), as BRIGHT analysed them.",
        "QALYs: area under the EQ-5D curve between baseline and follow-up; cost per QALY: mean "
        "incremental cost over mean incremental QALYs; net benefit at the willingness to pay "
        f"of {gbp(float(v('trial.willingness_to_pay', 20000.0)))} per QALY.",
        "Over replicate trials: differences are summarised by their mean and odds ratios by "
        "their geometric mean, with the mean confidence limits, the 2.5% and 97.5% points of "
        "the estimates and the share of trials with p below "
        f"{v('trial.alpha', 0.05)} (power). The true effect is the same analysis of the whole "
        "simulated population, everyone treated against no one, with no measurement error or "
        "loss to follow-up.",
    ]
    seeds = [
        f"Root seed {p.get('seed', v('run.seed'))}; {p.get('replicates', '?')} replicate "
        f"trials, simulated in batches of {v('trial.batch_size')}. Replicate r builds its "
        "practices and allocation from its own seed derived from the root seed and r; the "
        "mechanisms' random numbers derive from the root seed and the batch number, so results "
        "depend on the seed and batch size, not on the number of worker processes.",
        "Run the same command with the same scenario file and seed to reproduce every number "
        "(see Provenance).",
    ]
    body = (
        "<h3>Design</h3>"
        + h.bullets(h.text(t) for t in design)
        + "<h3>Analysis</h3>"
        + h.bullets(h.text(t) for t in analysis)
        + "<h3>Replicates and seeds</h3>"
        + h.bullets(h.text(t) for t in seeds)
    )
    return h.Section("methods", "Methods", body)
