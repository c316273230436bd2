"""Report sections of a comparison folder (``sim compare``): answer, league table, value, budget.

Written for commissioners: plain words first (which option is the best value, at what cost),
then the tables and figures, the options and methods; terms are explained in the footnote
(:mod:`sim.report.glossary`).
"""

from __future__ import annotations

import tomllib

import pandas as pd

from sim.compare.spec import COMPARATOR_LABEL
from sim.compare.tables import (
    budget_text,
    effects_text,
    spread_text,
    uncertainty_text,
    value_text,
)
from sim.economics.text import gbp, icer_text, signed_gbp
from sim.report import html as h
from sim.report.folder import ResultsFolder

#: Caption of each comparison figure, by file stem, in display order.
CAPTIONS = {
    "ce_plane": "Incremental cost and QALYs per patient of each option against usual care: the "
    "marker is the mean over simulated trials, the cross-hairs the 2.5% to 97.5% points. The "
    "black line joins the options on the efficiency frontier; options below the dashed "
    "willingness-to-pay line are worth their cost at that price.",
    "acceptability": "For each willingness to pay per QALY, the share of simulated trials in "
    "which each option (usual care included) gives the highest net benefit.",
    "budget": "Change in the health-service budget for the population named, in year 1 and over "
    "5 years, with the 95% confidence interval of the simulated mean (a negative value is a "
    "saving). Beyond the simulated follow-up, the change in service use is assumed to last.",
    "effects": "Effects on quality of life (EQ-5D-3L), blood-pressure control (odds ratio) and "
    "engagement (heiQ) at follow-up: the marker is the mean estimate over simulated trials, the "
    "thin bar the average 95% confidence interval of one trial, the thick bar the 2.5% to 97.5% "
    "points of the estimates and the open diamond the true effect.",
    "trajectories": "Week by week, each option's mean quality of life and cost since the start, "
    "minus usual care's, over the whole simulated practice populations (true values).",
}


def _labels(folder: ResultsFolder) -> list[str]:
    return list(folder.table("league")["option"])


def _options(folder: ResultsFolder) -> list[tuple[str, dict]]:
    """Each option's label and resolved scenario (flat keys), from the folder's scenarios/."""
    from sim.report.folder import flatten

    out = []
    for entry in settings(folder).get("strategies", []):
        path = folder.path / entry["file"]
        try:
            with open(path, "rb") as handle:
                out.append((entry["label"], flatten(tomllib.load(handle))))
        except (OSError, tomllib.TOMLDecodeError):
            out.append((entry["label"], {}))
    return out


def settings(folder: ResultsFolder) -> dict:
    """The folder's ``comparison.toml`` (title, description, options, settings)."""
    try:
        with open(folder.path / "comparison.toml", "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _listing(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _who(folder: ResultsFolder) -> str:
    v = folder.value
    return (
        f"{folder.provenance.get('replicates', '?')} simulated trials. Each builds a new "
        f"population of {v('population.n_practices')} general practices, recruits "
        f"{v('trial.n_intervention')} + {v('trial.n_control')} adults with stage 3 chronic "
        f"kidney disease at random and randomises them one by one; the usual-care patients, "
        f"their chance events and their measurements are the same for every option, which is "
        f"given to the other patients. Follow-up at week {v('trial.outcome_week')}."
    )


def answer(folder: ResultsFolder) -> list[str]:
    """The comparison's answer in plain words, one escaped sentence each."""
    league = folder.table("league").set_index("option")
    wtp = float(league["willingness_to_pay"].iloc[0])
    benefit = league["net_benefit"].fillna(0.0)
    best = str(benefit.idxmax())
    lines = []
    if best == COMPARATOR_LABEL:
        lines.append(
            f"At {gbp(wtp)} per QALY no option is worth its cost on average: usual care has the "
            "highest net benefit."
        )
    else:
        row = league.loc[best]
        lines.append(
            f"At {gbp(wtp)} per QALY the best value on average is {best}: "
            f"{icer_text(row['delta_cost'], row['delta_qaly'])} against usual care and the "
            f"highest mean net benefit, {signed_gbp(row['net_benefit'])} per patient (it was the "
            f"best in {100 * row['p_best']:.0f}% of the simulated trials)."
        )
    table = folder.table("frontier")
    frontier = table[table["status"] == "frontier"]
    steps = [
        f"{r['option']} ({gbp(r['icer'])} per QALY gained against {r['versus']})"
        for _, r in frontier.iterrows()
        if r["versus"]
    ]
    start = frontier["option"].iloc[0] if len(frontier) else COMPARATOR_LABEL
    lines.append(
        f"Efficiency frontier: from {start} (the cheapest)"
        + (f" to {_listing(steps)}." if steps else "; no option adds QALYs at extra cost.")
    )
    for status, words in (
        ("dominated", "dominated (another option gives at least as many QALYs for no more cost)"),
        ("extendedly dominated", "extendedly dominated (a mix of two other options does better)"),
    ):
        names = list(league.index[league["frontier_status"] == status])
        if names:
            lines.append(f"{_listing(names)} {'is' if len(names) == 1 else 'are'} {words}.")
    return lines


def _change(value: float) -> str:
    """'adds £1,234 to' or 'saves £1,234 from' the budget."""
    return f"adds {gbp(value)} to" if value >= 0 else f"saves {gbp(-value)} from"


def _budget_sentence(folder: ResultsFolder, option: str) -> str:
    budget = folder.table("budget").set_index("option")
    if option not in budget.index:
        return ""
    row = budget.loc[option]
    without = _change(row["total_5_years_no_lasting_change"])
    return (
        f"Offering {option} to {int(row['population']):,} patients {_change(row['year_1'])} "
        f"the health-service budget in year 1 and {_change(row['total_5_years'])} it over 5 "
        f"years; if its effect on service use ended with the follow-up, it would "
        f"{without.replace('adds', 'add').replace('saves', 'save')} it over 5 years."
    )


def summary_section(folder: ResultsFolder) -> h.Section:
    """What was compared, in whom, the answer, the budget and the caveats."""
    labels = [x for x in _labels(folder) if x != COMPARATOR_LABEL]
    description = str(settings(folder).get("description", ""))
    benefit = folder.table("league").set_index("option")["net_benefit"].fillna(0.0)
    best = str(benefit.idxmax())
    caveats = [
        "These are simulated patients: the results follow from the model's mechanisms and "
        "assumptions, calibrated to the BRIGHT trial; only BRIGHT itself was measured.",
        f"Costs and QALYs cover {folder.value('trial.outcome_week', '?')} weeks; the budget "
        "beyond that rests on an assumption (the change in service use lasts).",
        "What-if options change the world for everyone in their arm (more community groups, a "
        "lighter treatment burden) on top of BRIGHT and are compared with today's usual care; "
        "the cost of making that change is not counted.",
        "The spread between simulated trials shows chance, and also the uncertainty in the "
        "model's parameters when the comparison ran over the calibrated ensemble (the "
        "prediction intervals of the effects table say how much of each).",
    ]
    body = [
        f'<div class="key"><p><strong>What was compared.</strong> {h.text(_listing(labels))}, '
        f"each against usual care. {h.text(description)}</p>",
        f"<p><strong>In whom.</strong> {h.text(_who(folder))}</p>",
        "<p><strong>The answer.</strong></p>",
        h.bullets(h.text(line) for line in answer(folder)),
    ]
    if best != COMPARATOR_LABEL:
        body.append(h.paragraph(h.text(_budget_sentence(folder, best))))
    body += ["</div>", '<h3>Caveats</h3><div class="caveat">']
    body += [h.bullets(h.text(c) for c in caveats), "</div>"]
    return h.Section("summary", "Summary", "".join(body))


def league_section(folder: ResultsFolder) -> h.Section:
    """The league table: value for money first, then effects, with how to read them."""
    league = folder.table("league")
    wtp = gbp(float(league["willingness_to_pay"].iloc[0]))
    value = (
        "Cost and QALYs are per patient over the follow-up, against usual care: the mean over "
        "simulated trials of what each trial estimated. The efficiency frontier compares each "
        "option with the next cheaper option worth having; net benefit and best value are at "
        f"{wtp} per QALY."
    )
    effects = (
        "The effects a trial of each option would report: the mean estimate over simulated "
        "trials, with the average 95% confidence interval of one trial."
    )
    body = (
        h.paragraph(h.text(value))
        + h.table(value_text(league), table_id="league-table")
        + "<details><summary>How much cost, QALYs and net benefit varied between trials (2.5% "
        "to 97.5% points)</summary>"
        + h.table(spread_text(league), table_id="spread-table")
        + "</details><details><summary>Incremental analysis, cheapest first</summary>"
        + h.table(frontier_table(folder), table_id="frontier-table")
        + "</details><h3>Effects</h3>"
        + h.paragraph(h.text(effects))
        + h.table(effects_text(league), table_id="effects-table")
        + _uncertainty(folder)
    )
    return h.Section("league", "League table", body)


def figure_html(folder: ResultsFolder, stem: str) -> str:
    """One of the folder's figures with its caption, or '' if it is missing."""
    path = folder.path / "figures" / f"{stem}.png"
    return h.figure(path, CAPTIONS[stem]) if path.is_file() else ""


def value_section(folder: ResultsFolder) -> h.Section:
    """Cost-effectiveness plane and acceptability curves."""
    body = figure_html(folder, "ce_plane") + figure_html(folder, "acceptability")
    return h.Section("value", "Value for money", body)


def budget_section(folder: ResultsFolder) -> h.Section:
    """The budget-impact table, its figure and its assumptions."""
    budget = folder.table("budget")
    weeks = int(folder.value("trial.outcome_week", 26))
    population = int(budget["population"].iloc[0]) if len(budget) else 0
    text = (
        f"For {population:,} patients who all start the option at the beginning of year 1 "
        f"(GBP, undiscounted, against usual care). The first {weeks} weeks are simulated: the "
        "intervention's own cost and every change in health-service use. After that, the "
        f"weekly difference of the last 4 simulated weeks is assumed to last to the end of year "
        "5; the last column drops that assumption. Intervals are the 95% confidence interval of "
        "the simulated mean."
    )
    body = (
        h.paragraph(h.text(text))
        + h.table(budget_text(budget, weeks), table_id="budget-table")
        + figure_html(folder, "budget")
    )
    return h.Section("budget", "Budget impact", body)


def _uncertainty(folder: ResultsFolder) -> str:
    """Over an ensemble: each option's prediction interval and the parameters' share of it."""
    if not folder.has_table("uncertainty"):
        return ""
    table = folder.table("uncertainty")
    text = (
        f"The options ran over {int(table['members'].max())} calibrated parameter sets: the "
        "prediction interval is where one new trial's estimate would fall, given both what the "
        "evidence leaves uncertain about the model and chance; the last column says how much of "
        "that spread comes from the model's parameters rather than chance."
    )
    return (
        "<h3>How sure: parameters and chance</h3>"
        + h.paragraph(h.text(text))
        + h.table(uncertainty_text(table), table_id="uncertainty-table")
    )


def effects_section(folder: ResultsFolder) -> h.Section:
    """The effects of each option and how they build up week by week."""
    body = figure_html(folder, "effects") + figure_html(folder, "trajectories")
    return h.Section("effects", "Effects on patients", body)


def _changes(comparator: dict, option: dict) -> list[str]:
    keys = [
        k
        for k in option
        if k not in ("title", "description")
        and not k.startswith(("outputs.", "run.", "trial.published."))
        and option[k] != comparator.get(k)
    ]
    return [f"{k} = {option[k]}" for k in sorted(keys)]


def options_section(folder: ResultsFolder) -> h.Section:
    """Each option: its description and what it changes from usual care."""
    parts = []
    for label, values in _options(folder):
        changes = _changes(folder.scenario, values)
        described = values.get("description", "")
        parts.append(
            f"<h3>{h.text(label)}</h3>"
            + (h.paragraph(h.text(described)) if described else "")
            + "<details><summary>Settings that differ from usual care</summary>"
            + (h.bullets(f"<code>{h.text(c)}</code>" for c in changes) if changes else "none")
            + "</details>"
        )
    return h.Section("options", "The options", "".join(parts))


def methods_section(folder: ResultsFolder) -> h.Section:
    """How the comparison was simulated and analysed."""
    p = folder.provenance
    items = [
        "Every option runs on the same simulated trials as usual care: the same practices, "
        "recruits, allocation, chance events and measurement errors (common random numbers), "
        "so that differences between options are not chance.",
        "Each trial is analysed as BRIGHT was: quality of life, engagement, cost and QALYs by "
        "adjusted difference (ANCOVA), blood-pressure control by logistic regression (odds "
        "ratio); the true effect is the same analysis of the whole population.",
        "Options are compared with one another through their common comparator: mean cost and "
        "QALYs per patient go through an incremental analysis (dominated options removed, then "
        "extendedly dominated ones, then the cost per QALY of each option on the frontier "
        "against the previous one). Net benefit and acceptability use each trial's own "
        "incremental cost and QALYs.",
        f"Root seed {p.get('seed', '?')}; the populations and chance events of trial r are the "
        "same for every option and the same as 'sim trial' uses for the same seed.",
    ]
    return h.Section("methods", "Methods", h.bullets(h.text(i) for i in items))


def frontier_table(folder: ResultsFolder) -> pd.DataFrame:
    """The incremental analysis for the report's appendix (text)."""
    frame = folder.table("frontier")
    return pd.DataFrame(
        {
            "Option": frame["option"],
            "Status": frame["status"],
            "Cost per patient": [signed_gbp(v) for v in frame["cost"]],
            "QALYs per patient": [f"{v:+.4f}" for v in frame["qaly"]],
            "Result": frame["result"],
        }
    )
