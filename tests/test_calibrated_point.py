"""The calibrated point: members ranked by the targets they meet, then checked on usual care.

Three synthetic members of the shipped calibration (which fits every target the usual-care check
measures): member 0 meets every target within one sd, member 1 misses one usual-care target by
2 sd, member 2 misses two. So the ranking is 0, 1, 2, and the calibrated point is the first in
that order whose usual-care check finds no miss.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration.calibration_file import load_calibration
from sim.calibration.fit import calibrated_member, ranked_members

SHIPPED = Path(__file__).resolve().parents[1] / "scenarios" / "calibration" / "bright.toml"


@pytest.fixture(scope="module")
def cal():
    return load_calibration(SHIPPED)


@pytest.fixture(scope="module")
def candidates(cal) -> pd.DataFrame:
    rows = []
    usual = [t for t in cal.targets if not t.code.startswith("T9")]
    for member, missed in enumerate(([], usual[:1], usual[:2])):
        row = {key: float(member) for key in cal.keys}  # every parameter = the member's number
        for t in cal.targets:
            off = 2.0 if t in missed else 0.0
            row[t.column] = t.value + off * t.sd
            row[f"{t.column}_i"] = off
        row["confirmed"] = True
        rows.append(row)
    return pd.DataFrame(rows)


def _check(misses: dict[int, list[str]], calls: list[int]):
    def check(overrides: dict[str, float]) -> list[str]:
        member = int(next(iter(overrides.values())))
        calls.append(member)
        return misses[member]

    return check


def test_members_are_ranked_by_the_usual_care_targets_they_meet(cal, candidates):
    chosen = np.array([2, 0, 1])
    assert list(ranked_members(cal, candidates, chosen)) == [0, 1, 2]


def test_the_first_member_passing_the_usual_care_check_is_the_calibrated_point(cal, candidates):
    calls: list[int] = []
    check = _check({0: ["T11"], 1: [], 2: []}, calls)
    assert calibrated_member(cal, candidates, np.array([0, 1, 2]), check) == (1, [])
    assert calls == [0, 1], "expected the check to stop at the first member that passes"


def test_with_no_member_passing_the_one_missing_fewest_is_chosen(cal, candidates):
    calls: list[int] = []
    check = _check({0: ["T11", "T5"], 1: ["T11"], 2: ["T5", "T6"]}, calls)
    assert calibrated_member(cal, candidates, np.array([0, 1, 2]), check) == (1, ["T11"])
    assert calls == [0, 1, 2]


def test_confirmed_candidates_outside_the_ensemble_are_checked_after_its_members(cal, candidates):
    calls: list[int] = []
    check = _check({0: ["T11"], 1: [], 2: ["T5"]}, calls)
    assert calibrated_member(cal, candidates, np.array([2, 0]), check) == (1, [])
    assert calls == [0, 2, 1], "expected the members (0, 2) first, then candidate 1"


def test_a_calibration_without_the_usual_care_targets_is_not_checked(cal, candidates):
    narrow = dataclasses.replace(cal, targets=cal.targets[:1])

    def check(overrides):
        raise AssertionError("expected no usual-care check")

    member, misses = calibrated_member(narrow, candidates, np.array([0, 1, 2]), check)
    assert (member, misses) == (0, None)
