"""Who is simulated: the patient cohort, their personal communities and the arrays that hold them.

The synthetic cohort (:mod:`sim.population.cohort`) and personal communities
(:mod:`sim.population.community`), or survey files read instead (:mod:`sim.population.survey`,
:mod:`sim.population.survey_files`), fill the population arrays (:mod:`sim.population.arrays`)
whose categories are coded in :mod:`sim.population.codes`. Network types, the networkx graph and
network statistics describe a built population.
"""
