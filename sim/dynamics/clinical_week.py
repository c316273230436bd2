"""The clinical mechanisms of a week: work, balance, health and outcomes.

Steps 1, 5, 6 and 7 of :mod:`sim.dynamics.step`, as a mixin of
:class:`sim.dynamics.step.WeeklyDynamics`: each method runs one compiled parallel pass over the
per-patient arrays of ``self.state.patients`` (``advance`` of the mechanism's module). While
the warm-up runs (``self.recruited`` is False) the clinical clock is held: no eGFR decline or
readings, no death and no ageing.
"""

from __future__ import annotations

import numpy as np

from sim.dynamics import (
    balance,
    draws,
    eq5d,
    health,
    kidney,
    outcomes,
    services,
    workload,
)


class ClinicalWeek:
    """Work and capacity, balance, health and outcomes (a mixin)."""

    # -- 1. work and capacity ------------------------------------------------------------------
    def work(self) -> None:
        """Functional limitation, needs, treatment work and own capacity."""
        p, pt, pop = self.p, self.state.patients, self.population.patients
        feedback = self.on("workload_feedback")
        pt.limitation, pt.need, pt.treatment_work, pt.capacity_own = workload.advance(
            age=pt.age,
            egfr=pt.egfr,
            diabetes=pop.diabetes,
            hypertension=pop.hypertension,
            comorbidity=pt.comorbidity,
            noise=pt.limitation_noise,
            stage=pt.stage,
            sbp=pt.sbp,
            target=self.targets,
            loneliness=pt.loneliness,
            alive=pt.alive,
            medicines=pt.medicines,
            persisting=pt.persisting,
            medicines_base=pt.medicines_base,
            mental=pt.mental,
            education=pop.education,
            deprived=self.deprived,
            feedback=feedback,
            limitation_parameters=self.work_parameters[0],
            need_parameters=self.work_parameters[1],
            treatment_parameters=self.work_parameters[2],
            capacity_hours=float(p["work.capacity_hours"]),
            literacy=self.work_parameters[3],
            rel_deprived=float(p["work.rel_capacity_deprived"]),
        )

    # -- 5. balance ----------------------------------------------------------------------------
    def balance(self) -> None:
        """Capacity, imbalance, self-efficacy, self-management and mental capacity."""
        p, pt = self.p, self.state.patients
        w_c, w_k, w_p = balance.self_efficacy_weights(p)
        feedback = self.on("workload_feedback")
        new = balance.advance(
            capacity_own=pt.capacity_own,
            received=pt.received,
            collective=pt.collective,
            treatment=pt.treatment_work,
            need=pt.need,
            alive=pt.alive,
            self_efficacy_base=pt.self_efficacy_base,
            knowledge_clinical=pt.knowledge_clinical,
            knowledge_lay=pt.knowledge_lay,
            group_strength=self.group_strength,
            self_efficacy=pt.self_efficacy,
            self_management=pt.self_management,
            mental=pt.mental,
            mental_base=pt.mental_base,
            rel_support=p["collective.rel_support"],
            w_c=w_c,
            w_k=w_k,
            w_p=w_p,
            rate_self_efficacy=p["balance.rate_self_efficacy"],
            sm_base=p["balance.self_management_base"],
            sm_knowledge=p["balance.self_management_knowledge"],
            sm_efficacy=p["balance.self_management_efficacy"],
            k_imbalance=p["balance.k_imbalance"],
            rate_self_management=p["balance.rate_self_management"],
            feedback=feedback,
            rate_erosion=p["balance.rate_capacity_erosion"],
            rate_recovery=p["balance.rate_capacity_recovery"],
        )
        pt.capacity, pt.imbalance, pt.self_efficacy, pt.self_management = new[:4]
        if feedback:
            pt.mental = new[4]
        self.taking_part = new[5]

    # -- 6. health -----------------------------------------------------------------------------
    def health(self) -> None:
        """EGFR decline, medicine-taking, BP, reviews, death and ageing."""
        p, pt, pop = self.p, self.state.patients, self.population.patients
        n = len(pt.alive)
        u_stop, u_death = self.uniforms(draws.STOP, n), self.uniforms(draws.DEATH, n)
        death_rate_72 = float(p["history.death_rate_72"])
        death_gradient = float(p["history.death_age_gradient"])
        new = health.advance(
            recruited=self.recruited,
            alive=pt.alive,
            egfr=pt.egfr,
            slope=pt.egfr_slope,
            factor_controlled=self.slope_factors[0],
            factor_uncontrolled=self.slope_factors[1],
            sbp=pt.sbp,
            target=self.targets,
            persisting=pt.persisting,
            medicines_=pt.medicines,
            u_stop=u_stop,
            imbalance=pt.imbalance,
            self_management=pt.self_management,
            u_death=u_death,
            sbp_base=pt.sbp_base,
            age=pt.age,
            hypertension=pop.hypertension,
            adherence_base=float(p["medicines.adherence_base"]),
            adherence_weight=float(p["medicines.adherence_self_management"]),
            sbp_parameters=self.sbp_parameters,
            stopping_parameters=self.stopping_parameters,
            death_ratios=self.death_ratios,
            death_rate_72=death_rate_72,
            death_gradient=death_gradient,
        )
        pt.persisting, pt.adherence, pt.sbp_untreated, pt.sbp = new[2:6]
        if self.recruited:  # the clinical clock runs: eGFR declines
            pt.egfr, self.band = new[0], new[1]
        self._review()
        if self.recruited:  # death and ageing, after the reviews
            pt.alive, pt.age = new[6], new[7]

    def _review(self) -> None:
        """Usual-care reviews this week: readings, restarts and intensification.

        Only the patients due (a few percent each week) are computed, with their own random
        numbers (counter-based: the numbers of the others are never needed).
        """
        p, pt, pop = self.p, self.state.patients, self.population.patients
        who = self.reviews_due_of()
        who = np.asarray(who[pt.alive[who]], np.uint64)
        pt.reviewed = np.zeros(len(pt.alive), bool)
        egfr_reading = np.zeros(0)
        if self.recruited:  # the clinical clock runs: eGFR readings and the measured stage
            z = self.normals_at(draws.EGFR_READING, who)
            egfr_reading = kidney.reading(pt.egfr[who], p["kidney.egfr_cv"], z)
        health.apply_reviews(
            who=who,
            sbp=pt.sbp,
            target=self.targets,
            noise=self.normals_at(draws.READING, who),
            measurement_sd=float(p["health.measurement_sd"]),
            hypertension=pop.hypertension,
            u_restart=self.uniforms_at(draws.RESTART, who),
            u_intensify=self.uniforms_at(draws.INTENSIFY, who),
            review_parameters=(
                float(p["medicines.p_restart"]),
                float(p["health.p_intensify"]),
                float(p["health.max_medicines"]),
            ),
            egfr_reading=egfr_reading,
            reviewed=pt.reviewed,
            sbp_reading=pt.sbp_reading,
            controlled=pt.controlled,
            medicines_=pt.medicines,
            persisting=pt.persisting,
            egfr_reading_out=pt.egfr_reading,
            stage=pt.stage,
        )

    # -- 7. outcomes ---------------------------------------------------------------------------
    def outcomes(self) -> None:
        """Loneliness, EQ-5D by dimension, heiQ, treatment burden, service use and costs."""
        p, pt = self.p, self.state.patients
        alive, need = pt.alive, pt.need
        pt.loneliness, everyday_unmet = outcomes.loneliness_and_unmet(
            base=pt.loneliness_base,
            need=need,
            received=pt.received,
            contacts_per_week=self.social_contact,
            contact_scale=float(p["outcomes.contact_scale"]),
            w_emotional=float(p["outcomes.loneliness_emotional"]),
            w_contact=float(p["outcomes.loneliness_contact"]),
        )
        eq5d.advance(
            latent=pt.eq5d_latent,
            intercept=self.eq5d_intercept,
            sd=self.eq5d_sd,
            w=self.eq5d_weights,
            effects=pt.eq5d_effect,
            limitation=pt.limitation,
            unmet_everyday=everyday_unmet,
            imbalance=pt.imbalance,
            participation=self.taking_part,
            comorbidity=pt.comorbidity,
            loneliness=pt.loneliness,
            self_efficacy=pt.self_efficacy,
            rate=p["eq5d.rate"],
            alive=alive,
            severe=self.severe,
            level=pt.eq5d_level,
            value=pt.utility,
        )
        new = services.advance(
            alive=alive,
            need=need,
            received=pt.received,
            received_professional=pt.received_professional,
            heiq_offset=pt.heiq_offset,
            self_efficacy=pt.self_efficacy,
            participation_=self.taking_part,
            collective=pt.collective,
            imbalance=pt.imbalance,
            treatment=pt.treatment_work,
            capacity_own=pt.capacity_own,
            comorbidity=pt.comorbidity,
            diabetes=self.population.patients.diabetes,
            reviewed=pt.reviewed,
            controlled=pt.controlled,
            band=self.band,
            age=pt.age,
            sbp=pt.sbp,
            target=self.targets,
            self_management=pt.self_management,
            u_admit=self.uniforms(draws.ADMISSION, len(alive)),
            medicines=pt.medicines,
            persisting=pt.persisting,
            utility=pt.utility,
            admissions=pt.admissions,
            cost_contacts=pt.cost_contacts,
            cost_medicines=pt.cost_medicines,
            cost_admissions=pt.cost_admissions,
            qaly=pt.qaly,
            **self.service_parameters,
        )
        pt.heiq, pt.tbq, pt.contacts, pt.admissions = new[:4]
        pt.cost_contacts, pt.cost_medicines, pt.cost_admissions, pt.cost, pt.qaly = new[4:]
