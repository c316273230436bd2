"""The weekly dynamics: each mechanism's rules, and compiled passes that run them over all agents.

One module per mechanism (:mod:`workload`, :mod:`knowledge`, :mod:`support`,
:mod:`collective`, :mod:`balance`, :mod:`kidney`, :mod:`medicines`, :mod:`health`,
:mod:`outcomes`, :mod:`eq5d`, :mod:`services`, :mod:`navigation`, :mod:`negotiation`) states its
equations and writes them once, as compiled rules for one patient (or one tie); :mod:`passes`
runs them over every patient in a fixed, documented order, in parallel over blocks of patients;
:mod:`step` sets a week up; :mod:`state` holds the arrays and :mod:`baseline` draws them.
"""

from sim.dynamics.kernel_cache import register

register()
