"""Checks a scenario must pass before a virtual trial (or a comparison) of it is worth running."""

from __future__ import annotations

from sim.config.scenario import Scenario, ScenarioError


def enabled_interventions(scenario: Scenario) -> list[str]:
    """The intervention components a scenario switches on (``interventions.<name>.enabled``)."""
    return [
        key[len("interventions.") : -len(".enabled")]
        for key, value in scenario.values.items()
        if key.startswith("interventions.") and key.endswith(".enabled") and value is True
    ]


def require_intervention(scenario: Scenario, verb: str) -> None:
    """Refuse a scenario that switches on no intervention (nothing to compare with usual care).

    Raises:
        ScenarioError: naming the scenario's file.
    """
    if not enabled_interventions(scenario):
        raise ScenarioError(
            scenario.path or scenario.name,
            "interventions",
            f"no intervention is switched on, so '{verb}' has nothing to compare with usual "
            "care; switch one on (e.g. [interventions.bright.guidebook] enabled = true, or "
            'base = "bright.toml")',
        )
