"""The trial's design: recruitment, randomisation, follow-up and the 6-month BP reading.

BRIGHT (Blakeman et al. 2014) recruited 436 patients with stage 3 CKD from 24 practices and
randomised them at patient level (215 intervention, 221 usual care). Here each replicate trial
recruits ``n_intervention + n_control`` patients at random from its practice population and
allocates them at random. At follow-up, patients who died give no data; further losses are at
random until each arm has the reported numbers with self-report and with BP data (180/215 and
194/221; 193/215 and 210/221; Cochrane review CD012379). BP at follow-up is a research reading:
true systolic BP plus measurement error (``mechanisms.health.measurement_sd``), controlled when
below the NICE 2008 target. EQ-5D and heiQ questionnaires, at baseline and follow-up, measure
each patient's state with an error (``trial.eq5d_measurement_sd``, ``trial.heiq_measurement_sd``).
All draws come from the replicate's own "trial" stream, in a fixed order and number, and the
measurement errors are the same in every condition (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.scenario import Scenario, ScenarioError


@dataclass(frozen=True)
class TrialDesign:
    """The ``[trial]`` keys of a scenario, checked against each other and the population."""

    n_intervention: int
    n_control: int
    n_practices: int
    patients_per_practice: int
    followup_self_report: tuple[int, int]  # (intervention, control)
    followup_bp: tuple[int, int]
    outcome_week: int
    eq5d_measurement_sd: float
    heiq_measurement_sd: float
    replicates: int
    batch_size: int
    shared_world: bool
    alpha: float
    willingness_to_pay: float
    practice_adjustment: str = "cluster"

    @property
    def n_recruited(self) -> int:
        """Patients recruited (both arms)."""
        return self.n_intervention + self.n_control

    @classmethod
    def of(cls, scenario: Scenario) -> TrialDesign:
        """Read and check the design of a scenario.

        Raises:
            ScenarioError: naming the file and key when the keys contradict each other (more
                patients recruited than the practices hold, more followed up than randomised)
                or the population is not synthetic.
        """
        t = scenario.section("trial")
        design = cls(
            n_intervention=t["n_intervention"],
            n_control=t["n_control"],
            n_practices=scenario["population.n_practices"],
            patients_per_practice=t["patients_per_practice"],
            followup_self_report=(
                t["n_followup_self_report_intervention"],
                t["n_followup_self_report_control"],
            ),
            followup_bp=(t["n_followup_bp_intervention"], t["n_followup_bp_control"]),
            outcome_week=t["outcome_week"],
            eq5d_measurement_sd=t["eq5d_measurement_sd"],
            heiq_measurement_sd=t["heiq_measurement_sd"],
            replicates=t["replicates"],
            batch_size=t["batch_size"],
            shared_world=t["shared_world"],
            alpha=t["alpha"],
            willingness_to_pay=t["willingness_to_pay"],
            practice_adjustment=t["practice_adjustment"],
        )
        design._check(scenario)
        return design

    def _check(self, scenario: Scenario) -> None:
        def fail(key: str, message: str) -> None:
            raise ScenarioError(scenario.origins[key], key, message)

        if scenario["population.source"] != "synthetic":
            fail(
                "population.source",
                f"{scenario['population.source']!r} is not allowed for a trial; expected "
                "'synthetic' (each replicate trial builds its own practice population)",
            )
        available = self.n_practices * self.patients_per_practice
        if self.n_recruited > available:
            key = "trial.patients_per_practice"
            if scenario.origins[key] == "<default>":
                key = "trial.n_intervention"
            fail(
                key,
                f"the trial recruits {self.n_recruited} patients (trial.n_intervention + "
                f"trial.n_control) but the practices hold only {available} "
                f"(population.n_practices {self.n_practices} x trial.patients_per_practice "
                f"{self.patients_per_practice}); raise trial.patients_per_practice",
            )
        for what, counts in (("self_report", self.followup_self_report), ("bp", self.followup_bp)):
            for arm, count, size in (
                ("intervention", counts[0], self.n_intervention),
                ("control", counts[1], self.n_control),
            ):
                if count > size:
                    fail(
                        f"trial.n_followup_{what}_{arm}",
                        f"{count} is not allowed; expected at most trial.n_{arm} ({size}), the "
                        "patients randomised to that arm",
                    )


@dataclass(frozen=True)
class Allocation:
    """Who one replicate trial recruits and how they are allocated.

    Attributes:
        recruited: Patients recruited (indices into the practice population, ascending).
        arm: Per recruited patient, 1 for the intervention arm, 0 for usual care.
        u_self_report, u_bp: Per recruited patient, uniform draws deciding loss to follow-up.
        z_bp: Per patient of the practice population, standard normal measurement error of the
            follow-up BP reading (the same in every condition: common random numbers).
        z_eq5d, z_heiq: Per patient of the practice population, standard normal errors of the
            questionnaire at baseline (row 0) and follow-up (row 1), shape (2, n).
    """

    recruited: np.ndarray
    arm: np.ndarray
    u_self_report: np.ndarray
    u_bp: np.ndarray
    z_bp: np.ndarray
    z_eq5d: np.ndarray
    z_heiq: np.ndarray

    def intervention_mask(self, n_patients: int) -> np.ndarray:
        """Per patient of the practice population, True if randomised to the intervention."""
        mask = np.zeros(n_patients, bool)
        mask[self.recruited[self.arm == 1]] = True
        return mask


def allocate(design: TrialDesign, n_patients: int, rng: np.random.Generator) -> Allocation:
    """Recruit at random from a practice population and randomise at patient level.

    Args:
        design: The trial design.
        n_patients: Patients in the practice population.
        rng: The replicate's "trial" stream (draws a fixed number of values).
    """
    recruited = np.sort(rng.choice(n_patients, size=design.n_recruited, replace=False))
    arm = np.zeros(design.n_recruited, np.int8)
    arm[rng.permutation(design.n_recruited)[: design.n_intervention]] = 1
    u_self_report = rng.random(design.n_recruited)
    u_bp = rng.random(design.n_recruited)
    z_bp = rng.standard_normal(n_patients)
    z_eq5d = rng.standard_normal((2, n_patients))
    z_heiq = rng.standard_normal((2, n_patients))
    return Allocation(recruited, arm, u_self_report, u_bp, z_bp, z_eq5d, z_heiq)


def followed_up(
    arm: np.ndarray, alive: np.ndarray, u: np.ndarray, counts: tuple[int, int]
) -> np.ndarray:
    """Who gives data at follow-up: the living, less random losses, up to ``counts`` per arm.

    Args:
        arm: Per recruited patient, 1 intervention, 0 usual care.
        alive: Per recruited patient, alive at follow-up.
        u: Per recruited patient, uniform draws; the living with the smallest draws are kept.
        counts: Patients with data in the (intervention, control) arm.

    Returns:
        Boolean mask over recruited patients.
    """
    keep = np.zeros(len(arm), bool)
    for code, count in ((1, counts[0]), (0, counts[1])):
        candidates = np.flatnonzero((arm == code) & alive)
        keep[candidates[np.argsort(u[candidates], kind="stable")[:count]]] = True
    return keep


def questionnaire(
    value: np.ndarray, z: np.ndarray, sd: float, low: float, high: float
) -> np.ndarray:
    """A questionnaire score: the true value plus error ``sd x z``, kept within [low, high]."""
    return np.clip(value + sd * z, low, high)


def bp_controlled(sbp: np.ndarray, z: np.ndarray, sd: float, target: np.ndarray) -> np.ndarray:
    """A research BP reading (true SBP + sd x z) below the NICE target."""
    return sbp + sd * z < target
