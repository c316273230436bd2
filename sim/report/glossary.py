"""Methods terms in plain words: the footnote of every report.

A report uses words a commissioner may not know (QALY, odds ratio, dominated, ...). Its last
section before the provenance explains each term that appears in the page, once, in the order of
:data:`TERMS`; terms the page does not use are left out.
"""

from __future__ import annotations

import re

from sim.report import html as h

#: Term -> (words that show it is used, case-insensitive; its explanation).
TERMS: dict[str, tuple[tuple[str, ...], str]] = {
    "EQ-5D-3L": (
        ("EQ-5D",),
        "A short questionnaire on mobility, self-care, usual activities, pain and anxiety, "
        "scored as a utility: 1 is full health, 0 is as bad as being dead.",
    ),
    "heiQ": (
        ("heiQ",),
        "The Health Education Impact Questionnaire; its 'positive and active engagement in "
        "life' scale (1 to 4) measures how engaged people are in managing their health.",
    ),
    "QALY": (
        ("QALY",),
        "Quality-adjusted life year: a year of life weighted by its quality (EQ-5D utility). "
        "Six months at utility 0.8 is 0.4 QALYs.",
    ),
    "Odds ratio": (
        ("odds ratio",),
        "How many times higher the odds of an outcome (here, blood pressure under control) are "
        "with the intervention than without; 1 means no difference.",
    ),
    "Adjusted difference": (
        ("adjusted", "ANCOVA"),
        "The difference between the arms after allowing for each patient's value at the start "
        "(analysis of covariance, ANCOVA), as the BRIGHT trial analysed it.",
    ),
    "95% confidence interval (CI)": (
        ("confidence interval", "CI)"),
        "The range one trial would report as compatible with its data. Here it is the average "
        "of that range over the simulated trials.",
    ),
    "Power": (
        ("power",),
        "The share of simulated trials that found the effect statistically significant "
        "(p below 0.05): the chance that a real trial of that size would detect it.",
    ),
    "Replicate trials": (
        ("replicate",),
        "The same trial simulated many times, each with a new population of practices and new "
        "chance events; the spread between them shows how much one trial's result depends on "
        "chance.",
    ),
    "True effect": (
        ("true effect", "true value"),
        "The effect in the whole simulated population, everyone given the intervention against "
        "no one, with no measurement error or loss to follow-up: what the trials estimate.",
    ),
    "Common random numbers": (
        ("common random numbers", "same random numbers"),
        "Every option is simulated with the same patients and the same chance events, so that "
        "differences between options come from the options, not from chance.",
    ),
    "Cost per QALY (ICER)": (
        ("per QALY", "ICER"),
        "The incremental cost-effectiveness ratio: the extra cost of an option divided by the "
        "extra QALYs it gives, against its comparator. NICE usually funds options below about "
        "£20,000 to £30,000 per QALY gained.",
    ),
    "Dominant, dominated": (
        ("dominant", "dominated"),
        "An option is dominant if it gives more QALYs at lower cost than its comparator, and "
        "dominated if another option gives at least as many QALYs at no more cost. Ratios are "
        "not quoted for either: the choice is clear.",
    ),
    "Extended dominance": (
        ("extendedly dominated", "extended dominance"),
        "An option is extendedly dominated when offering a mix of two other options (some "
        "patients one, some the other) would give more QALYs for the same money.",
    ),
    "Efficiency frontier": (
        ("frontier",),
        "The options left once dominated and extendedly dominated ones are removed, cheapest "
        "first; each one's cost per QALY is against the one before it.",
    ),
    "Willingness to pay": (
        ("willingness to pay",),
        "The most the health service is prepared to pay for one QALY (NICE: £20,000 to £30,000).",
    ),
    "Net monetary benefit": (
        ("net benefit", "net monetary benefit"),
        "The QALYs gained valued at the willingness to pay, minus the extra cost, per patient; "
        "the option with the highest net benefit is the best value at that price.",
    ),
    "Acceptability curve": (
        ("acceptability",),
        "For each willingness to pay, the share of simulated trials in which an option is the "
        "best value (highest net benefit).",
    ),
    "Budget impact": (
        ("budget impact",),
        "What adopting an option adds to, or saves from, the health-service budget for a named "
        "number of patients, year by year, without discounting.",
    ),
    "Shapley attribution": (
        ("Shapley",),
        "A fair way to share out an effect among the mechanisms that produce it together: each "
        "mechanism's average contribution over every order in which they could be switched on.",
    ),
    "Sensitivity indices": (
        ("Sobol", "Morris"),
        "How much of the variation in an outcome each parameter explains: Sobol indices (first "
        "order: alone; total: with its interactions) or Morris screening (mean absolute effect "
        "of moving a parameter across its range).",
    ),
}


def _plain(page: str) -> str:
    """The text of an HTML fragment, without tags and embedded images."""
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', "", page))


def used_terms(page: str) -> list[str]:
    """The terms of :data:`TERMS` whose words appear in ``page`` (HTML), in TERMS order."""
    text = _plain(page).lower()
    return [term for term, (words, _) in TERMS.items() if any(w.lower() in text for w in words)]


def glossary_section(sections: list[h.Section]) -> h.Section | None:
    """A 'Terms used' footnote explaining each term the sections use (None if they use none)."""
    terms = used_terms("".join(s.body for s in sections))
    if not terms:
        return None
    items = "".join(f"<dt>{h.text(t)}</dt><dd>{h.text(TERMS[t][1])}</dd>" for t in terms)
    return h.Section("terms", "Terms used", f'<dl class="terms">{items}</dl>')
