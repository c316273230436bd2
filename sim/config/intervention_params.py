"""Section [interventions]: BRIGHT and GENIE components (dossier sections 4, 5; ODD 7.10).

Each component is a sub-table ``interventions.<intervention>.<component>`` with the same generic
keys (whether it runs, when, for whom, with what uptake and at what cost) and one key per
mechanism input it acts on, named after the input (see :data:`sim.interventions.inputs.INPUTS`):
``knowledge_clinical = 0.3`` is the dose of the guidebook on clinical knowledge. The components are
read by :func:`sim.interventions.components.make_components`; adding one means declaring its keys
here and listing it in :data:`COMPONENTS`. Every component is off in usual care.

The dossier gives the schedule of BRIGHT's calls (weeks 1 and 5; Blakeman et al. 2014) and GENIE's
single session with up to three chosen activities (Kennedy et al. 2016); doses, uptake and costs
are assumptions, parameters a calibration or sweep can vary (dossier section 8).
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.config.param_spec import Registry
from sim.population import codes

PARAMS = Registry()
_A = "assumption"
_BRIGHT = "Blakeman et al. 2014"
_CAL = (
    "prior in sim/config/prior_params.py; fitted by calibration "
    "(scenarios/calibration/bright.toml; of its targets, BRIGHT's T9 constrains it)"
)
#: BRIGHT's component uptakes are free parameters of the shipped calibration.
_FITTED_UPTAKE = ("bright.guidebook", "bright.plans", "bright.calls")
_GENIE = "Kennedy et al. 2016"

#: Component -> (human title, one-line description).
COMPONENTS: dict[str, tuple[str, str]] = {
    "bright.guidebook": (
        "BRIGHT guidebook",
        "a kidney information guidebook combining clinical information with lay accounts",
    ),
    "bright.plans": (
        "BRIGHT PLANS",
        "a patient-led assessment of support needs and preferences with a booklet of local "
        "resources",
    ),
    "bright.calls": (
        "BRIGHT telephone calls",
        "telephone calls from a lay health worker to talk through needs and link to resources",
    ),
    "genie.session": (
        "GENIE session",
        "one facilitated session: mapping the personal community, a preference questionnaire, up "
        "to three chosen activities and a map of matching local resources",
    ),
}


def _component(
    name: str,
    weeks: list[int],
    weeks_source: str,
    p_uptake: float,
    uptake_meaning: str,
    cost: float,
) -> str:
    """Declare the generic keys of component ``name``; return its key prefix."""
    prefix = f"interventions.{name}."
    title = COMPONENTS[name][0]
    PARAMS.add(prefix + "enabled", False, "bool", "-", "-", f"Deliver the {title}.")
    PARAMS.add(
        prefix + "weeks",
        weeks,
        "int_list",
        "weeks",
        weeks_source,
        "Weeks of delivery: 0 at recruitment (after the baseline assessment), k at the start of "
        "week k, before that week's mechanisms run.",
        low=0,
        high=1040,
    )
    PARAMS.prob(
        prefix + "p_uptake",
        p_uptake,
        _A + " (uptake at the participant's discretion); " + _CAL if name in _FITTED_UPTAKE else _A,
        f"Probability that an offered patient {uptake_meaning} (drawn at each delivery).",
    )
    PARAMS.add(
        prefix + "cost",
        cost,
        "float",
        "GBP",
        _A,
        "Cost per patient offered, per delivery.",
        low=0,
        high=100_000,
    )
    PARAMS.add(
        prefix + "age_min",
        0.0,
        "float",
        "years",
        "-",
        "Eligibility: youngest age offered (at delivery).",
        low=0,
        high=120,
    )
    PARAMS.add(
        prefix + "age_max",
        120.0,
        "float",
        "years",
        "-",
        "Eligibility: oldest age offered (at delivery).",
        low=0,
        high=120,
    )
    PARAMS.add(
        prefix + "network_types",
        list(codes.NETWORK_TYPES),
        "choice_list",
        "-",
        "-",
        "Eligibility: personal-community types offered (Vassilev et al. 2016).",
        choices=codes.NETWORK_TYPES,
    )
    return prefix


def _dose(key: str, default: float, source: str, what: str) -> None:
    PARAMS.share(
        key, default, source, f"Dose on {what}: share of the gap to 1 closed (x += dose (1 - x))."
    )


def _match(prefix: str, rel: float, n: int, source: str, what: str) -> None:
    PARAMS.add(
        prefix + "match",
        rel,
        "float",
        "multiplier",
        source,
        f"Match weight of the {what} (every other category keeps weight 1; weights never fall).",
        low=1,
        high=1000,
    )
    PARAMS.add(
        prefix + "n_matched",
        n,
        "int",
        "categories",
        source,
        "Number of the patient's most preferred activity categories available in their "
        "locality that are matched.",
        low=0,
        high=len(codes.ACTIVITY_CATEGORIES),
    )


def _awareness_base(prefix: str, dose: float, weeks: int, source: str) -> None:
    _dose(prefix + "awareness_base", dose, source, "the baseline awareness awareness returns to")
    PARAMS.add(
        prefix + "dur_awareness_base",
        weeks,
        "int",
        "weeks",
        source,
        "Weeks the raised baseline awareness lasts (then it is restored).",
        low=1,
        high=1040,
    )


# --- BRIGHT (Blakeman et al. 2014) ---------------------------------------------------------------
_P = _component(
    "bright.guidebook", [0], _BRIGHT + " (given at recruitment)", 0.8653, "reads it", 5.0
)
_dose(_P + "knowledge_clinical", 0.2352, _CAL, "clinical knowledge")
_dose(_P + "knowledge_lay", 0.0503, _CAL + " (lay, experiential accounts)", "lay knowledge")

_P = _component("bright.plans", [0], _BRIGHT, 0.6859, "completes the assessment", 10.0)
_dose(_P + "awareness", 0.0582, _CAL, "awareness of network and local resources")
_awareness_base(_P, 0.2, 26, _A + " (booklet and website of local resources)")
_match(_P, 3.0, 3, _A + " (tailored access to local resources)", "matched categories")

_P = _component(
    "bright.calls", [1, 5], _BRIGHT + " (weeks 1 and 5)", 0.5936, "completes a call", 15.0
)
PARAMS.share(
    _P + "guidance",
    1.0,
    _A,
    "Guidance after a completed call (guidance = max(guidance, this); it then decays at "
    "mechanisms.navigation.rate_guidance_decay).",
)

# --- GENIE (Kennedy et al. 2016; Vassilev et al. 2019) --------------------------------------------
_P = _component("genie.session", [0], _GENIE + " (one session)", 0.8, "attends the session", 60.0)
_dose(_P + "awareness", 0.5, _A + " (mapping the personal community)", "awareness")
_dose(_P + "skill", 0.2, _A + " (reflection supports negotiation)", "negotiation skill")
_match(_P, 5.0, 3, _GENIE + " (up to three chosen activities)", "chosen categories")
PARAMS.share(
    _P + "guidance",
    1.0,
    _A + " (a strong push towards the chosen activities)",
    "Guidance after the session (guidance = max(guidance, this); it then decays).",
)
_awareness_base(_P, 0.3, 52, _A + " (map of matching local resources)")


def component_keys(values: Mapping[str, object], name: str) -> dict[str, object]:
    """The keys of component ``name`` in a flat scenario mapping, prefix stripped."""
    prefix = f"interventions.{name}."
    return {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix)}
