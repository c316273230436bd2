"""The app's controls: one per scenario key, looked up by name in :mod:`sim.config.parameters`.

Each control is named by the scenario key it sets, so the teaching model receives it unchanged as an
override (:class:`sim.app.teaching_model.TeachingModel`). Intervention controls are found, not
listed: every ``interventions.<name>.enabled`` key declared in :mod:`sim.config.intervention_params`
gives a checkbox (is the component delivered?) and, when the component has ``p_uptake``, a slider
(what share of the patients offered it take it up). A new component declared there appears in the
app with no change here. The mechanism sliders are a short list chosen for teaching, one per network
mechanism or for the workload the mechanisms balance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sim.config.intervention_params import COMPONENTS
from sim.config.parameters import PARAMS

#: Components delivered when the app opens: BRIGHT (as in ``scenarios/bright.toml``).
DEFAULT_COMPONENTS: tuple[str, ...] = ("bright.guidebook", "bright.plans", "bright.calls")


@dataclass(frozen=True)
class MechanismSlider:
    """A slider over one mechanism parameter.

    Attributes:
        key: The scenario key it sets.
        label: What a class sees next to the slider.
        unit: The unit shown after its value.
        high: Right end of the slider (the left end is the parameter's lower bound).
        step: Slider step.
    """

    key: str
    label: str
    unit: str
    high: float
    step: float


#: Mechanism sliders: the workload of treatment (minimally disruptive medicine), and one lever
#: each of navigation, knowledge sharing and resource mediation.
MECHANISM_SLIDERS: tuple[MechanismSlider, ...] = (
    MechanismSlider("mechanisms.work.treatment_hours", "Treatment", "hours/week", 4.0, 0.25),
    MechanismSlider("mechanisms.navigation.p_join", "Group joining", "chance/week", 0.05, 0.002),
    MechanismSlider(
        "mechanisms.knowledge.rate_fading", "Knowledge fading", "share/week", 0.1, 0.005
    ),
    MechanismSlider("mechanisms.support.rate_strain", "Helper strain", "rate/week", 0.3, 0.01),
)


def component_names() -> list[str]:
    """Components declared in the scenario parameters (``interventions.<name>.enabled``)."""
    return [
        key.removeprefix("interventions.").removesuffix(".enabled")
        for key in PARAMS
        if key.startswith("interventions.") and key.endswith(".enabled")
    ]


def _short(title: str) -> str:
    """The title without the intervention's name: BRIGHT telephone calls -> Telephone calls."""
    short = title.split(" ", 1)[-1]
    return short[0].upper() + short[1:]


def intervention_params(enabled: Iterable[str] = DEFAULT_COMPONENTS) -> dict[str, dict[str, Any]]:
    """A checkbox and an uptake slider for every intervention component.

    Args:
        enabled: Components ticked when the app opens.
    """
    enabled = set(enabled)
    out: dict[str, dict[str, Any]] = {}
    for name in component_names():
        title = COMPONENTS.get(name, (name, ""))[0]
        prefix = f"interventions.{name}."
        out[prefix + "enabled"] = {"type": "Checkbox", "value": name in enabled, "label": title}
        if prefix + "p_uptake" in PARAMS:
            out[prefix + "p_uptake"] = {
                "type": "SliderFloat",
                "value": PARAMS[prefix + "p_uptake"].default,
                "label": f"{_short(title)} uptake",
                "unit": "%",
                "min": 0.0,
                "max": 1.0,
                "step": 0.05,
            }
    return out


def mechanism_params() -> dict[str, dict[str, Any]]:
    """A slider for each of :data:`MECHANISM_SLIDERS`, starting at the parameter's default."""
    out = {}
    for slider in MECHANISM_SLIDERS:
        param = PARAMS[slider.key]
        high = slider.high if param.high is None else min(slider.high, param.high)
        out[slider.key] = {
            "type": "SliderFloat",
            "value": param.default,
            "label": slider.label,
            "unit": slider.unit,
            "min": param.low or 0.0,
            "max": high,
            "step": slider.step,
        }
    return out


def model_params() -> dict[str, Any]:
    """Every control of the app, in sidebar order: interventions, mechanisms, seed."""
    return {
        **intervention_params(),
        **mechanism_params(),
        "seed": {
            "type": "SliderInt",
            "value": 1,
            "label": "Random seed",
            "min": 1,
            "max": 50,
            "step": 1,
        },
    }


def initial_values(params: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The value each control starts at."""
    params = model_params() if params is None else params
    return {key: spec["value"] for key, spec in params.items()}


def shown(spec: Mapping[str, Any], value: Any) -> str:
    """A control's value as the class reads it: "on", "80%", "1.5 hours/week"."""
    if isinstance(value, bool):
        return "on" if value else "off"
    unit = spec.get("unit", "")
    if unit == "%":
        return f"{value:.0%}"
    return f"{value:g} {unit}".strip()


def within_half_a_step(key: str, old: Any, new: Any) -> bool:
    """True if ``new`` is a float slider's value less than half its step from ``old``."""
    spec = model_params().get(key, {})
    if spec.get("type") != "SliderFloat":
        return False
    return abs(float(new) - float(old)) < spec["step"] / 2


def applied_values(model_values: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """The controls' values a model was built with (from its resolved scenario and seed)."""
    return {key: (seed if key == "seed" else model_values[key]) for key in model_params()}


def changed_settings(values: Mapping[str, Any]) -> list[str]:
    """The controls whose value differs from where the app starts, as "label: value".

    Args:
        values: Control name (scenario key, or ``seed``) -> value now, e.g. a resolved
            scenario's values with the seed added.
    """
    out = []
    for key, spec in model_params().items():
        value = values[key]
        if value != spec["value"]:
            out.append(f"{spec['label']}: {shown(spec, value)}")
    return out


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The controls whose value differs between two sets of values, as "label: old → new"."""
    out = []
    for key, spec in model_params().items():
        old, new = before[key], after[key]
        if old == new:
            continue
        plain = isinstance(old, bool) or spec.get("unit", "") == "%"
        old_shown = shown(spec, old) if plain else f"{old:g}"
        out.append(f"{spec['label']}: {old_shown} → {shown(spec, new)}")
    return out
