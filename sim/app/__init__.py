"""The teaching app: usual care and an intervention side by side, for a classroom projector.

Modules, imports running one way: :mod:`.teaching_model` (the two-arm Mesa model, with its weekly
record) and :mod:`.recruitment` (what week 0 gave and changed); :mod:`.params` (the controls);
:mod:`.events` and :mod:`.lessons` (the guided scenes); :mod:`.communities` and :mod:`.trends`
(the charts' data), :mod:`.chart_style`, :mod:`.map_chart` and :mod:`.trend_chart` (their Vega-Lite
specifications), :mod:`.charts` (the browser view, ``vega_view.vue``); :mod:`.session` (one
browser session's state and actions), :mod:`.controls` (the sidebar), :mod:`.views` (the main
area), :mod:`.app` (the page); :mod:`.server`, :mod:`.assets` and :mod:`.cli` (``sim app``). A
class guide is in ``docs/teaching_guide.md``.
"""
