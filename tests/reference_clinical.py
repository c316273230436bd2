"""The per-agent reference's clinical rules: work, balance, health and outcomes of one patient.

A mixin of :class:`tests.reference_model.RefPatient`, written again from the ODD's equations
(section 7) with scalar arithmetic (the ``math`` module only): functional limitation from age,
true eGFR, diabetes and comorbidity; self-efficacy and self-management; eGFR decline, readings
and the measured stage; stopping, restarting and intensifying medicines; blood pressure; death;
EQ-5D by dimension and the UK value set; contacts, admissions and costs by component.
"""

from __future__ import annotations

import math

from sim.population import codes

WEEKS_PER_YEAR = 52.0
#: eGFR band edges (Go et al. 2004) and their names in the parameter keys.
EDGES = (60.0, 45.0, 30.0, 15.0)
BANDS = ("45_59", "30_44", "15_29", "below_15")
#: Measured stage of each band (60 or more: remitted).
STAGE_OF_BAND = (codes.REMITTED, codes.STAGE_3A, codes.STAGE_3B, codes.STAGE_4, codes.STAGE_5)
DIMENSIONS = ("mobility", "self_care", "usual_activities", "pain_discomfort", "anxiety_depression")
#: UK EQ-5D-3L value set (Dolan 1997): decrement at level 2 and level 3, by dimension.
LEVEL2 = (0.069, 0.104, 0.036, 0.123, 0.071)
LEVEL3 = (0.314, 0.214, 0.094, 0.386, 0.236)


def clip(value: float, low: float, high: float) -> float:
    """``value`` limited to ``[low, high]`` (as ``numpy.clip``)."""
    return min(max(value, low), high)


def band(egfr: float) -> int:
    """Band 0 (60 or more) to 4 (below 15) of an eGFR."""
    return sum(egfr < edge for edge in EDGES)


def band_ratio(p: dict, prefix: str, egfr: float) -> float:
    """Hazard ratio of an eGFR's band (1 for 60 or more)."""
    b = band(egfr)
    return 1.0 if b == 0 else p[f"{prefix}.egfr_{BANDS[b - 1]}"]


def advanced(stage: int) -> bool:
    """True for CKD stage 3b or worse (not remitted)."""
    return stage >= codes.STAGE_3B and stage != codes.REMITTED


def limitation(p: dict, age: float, egfr: float, diabetes: bool, comorbidity: float, noise: float):
    """Functional limitation L in [0, 0.95]."""
    raw = (
        p["work.limitation_per_year"] * max(age - p["work.limitation_onset_age"], 0.0)
        + p["work.limitation_egfr"] * max(60.0 - egfr, 0.0) / 10.0
        + p["work.limitation_diabetes"] * diabetes
        + p["work.limitation_comorbidity"] * comorbidity
        + noise
    )
    return clip(raw, 0.0, 0.95)


def needs(p: dict, stage: int, uncontrolled: bool, limit: float, lonely: float, feedback: bool):
    """Illness, everyday and emotional work needed, hours/week."""
    illness = p["work.illness_hours"] * (p["work.rel_illness_stage_3b"] if advanced(stage) else 1.0)
    if feedback:
        illness = illness + p["work.illness_hours_poor_control"] * uncontrolled
    everyday = p["work.everyday_hours_max"] * limit
    emotional = p["work.emotional_hours"] * (1.0 + clip(lonely, 0.0, 1.0))
    return [illness, everyday, emotional]


def typical_need(p: dict) -> list[float]:
    """Need of a typical patient: age 72, eGFR 52.5, no diabetes, mean comorbidity, 3a ..."""
    limit = limitation(p, 72.0, 52.5, False, p["comorbidity.mean"], 0.0)
    return needs(p, codes.STAGE_3A, False, limit, 0.5, True)


class ClinicalRules:
    """Work, balance, health and outcomes of one patient (mixin of ``RefPatient``)."""

    # 1. work and capacity
    def work(self) -> None:
        """Limitation, needs, treatment work and own capacity."""
        p, feedback = self.model.p, self.model.on("workload_feedback")
        self.limitation = limitation(
            p, self.age, self.egfr, self.diabetes, self.comorbidity, self.limitation_noise
        )
        need = needs(
            p, self.stage, self.sbp >= self.target, self.limitation, self.loneliness, feedback
        )
        self.need = [n * self.alive for n in need]
        taken = self.medicines * self.persisting if feedback else self.medicines_base
        conditions = float(self.hypertension) + self.diabetes
        self.treatment_work = (
            p["work.treatment_hours"]
            + p["work.treatment_hours_per_condition"] * conditions
            + p["work.treatment_hours_per_medicine"] * taken
        )
        self.capacity_own = (
            p["work.capacity_hours"]
            * (1.0 - self.limitation)
            * self.mental
            * self.literacy
            * self.finances
        )

    # 5. balance
    def balance(self) -> None:
        """Capacity, imbalance, self-efficacy, self-management and mental capacity."""
        p = self.model.p
        received = self.received[0] + self.received[1] + self.received[2]
        self.capacity = (
            self.capacity_own + (1.0 + p["collective.rel_support"] * self.collective) * received
        )
        workload = self.treatment_work + (self.need[0] + self.need[1] + self.need[2])
        self.imbalance = max(workload / max(self.capacity, 1e-6) - 1.0, 0.0) * self.alive
        group_strength = 0.0
        for _, tie in self.ties():
            if tie["tie_type"] == codes.GROUP_TIE:
                group_strength += tie["strength"] * tie["active"]
        self.taking_part = 1.0 - math.exp(-group_strength)
        w_c = p["balance.self_efficacy_collective"]
        w_k = p["balance.self_efficacy_knowledge"]
        w_p = p["balance.self_efficacy_participation"]
        knowledge = 0.5 * (self.knowledge_clinical + self.knowledge_lay)
        se_target = (
            (1.0 - w_c - w_k - w_p) * self.self_efficacy_base
            + w_c * self.collective
            + w_k * knowledge
            + w_p * self.taking_part
        )
        self.self_efficacy += p["balance.rate_self_efficacy"] * (se_target - self.self_efficacy)
        raw = (
            p["balance.self_management_base"]
            + p["balance.self_management_knowledge"] * knowledge
            + p["balance.self_management_efficacy"] * self.self_efficacy
        )
        target = clip(raw, 0.0, 1.0) / (1.0 + p["balance.k_imbalance"] * self.imbalance)
        rate = p["balance.rate_self_management"]
        self.self_management = self.self_management + rate * (target - self.self_management)
        if self.model.on("workload_feedback"):
            erosion = p["balance.rate_capacity_erosion"] * min(self.imbalance, 1.0) * self.mental
            recovery = p["balance.rate_capacity_recovery"] * (self.mental_base - self.mental)
            self.mental = clip(self.mental - erosion + recovery, 0.05, 1.0)

    # 6. health
    def health(self) -> None:
        """eGFR decline, stopping medicines, BP, review, death and ageing."""
        p, u, i, running = self.model.p, self.model.draws, self.node, self.model.recruited
        if running and self.alive:
            slope = self.egfr_slope
            if slope > 0:
                slope *= p["kidney.rel_slope_proteinuria"] if self.proteinuria else 1.0
                slope *= p["kidney.rel_slope_diabetes"] if self.diabetes else 1.0
                slope *= p["kidney.rel_slope_uncontrolled"] if self.sbp >= self.target else 1.0
            self.egfr = max(self.egfr - slope / 52.0, 0.0)
        hazard = p["medicines.stop_rate"] * math.exp(
            -p["medicines.stop_self_management"] * (self.self_management - 0.5)
        )
        hazard *= 1.0 + p["medicines.stop_imbalance"] * min(self.imbalance, 1.0)
        if self.medicines > 0 and u.uniform("stop", i) < 1.0 - math.exp(-hazard):
            self.persisting = False
        self.adherence = clip(
            p["medicines.adherence_base"]
            + p["medicines.adherence_self_management"] * self.self_management,
            0.0,
            1.0,
        )
        self.sbp_untreated = (
            self.sbp_base
            + p["health.sbp_age_slope"] * max(self.age - 70.0, 0.0) * self.hypertension
            + p["health.sbp_egfr_slope"] * max(60.0 - self.egfr, 0.0)
        )
        taken = self.medicines * self.persisting * self.adherence
        level = max(
            self.sbp_untreated
            - p["health.medicine_effect"] * taken
            - p["health.self_care_effect"] * self.self_management,
            p["health.sbp_min"],
        )
        self.sbp = self.sbp + p["health.rate_sbp"] * (level - self.sbp)
        self._review()
        if running:
            hazard = p["history.death_rate_72"] * math.exp(
                p["history.death_age_gradient"] * (self.age - 72.9)
            )
            hazard *= band_ratio(p, "history.death_hr", self.egfr)
            dies = self.alive and u.uniform("death", i) < 1.0 - math.exp(-hazard / WEEKS_PER_YEAR)
            self.alive = self.alive and not dies
            self.age = self.age + self.alive / WEEKS_PER_YEAR

    def _review(self) -> None:
        p, u, i, model = self.model.p, self.model.draws, self.node, self.model
        due = (i + model.clock) % p["health.review_interval"] == 0 and self.alive
        if model.recruited and not p["health.reviews_after_recruitment"]:
            due = False
        self.reviewed = due
        if not due:
            return
        reading = self.sbp + p["health.measurement_sd"] * u.normal("reading", i)
        self.sbp_reading, self.controlled = reading, reading < self.target
        if model.recruited:
            self.egfr_reading = self.egfr * math.exp(
                p["kidney.egfr_cv"] * u.normal("egfr_reading", i)
            )
            self.stage = STAGE_OF_BAND[band(self.egfr_reading)]
        if not self.persisting:
            self.persisting = u.uniform("restart", i) < p["medicines.p_restart"]
        elif (
            self.hypertension
            and reading >= self.target
            and u.uniform("intensify", i) < p["health.p_intensify"]
            and self.medicines < p["health.max_medicines"]
        ):
            self.medicines += 1.0

    # 7. outcomes
    def outcomes(self) -> None:
        """Loneliness, EQ-5D by dimension, heiQ, treatment burden, services and QALYs."""
        p, alive = self.model.p, self.alive
        contact = 0.0
        for _, tie in self.ties():
            if tie["tie_type"] != codes.PET:
                contact += tie["contact"] * tie["active"]
        need, received = self.need, self.received
        met = received[2] / need[2] if need[2] > 0 else 1.0
        lonely = (
            self.loneliness_base
            - p["outcomes.loneliness_emotional"] * met
            - p["outcomes.loneliness_contact"]
            * (1.0 - math.exp(-contact / p["outcomes.contact_scale"]))
        )
        self.loneliness = clip(lonely, 0.0, 1.0)
        unmet = [max(n - r, 0.0) for n, r in zip(need, received, strict=True)]
        everyday = unmet[1] / need[1] if need[1] > 0 else 0.0
        if alive:
            for d, target in enumerate(self._eq5d_targets(everyday)):
                self.eq5d_latent[d] += p["eq5d.rate"] * (target - self.eq5d_latent[d])
        self.eq5d_level = [
            1 + (y > 0.0) + (y > p[f"eq5d.severe.{name}"])
            for y, name in zip(self.eq5d_latent, DIMENSIONS, strict=True)
        ]
        self.utility = self._value_set() if alive else 0.0
        self.heiq = self._heiq()
        ratio = (self.treatment_work + unmet[0]) / max(self.capacity_own, 1e-6)
        self.tbq = 150.0 * (1.0 - math.exp(-p["work.tbq_scale"] * ratio))
        self._use_services(unmet[0])

    def _eq5d_targets(self, everyday_unmet: float) -> list[float]:
        p, z = self.model.p, min(self.imbalance, 1.0)
        base = [
            p[f"eq5d.intercept.{d}"] + p[f"eq5d.sd.{d}"] * e
            for d, e in zip(DIMENSIONS, self.eq5d_effect, strict=True)
        ]
        limit = self.limitation
        return [
            base[0] + p["eq5d.limitation_mobility"] * limit,
            base[1] + p["eq5d.limitation_self_care"] * limit,
            base[2]
            + (
                p["eq5d.limitation_usual_activities"] * limit
                + p["eq5d.unmet_usual_activities"] * everyday_unmet
                + p["eq5d.imbalance_usual_activities"] * z
                - p["eq5d.participation_usual_activities"] * self.taking_part
            ),
            base[3]
            + (p["eq5d.comorbidity_pain"] * self.comorbidity + p["eq5d.limitation_pain"] * limit),
            base[4]
            + (
                p["eq5d.loneliness_anxiety"] * self.loneliness
                + p["eq5d.imbalance_anxiety"] * z
                - p["eq5d.self_efficacy_anxiety"] * (self.self_efficacy - 0.5)
                - p["eq5d.participation_anxiety"] * self.taking_part
            ),
        ]

    def _value_set(self) -> float:
        """UK EQ-5D-3L utility of the patient's five levels (Dolan 1997)."""
        decrement = 0.0
        for level, two, three in zip(self.eq5d_level, LEVEL2, LEVEL3, strict=True):
            decrement += 0.0 if level == 1 else (two if level == 2 else three)
        any_problem = any(level > 1 for level in self.eq5d_level)
        extreme = any(level == 3 for level in self.eq5d_level)
        return 1.0 - 0.081 * any_problem - decrement - 0.269 * extreme

    def _heiq(self) -> float:
        p = self.model.p
        score = (
            p["outcomes.heiq_base"]
            + self.heiq_offset
            + p["outcomes.heiq_self_efficacy"] * self.self_efficacy
            + p["outcomes.heiq_participation"] * self.taking_part
            + p["outcomes.heiq_collective"] * self.collective
            - p["outcomes.heiq_imbalance"] * min(self.imbalance, 1.0)
        )
        return clip(score, 1.0, 4.0)

    def _use_services(self, unmet_illness: float) -> None:
        p, alive = self.model.p, self.alive
        professional = self.received_professional
        base = p["services.contacts_base"]
        contacts = (
            base
            * (1.0 + p["services.contacts_comorbidity"] * self.comorbidity)
            * (1.0 + p["services.contacts_diabetes"] * self.diabetes)
            + p["services.contacts_review"] * self.reviewed
            + p["services.contacts_uncontrolled"] * (not self.controlled)
            + p["services.contacts_per_unmet_hour"] * unmet_illness
            - p["services.contacts_substituted_per_hour"] * (self.received[0] - professional[0])
            + (professional[0] + professional[1] + professional[2])
            / p["services.hours_per_contact"]
        )
        self.contacts = alive * max(contacts, 0.1 * base)
        hazard = (
            p["services.admission_rate"]
            * band_ratio(p, "services.admission_hr", self.egfr)
            * p["services.admission_hr_age"] ** ((self.age - 72.0) / 10.0)
            * (p["services.admission_hr_diabetes"] if self.diabetes else 1.0)
            * (p["services.admission_hr_uncontrolled"] if self.sbp >= self.target else 1.0)
            * (1.0 + p["services.admission_self_management"] * (1.0 - self.self_management))
            * (1.0 + p["services.admission_imbalance"] * min(self.imbalance, 2.0))
        )
        admitted = alive and self.model.draws.uniform("admission", self.node) < 1.0 - math.exp(
            -hazard / 52.0
        )
        self.admissions += admitted
        self.cost_contacts += p["services.cost_contact"] * self.contacts
        self.cost_medicines += p["services.cost_medicine"] * (
            self.medicines * self.persisting * alive
        )
        self.cost_admissions += p["services.cost_admission"] * admitted
        self.cost = self.cost_contacts + self.cost_medicines + self.cost_admissions
        self.qaly = self.qaly + self.utility * alive / WEEKS_PER_YEAR
