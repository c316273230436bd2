"""Interventions as data-driven components acting only on mechanism inputs (ODD 7.10)."""

from sim.interventions.components import Component, Effect, Eligibility, make_components
from sim.interventions.engine import Interventions
from sim.interventions.inputs import INPUTS

__all__ = ["INPUTS", "Component", "Effect", "Eligibility", "Interventions", "make_components"]
