"""The network mechanisms of a week: knowledge, collective efficacy, resources, navigation.

Steps 2 and 3 (knowledge and collective efficacy, in one pass over the ties), 4 (resources), 8
(navigation) and 9 (negotiation) of :mod:`sim.dynamics.step`, as a mixin of
:class:`sim.dynamics.step.WeeklyDynamics`: each method reads and writes the arrays of ``self.state``
through the compiled kernels of the mechanism modules.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.dynamics import draws, exposure, navigation, negotiation, support
from sim.dynamics.baseline import group_fit
from sim.dynamics.segments import first_free_of, unsigned
from sim.dynamics.ties import end_slots, fill_group_slots

#: What mediation gets for the work given per slot when it is not kept (never written).
_NO_GIVEN = np.zeros((0, 3))


class NetworkWeek:
    """Knowledge, resources, collective efficacy, navigation and negotiation (a mixin)."""

    # -- 2 and 3. knowledge and collective efficacy -------------------------------------------
    def pass_over_ties(self) -> None:
        """Knowledge learnt and forgotten; collective efficacy built and faded; contact sums.

        One pass over the ties (:func:`exposure.exposure_blocks`), which also adds up each
        patient's brokerage (for navigation; 0 with resource mediation off), contact with people
        (for loneliness) and strength of group ties (for participation).
        """
        p, d = self.p, self.state
        pt, s = d.patients, d.slots
        brokerage = np.empty_like(pt.brokerage)
        pt.knowledge_clinical, pt.knowledge_lay, pt.collective = exposure.exposure_blocks(
            starts=self.blocks.lo,
            ends=self.occupied,
            contact=s.contact,
            strength=s.strength,
            clinical_source=self.clinical_source,
            tie_type=unsigned(s.tie_type),
            lay_source=s.lay_source,
            is_group=self.masks.group,
            quality=s.quality,
            active=s.active,
            clinical=pt.knowledge_clinical,
            lay=pt.knowledge_lay,
            rate_learning=self.learning_rate,
            rate_fading=p["knowledge.rate_fading"],
            half_exposure=p["knowledge.half_exposure"],
            sharing=self.on("knowledge_sharing"),
            ce=pt.collective,
            cohesion=pt.cohesion,
            weight_group=p["collective.weight_group"],
            rate_build=p["collective.rate_build"],
            rate_fade=p["collective.rate_fade"],
            half_engagement=p["collective.half_engagement"],
            building=self.on("collective_efficacy"),
            broker=s.broker,
            social=self.masks.social,
            introducing=self.on("resource_mediation"),
            group_strength=self.group_strength,
            brokerage=brokerage,
            social_contact=self.social_contact,
        )
        pt.brokerage = brokerage

    # -- 4. resources --------------------------------------------------------------------------
    def mediate(self) -> None:
        """Help is mobilised by rising need; members offer and give work; strain."""
        p, d = self.p, self.state
        pt, s, m = d.patients, d.slots, d.members
        on = self.on("resource_mediation")
        mobilisation, need_previous = (
            np.empty_like(pt.mobilisation),
            np.empty_like(pt.need_previous),
        )
        support.mediate_blocks(
            starts=self.blocks.lo,
            ends=self.blocks.hi if self.given is not None else self.occupied,
            offer_by_kind=self.offer_by_kind,
            circle=unsigned(s.circle),
            proximity=unsigned(s.proximity),
            alter=unsigned(s.alter),
            share=s.share,
            weak=s.weak,
            quality=s.quality,
            professional=self.masks.professional,
            active=s.active,
            strain=m.strain,
            capacity=m.capacity,
            shared=self.shared,
            heiq=pt.heiq,
            reluctance=pt.reluctance,
            need=pt.need,
            need_ref=self.need_ref,
            mobilisation=pt.mobilisation,
            need_previous=pt.need_previous,
            mobilisation_out=mobilisation,
            need_previous_out=need_previous,
            mobilisation_decay=float(p["support.mobilisation_decay"]),
            elasticity=float(p["support.need_elasticity"]),
            weight_mobilisation=float(p["support.mobilisation"]),
            tie_type=unsigned(s.tie_type),
            reciprocity_floor=p["support.reciprocity_floor"],
            offering=on,
            given=self.given if self.given is not None else _NO_GIVEN,
            keep_given=self.given is not None,
            received=pt.received,
            received_professional=pt.received_professional,
            load=m.load,
            given_by_type=self.given_by_type,
            slot_scratch=self.slot_scratch,
            work_scratch=self.work_scratch,
            one_thread=numba.get_num_threads() == 1,
        )
        pt.mobilisation, pt.need_previous = mobilisation, need_previous
        support.update_strain_in_place(
            m.strain, m.load, m.capacity, p["support.rate_strain"], p["support.rate_recovery"]
        )

    # -- 8. navigation -------------------------------------------------------------------------
    def navigate(self) -> None:
        """Join new groups, strengthen group ties, let ill-fitting ties lapse."""
        p, d = self.p, self.state
        pt, s = d.patients, d.slots
        pt.awareness, guidance, joins = navigation.joining(
            alive=pt.alive,
            awareness=pt.awareness,
            awareness_base=pt.awareness_base,
            self_efficacy=pt.self_efficacy,
            knowledge_lay=pt.knowledge_lay,
            brokerage=pt.brokerage,
            guidance=pt.guidance,
            imbalance=pt.imbalance,
            join_key=self.week_keys[draws.JOIN],
            navigating=self.on("navigation"),
            rate_awareness_return=float(p["navigation.rate_awareness_return"]),
            rate_guidance_decay=float(p["navigation.rate_guidance_decay"]),
            parameters=self.join_parameters,
        )
        lapsed = navigation.strengthen_and_lapse(
            starts=self.blocks.lo,
            ends=self.occupied,
            ego=unsigned(s.ego),
            is_group=self.masks.group,
            fit=s.fit,
            strength=s.strength,
            collective=pt.collective,
            imbalance=pt.imbalance,
            lapse_key=self.week_keys[draws.LAPSE],
            rate_strength=p["navigation.rate_strength"],
            p_lapse=p["navigation.p_lapse"],
            fit_offset=p["navigation.lapse_fit_offset"],
            collective_weight=p["navigation.lapse_collective_weight"],
            p_stop=p["navigation.p_stop_overload"],
            slot_scratch=self.slot_scratch,
        )
        end_slots(s, self.masks, lapsed, self.sentinel)
        if self.on("navigation"):
            joiners = np.flatnonzero(joins)
            u_cat = self.uniforms_at(draws.CATEGORY, joiners)
            self._join(joiners, u_cat, self.uniforms_at(draws.PICK, joiners))
        pt.guidance = guidance

    def start_participation(self, patients: np.ndarray, rng: np.random.Generator) -> None:
        """Have ``patients`` join one group each, chosen as navigation chooses (an experiment).

        Used to measure the effect of starting to take part (dossier target T7,
        :mod:`sim.calibration.participation`); interventions never call it (they act only on
        mechanism inputs). Draws come from ``rng``, not the model's streams, so a model that
        starts participation and one that does not share every other random number.
        """
        patients = np.asarray(patients, dtype=np.int64)
        self._join(patients, rng.random(len(patients)), rng.random(len(patients)))

    def _join(self, joiners: np.ndarray, u_cat: np.ndarray, u_pick: np.ndarray) -> None:
        d, pop = self.state, self.population.patients
        s, pt = d.slots, d.patients
        if not len(joiners):
            return
        groups = navigation.choose_groups(
            self.groups,
            pop.locality[joiners],
            pop.preferences[joiners],
            pt.match[joiners],
            self.p["navigation.preference_weight"],
            u_cat,
            u_pick,
        )
        slot = first_free_of(s.active, self.blocks.lo, self.blocks.hi, joiners)
        ok = (groups >= 0) & (slot >= 0)
        ok[ok] = ~navigation.joined_already(
            s.alter, s.active, self.blocks.lo, self.blocks.hi, joiners[ok], groups[ok]
        )
        joiners, groups, slot = joiners[ok], groups[ok], slot[ok]
        # a patient listed twice gets the same free slot both times, so plain indexing is enough
        self.occupied[joiners] = np.maximum(self.occupied[joiners], (slot + 1).astype(np.uint64))
        fill_group_slots(
            s,
            self.masks,
            slot,
            groups,
            group_fit(self.population, joiners, groups),
            self.new_group_tie,
            self.support_group,
            d.members.broker,
        )
        pt.joined[joiners] += 1

    # -- 9. negotiation ------------------------------------------------------------------------
    def negotiate(self) -> None:
        """Re-negotiate who does what with strained members or when need goes unmet."""
        p, d = self.p, self.state
        pt, s, m = d.patients, d.slots, d.members
        u_attempt = self.uniforms(draws.ATTEMPT, len(pt.alive))
        on = self.on("negotiation")
        attempted, ended = negotiation.negotiate_blocks(
            starts=self.blocks.lo,
            ends=self.occupied,
            personal=self.masks.personal,
            active=s.active,
            alter=unsigned(s.alter),
            share=s.share,
            quality=s.quality,
            strain=m.strain,
            relief_scratch=self._relief,
            need=pt.need,
            received=pt.received,
            alive=pt.alive,
            skill=pt.skill,
            u_attempt=u_attempt,
            ask_key=self.week_keys[draws.ASK],
            success_key=self.week_keys[draws.SUCCESS],
            quality_initial=p["negotiation.quality_initial"],
            rate_quality_recovery=p["negotiation.rate_quality_recovery"],
            rate_share_return=p["negotiation.rate_share_return"],
            negotiating=on,
            strain_threshold=p["negotiation.strain_threshold"],
            unmet_threshold=p["negotiation.unmet_threshold"],
            p_attempt=p["negotiation.p_attempt"],
            shift=p["negotiation.shift"],
            share_max=p["negotiation.share_max"],
            quality_loss=p["negotiation.quality_loss"],
            quality_end=p["negotiation.quality_end"],
            p_end_tie=p["negotiation.p_end_tie"],
            strain_relief=p["negotiation.strain_relief"],
            slot_scratch=self.slot_scratch,
        )
        if not on:
            return
        pt.negotiations = pt.negotiations + attempted
        end_slots(s, self.masks, ended, self.sentinel)
