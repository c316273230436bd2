"""What a run is told: scenario files, the parameter registry and its declarations, the ODD.

:mod:`sim.config.scenario` reads and checks scenario files against the registry
(:mod:`sim.config.parameters`), which gathers the declarations of ``*_params.py`` (one module per
section, on :mod:`sim.config.param_spec`); :mod:`sim.config.odd` renders the registry as the ODD's
parameter table and :mod:`sim.config.equations` copies each mechanism's equations into the ODD.
:mod:`.shipped` finds the scenario, comparison, ensemble, sweep and calibration files shipped
inside the package (``sim.scenarios``, the repository's top-level ``scenarios/`` folder), so that
a shipped file can be named without a path (``sim trial bright``).
"""
