"""What a run is told: scenario files, the parameter registry and its declarations, the ODD table.

:mod:`sim.config.scenario` reads and checks scenario files against the registry
(:mod:`sim.config.parameters`), which gathers the declarations of ``*_params.py`` (one module per
section, on :mod:`sim.config.param_spec`); :mod:`sim.config.odd` renders the registry as the ODD's
parameter table.
"""
