"""The app's sidebar: Reset, Play and Step, the lesson's scenes, and the model's controls.

Every control shows its value and unit at all times. Ticks and sliders set scenario keys, which
take effect when both arms are rebuilt: while a changed control waits, the sidebar says "Press
Reset to apply" and lists the changes, and after Reset it lists what Reset changed. Mesa's
play-speed settings sit folded under "Advanced".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import solara

from sim.app.lessons import SCENES, Scene
from sim.app.params import shown

#: Text size of the sidebar, CSS pixels.
SIDEBAR_TEXT = {"font-size": "16px", "line-height": "1.3"}
#: Buttons in sentence case at the sidebar's text size (Vuetify's are 14 px capitals).
BUTTON_TEXT = {"text-transform": "none", "letter-spacing": "normal", "font-size": "16px"}


@solara.component
def RunButtonsView(
    on_reset: Callable[[], None],
    on_step: Callable[[], None],
    playing: solara.Reactive[bool],
    running: bool,
) -> None:
    """Reset, Play/Pause and Step."""
    with solara.Row(style={"gap": "6px", "flex-wrap": "wrap"}):
        solara.Button("Reset", color="primary", on_click=on_reset, style=BUTTON_TEXT)
        solara.Button(
            "Pause" if playing.value else "Play",
            color="primary",
            on_click=lambda: playing.set(not playing.value),
            disabled=not running,
            style=BUTTON_TEXT,
        )
        solara.Button(
            "Step",
            color="primary",
            on_click=on_step,
            disabled=playing.value or not running,
            style=BUTTON_TEXT,
        )


@solara.component
def ChangeNotesView(pending: list[str], note: str) -> None:
    """What a Reset would apply (if anything waits), else what the last Reset or scene did."""
    if pending:
        text = "Press Reset to apply: " + "; ".join(pending)
        solara.Warning(text, dense=True, classes=["sim-pending"])
    elif note:
        solara.Info(note, dense=True, classes=["sim-applied"])


@solara.component
def LessonsView(on_scene: Callable[[Scene], None]) -> None:
    """A button per guided scene of the teaching guide."""
    solara.HTML(tag="div", unsafe_innerHTML="<b>Lesson scenes</b>", style="font-size: 17px")
    for scene in SCENES:
        solara.Button(
            scene.title,
            on_click=lambda scene=scene: on_scene(scene),
            outlined=True,
            style={
                **BUTTON_TEXT,
                "justify-content": "flex-start",
                "white-space": "normal",
                "height": "auto",
                "min-height": "36px",
                "padding": "4px 10px",
            },
        )


@solara.component
def ControlView(key: str, spec: Mapping[str, Any], values: solara.Reactive[dict[str, Any]]) -> None:
    """One control, its label and its value with unit always in view."""
    value = values.value[key]

    def set_value(new: Any) -> None:
        values.set({**values.value, key: new})

    with solara.Column(gap="0px", classes=["sim-control"]):
        if spec["type"] == "Checkbox":
            solara.Checkbox(label=spec["label"], value=value, on_value=set_value)
            return
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"{spec['label']}: <b>{shown(spec, value)}</b>",
            classes=["sim-value"],
        )
        slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
        slider(
            label="",
            value=value,
            min=spec["min"],
            max=spec["max"],
            step=spec["step"],
            on_value=set_value,
            thumb_label=False,
        )


@solara.component
def AdvancedView(pause_ms: solara.Reactive[int], weeks_per_draw: solara.Reactive[int]) -> None:
    """Mesa's play settings, folded away: the pause between weeks and weeks per redraw."""
    with solara.Details("Advanced: play speed"):
        for label, value, low, high, step, unit in (
            ("Pause between weeks", pause_ms, 0, 1000, 50, " ms"),
            ("Weeks per redraw", weeks_per_draw, 1, 8, 1, ""),
        ):
            with solara.Column(gap="0px", classes=["sim-control"]):
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"{label}: <b>{value.value}{unit}</b>",
                    classes=["sim-value"],
                )
                solara.SliderInt("", value=value, min=low, max=high, step=step, thumb_label=False)


def sections(params: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """The controls grouped under headings: intervention, mechanisms, chance."""
    out: dict[str, list[str]] = {"Intervention arm": [], "Both arms": [], "Chance": []}
    for key in params:
        heading = (
            "Intervention arm"
            if key.startswith("interventions.")
            else "Chance"
            if key == "seed"
            else "Both arms"
        )
        out[heading].append(key)
    return out
