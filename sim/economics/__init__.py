"""Health economics of simulated trials: incremental analysis, acceptability and budget impact.

Everything here works on tidy tables of per-patient means (incremental cost in GBP and QALYs per
patient against a common comparator), one row per draw and option, so any cost component the
model adds flows through unchanged. A *draw* is one replicate trial (columns ``replicate``, and
``member`` when the runs span a parameter ensemble). See :mod:`.text` (money and ratios in words),
:mod:`.frontier` (dominance, extended dominance and ICERs), :mod:`.acceptability` (net monetary
benefit and acceptability curves) and :mod:`.budget` (budget impact).
"""

from __future__ import annotations

from sim.economics.acceptability import acceptability, net_benefit
from sim.economics.budget import budget_impact
from sim.economics.frontier import incremental_analysis
from sim.economics.text import gbp, icer_text

__all__ = [
    "acceptability",
    "budget_impact",
    "gbp",
    "icer_text",
    "incremental_analysis",
    "net_benefit",
]
