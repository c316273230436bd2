"""Small sweep files for the sweep tests: a tiny population, a few weeks, runs of ~30 ms."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USUAL_CARE = ROOT / "scenarios" / "usual_care.toml"


def write_sweep(
    folder: Path,
    name: str = "tiny",
    parameters: str = '"mechanisms.navigation.p_join" = [0.006, 0.012, 0.024]\n'
    '"mechanisms.negotiation.p_attempt" = { low = 0.05, high = 0.2, n = 2 }',
    design: str = 'kind = "grid"',
    replicates: int = 2,
    weeks: int = 6,
    outcomes: str = "",
    extra: str = "",
) -> Path:
    """Write a sweep file over a 30-patient population and return its path."""
    outcomes = outcomes or f'measures = ["eq5d", "tbq", "self_management"]\nweeks = [{weeks}]'
    path = Path(folder) / f"{name}.toml"
    design_table = f"[design]\n{design}\n" if design else ""
    path.write_text(
        f"base = {json.dumps(str(USUAL_CARE))}\nseed = 11\nreplicates = {replicates}\n"
        f"weeks = {weeks}\n{extra}\n"
        '[fixed]\n"population.n_practices" = 1\n"population.patients_per_practice" = 30\n'
        f"[parameters]\n{parameters}\n{design_table}[outcomes]\n{outcomes}\n",
        encoding="utf-8",
    )
    return path
