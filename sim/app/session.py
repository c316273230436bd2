"""One browser session's state and what the buttons do: step, play, reset and lesson scenes.

The state is held in Solara reactive variables, so the page redraws when it changes; stepping
also bumps Mesa's ``update_counter`` (:func:`mesa.visualization.utils.force_update`), which every
view reads. Keeping the actions here, apart from the page, lets them be tested without a browser.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import solara
from mesa.visualization.utils import force_update

from sim.app.lessons import Scene
from sim.app.params import applied_values, differences, within_half_a_step
from sim.app.teaching_model import TeachingModel


@dataclass(frozen=True)
class MapChoice:
    """What the maps show: the patients' state at the centre, and which page of patients."""

    colour_by: str = "knowledge_clinical"
    page: int = 0


class Session:
    """The teaching model of one browser session, its controls' values and the page's notes.

    Args:
        opening: The controls' values when the app opens (every control).

    Attributes:
        model: The teaching model (replaced by Reset and by a scene).
        values: The controls' values now; they reach the model when Reset rebuilds it.
        choice: What the maps show.
        note: What the last Reset or scene did.
        lesson: The sentence of what to notice in the scene last played ("" outside a scene).
        playing: True while Play runs week after week.
        pause_ms: Pause between weeks while playing, milliseconds.
        weeks_per_draw: Weeks stepped between redraws while playing.
    """

    def __init__(self, opening: Mapping[str, Any]) -> None:
        self.opening = dict(opening)
        self.model = solara.reactive(TeachingModel(**self.opening))
        self.values = solara.reactive(dict(self.opening))
        self.choice = solara.reactive(MapChoice())
        self.note = solara.reactive("")
        self.lesson = solara.reactive("")
        self.playing = solara.reactive(False)
        self.pause_ms = solara.reactive(100)
        self.weeks_per_draw = solara.reactive(1)

    def applied(self) -> dict[str, Any]:
        """The controls' values the model was built with."""
        model = self.model.value
        return applied_values(model.config.values, model.seed)

    def pending(self) -> list[str]:
        """Changed controls waiting for Reset, as "label: old → new"."""
        return differences(self.applied(), self.values.value)

    def set_value(self, key: str, value: Any) -> None:
        """Set one control's value (it applies at the next Reset).

        A slider moved by less than half its step has not been moved: the browser's slider snaps
        a value off its grid (a calibrated default such as 0.52 with a step of 0.05) to the grid
        when it is drawn, and that is not the teacher's change.
        """
        if within_half_a_step(key, self.values.value[key], value):
            return
        self.values.set({**self.values.value, key: value})

    def step(self) -> None:
        """Advance both arms one week and redraw."""
        self.model.value.step()
        force_update()

    def play(self) -> None:
        """Step and redraw week after week while playing (run in a thread by the page)."""
        while self.playing.value and self.model.value.running:
            time.sleep(self.pause_ms.value / 1000)
            if not self.playing.value:  # paused during the pause
                break
            for _ in range(self.weeks_per_draw.value):
                if self.model.value.running:
                    self.model.value.step()
            force_update()
        self.playing.set(False)

    def reset(self) -> None:
        """Rebuild both arms at week 0 from the controls' values; say what changed."""
        self.playing.set(False)
        changes = self.pending()
        self.model.set(TeachingModel(**self.values.value))
        self.lesson.set("")
        with_what = " with " + "; ".join(changes) if changes else ", with the same settings"
        self.note.set(f"Reset rebuilt both arms at week 0{with_what}.")

    def run_scene(self, scene: Scene) -> None:
        """Play a lesson scene from the opening values: its controls, its week, its sentence."""
        self.playing.set(False)
        played = scene.play(self.opening)
        self.values.set(played.values)
        self.model.set(played.model)
        self.choice.set(MapChoice(played.colour_by, played.page))
        self.lesson.set(played.notice)
        self.note.set(f"Scene “{scene.title}”: settings set, run to week {played.model.week}.")
