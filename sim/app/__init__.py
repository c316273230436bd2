"""The teaching app: usual care and an intervention side by side, on Mesa's SolaraViz.

Modules, imports running one way (as in Mesa's examples): :mod:`.teaching_model` (the two-arm
teaching model), :mod:`.params` (its controls), :mod:`.communities` and :mod:`.trends` (matplotlib
figures), :mod:`.views` (Solara components), :mod:`.app` (the page), :mod:`.server`, :mod:`.assets`
and :mod:`.cli` (``sim app``). A class guide is in ``docs/teaching_guide.md``.
"""
