"""The app's sidebar: Reset, Play and Step, the maps' choices, the lesson's scenes, the controls.

Every control shows its value and unit at all times. Ticks and sliders set scenario keys, which
take effect when both arms are rebuilt: while a changed control waits, the sidebar says "Press
Reset to apply" and lists the changes, and after Reset it lists what Reset changed. Mesa's
play-speed settings sit folded under "Advanced".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import solara

from sim.app.communities import PATIENT_STATES
from sim.app.lessons import SCENES
from sim.app.params import model_params, shown
from sim.app.session import MapChoice, Session

#: Text size of the sidebar, CSS pixels.
SIDEBAR_TEXT = {"font-size": "16px", "line-height": "1.3"}
#: Buttons in sentence case at the sidebar's text size (Vuetify's are 14 px capitals).
BUTTON_TEXT = {"text-transform": "none", "letter-spacing": "normal", "font-size": "16px"}
SIDEBAR_PX = 260
#: The sidebar's inner boxes take its background (Solara gives each a white one).
SIDEBAR_CSS = ".sim-sidebar .v-sheet { background: transparent !important; }"
SIDEBAR_STYLE = {
    "width": f"{SIDEBAR_PX}px",
    "min-width": f"{SIDEBAR_PX}px",
    "height": "100vh",
    "overflow-y": "auto",
    "padding": "10px 12px",
    "gap": "6px",
    "background": "#F3F5F8",
    "border-right": "1px solid #D0D4DA",
    **SIDEBAR_TEXT,
}


@solara.component
def RunButtonsView(session: Session) -> None:
    """Reset, Play/Pause and Step."""
    playing, running = session.playing.value, session.model.value.running
    with solara.Row(style={"gap": "6px", "flex-wrap": "wrap"}):
        solara.Button("Reset", color="primary", on_click=session.reset, style=BUTTON_TEXT)
        solara.Button(
            "Pause" if playing else "Play",
            color="primary",
            on_click=lambda: session.playing.set(not playing),
            disabled=not running,
            style=BUTTON_TEXT,
        )
        solara.Button(
            "Step",
            color="primary",
            on_click=session.step,
            disabled=playing or not running,
            style=BUTTON_TEXT,
        )


@solara.component
def ChangeNotesView(session: Session) -> None:
    """What a Reset would apply (if anything waits), else what the last Reset or scene did."""
    pending = session.pending()
    if pending:
        text = "Press Reset to apply: " + "; ".join(pending)
        solara.Warning(text, dense=True, classes=["sim-pending"])
    elif session.note.value:
        solara.Info(session.note.value, dense=True, classes=["sim-applied"])


@solara.component
def MapControlsView(choice: solara.Reactive[MapChoice]) -> None:
    """Choose the state the patients are coloured by, and show other patients (at once)."""
    labels = {label: key for key, (label, _, _) in PATIENT_STATES.items()}
    now = choice.value
    solara.HTML(tag="div", unsafe_innerHTML="<b>Maps</b>: colour the patients by")
    solara.v.Select(
        v_model=PATIENT_STATES[now.colour_by][0],
        items=list(labels),
        dense=True,
        hide_details=True,
        outlined=True,
        on_v_model=lambda label: choice.set(MapChoice(labels[label], now.page)),
        style_="font-size: 16px; background: white",
    )
    solara.Button(
        "Other patients",
        on_click=lambda: choice.set(MapChoice(now.colour_by, now.page + 1)),
        outlined=True,
        style=BUTTON_TEXT,
    )


@solara.component
def LessonsView(session: Session) -> None:
    """A button per guided scene of the teaching guide."""
    solara.HTML(tag="div", unsafe_innerHTML="<b>Lesson scenes</b>", style="font-size: 17px")
    for scene in SCENES:
        solara.Button(
            scene.title,
            on_click=lambda scene=scene: session.run_scene(scene),
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
def ControlView(key: str, spec: Mapping[str, Any], session: Session) -> None:
    """One control, its label and its value with unit always in view."""
    value = session.values.value[key]

    def set_value(new: Any) -> None:
        session.set_value(key, new)

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
def AdvancedView(session: Session) -> None:
    """Mesa's play settings, folded away: the pause between weeks and weeks per redraw."""
    with solara.Details("Advanced: play speed"):
        for label, value, low, high, step, unit in (
            ("Pause between weeks", session.pause_ms, 0, 1000, 50, " ms"),
            ("Weeks per redraw", session.weeks_per_draw, 1, 8, 1, ""),
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


@solara.component
def SidebarView(session: Session, title: str) -> None:
    """The whole sidebar."""
    params = model_params()
    solara.Style(SIDEBAR_CSS)
    with solara.Column(classes=["sim-sidebar"], style=SIDEBAR_STYLE):
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{title}</b>", style="font-size: 19px")
        RunButtonsView(session)
        ChangeNotesView(session)
        MapControlsView(session.choice)
        LessonsView(session)
        for heading, keys in sections(params).items():
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"<b>{heading}</b>",
                style="font-size: 17px; margin-top: 6px",
            )
            for key in keys:
                ControlView(key, params[key], session)
        AdvancedView(session)
        solara.HTML(
            tag="div",
            unsafe_innerHTML="Made with Mesa and Solara.",
            style="font-size: 14px; color: #555",
        )
