"""What a virtual trial measures and how it is analysed: outcomes and subgroups, in one place.

Primary outcomes at 6 months follow BRIGHT (Blakeman et al. 2014): EQ-5D-3L utility and heiQ
positive and active engagement by linear regression adjusted for the baseline value (ANCOVA), and
blood-pressure control (NICE 2008) by logistic regression adjusted for baseline control. Costs
(health service plus intervention) and QALYs (area under the EQ-5D curve, adjusted for baseline
EQ-5D) follow the same linear model and give the incremental cost per QALY gained.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.population import codes


@dataclass(frozen=True)
class Outcome:
    """One trial outcome.

    Attributes:
        label: Human label.
        unit: Unit of the outcome.
        column: Follow-up column of the trial data.
        baseline: Baseline covariate column.
        followed: Column marking who gave these data at follow-up.
        model: ``"ancova"`` (linear, difference in means) or ``"logistic"`` (odds ratio).
    """

    label: str
    unit: str
    column: str
    baseline: str
    followed: str
    model: str

    @property
    def scale(self) -> str:
        """Scale of the effect: ``"difference"`` or ``"odds ratio"``."""
        return "odds ratio" if self.model == "logistic" else "difference"


OUTCOMES: dict[str, Outcome] = {
    "eq5d": Outcome("EQ-5D-3L utility", "utility", "eq5d", "eq5d_0", "self_report", "ancova"),
    "bp_controlled": Outcome(
        "BP controlled (NICE 2008)", "share", "controlled", "controlled_0", "bp_data", "logistic"
    ),
    "heiq": Outcome(
        "heiQ positive and active engagement",
        "score 1-4",
        "heiq",
        "heiq_0",
        "self_report",
        "ancova",
    ),
    "cost": Outcome(
        "Cost: health service and intervention", "GBP", "cost", "cost_0", "self_report", "ancova"
    ),
    "qaly": Outcome("QALYs (area under EQ-5D)", "QALY", "qaly", "eq5d_0", "self_report", "ancova"),
}
#: Outcomes analysed by subgroup.
PRIMARY: tuple[str, ...] = ("eq5d", "bp_controlled")

_YES_NO = ((False, "no"), (True, "yes"))
#: Subgroup variable -> (human label, its levels as (value in the data, label), in display order).
SUBGROUPS: dict[str, tuple[str, tuple[tuple[object, str], ...]]] = {
    "network_type": (
        "Network type",
        tuple((code, name.replace("_", " ")) for code, name in enumerate(codes.NETWORK_TYPES)),
    ),
    "lives_alone": ("Lives alone", _YES_NO),
    "age_75_plus": ("Aged 75 or over", _YES_NO),
    "no_qualifications": ("No qualifications", _YES_NO),
}
