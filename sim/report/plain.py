"""Internal labels turned into plain words for readers of a report.

The model's documentation names its calibration targets T1-T9 and cites its evidence review (the
"dossier"); a commissioner reading a report knows neither. :func:`plain_words` rewrites such
labels in free text (parameter sources, table cells) into what they stand for.
"""

from __future__ import annotations

import re

#: What each calibration target of the documentation stands for.
TARGETS = {
    "T1": "published figures on the trial population",
    "T2": "published figures on network size",
    "T3": "published figures on the shares of weak ties and professionals",
    "T4": "published figures on group participation",
    "T5": "published figures on blood-pressure control",
    "T6": "published figures on quality of life in kidney disease",
    "T7": "published figures on the benefit of joining groups",
    "T8": "published figures on partner substitution",
    "T9": "the BRIGHT trial's published results",
}
_RANGE = re.compile(r"\bT[1-9][a-z]?-T[1-9][a-z]?\b")
_TARGET = re.compile(r"\b(T[1-9])[a-z]?\b")
_DOSSIER = re.compile(r"\b(?:science )?dossier(?: section \d+)?", re.IGNORECASE)
#: Column headers of the tables of results folders, in plain words.
HEADERS = {"Target T9": "BRIGHT trial, published", "target": "published figure"}


def plain_words(text: str) -> str:
    """``text`` with calibration-target labels and references to the dossier in plain words."""
    text = _RANGE.sub("published network figures", text)
    text = _TARGET.sub(lambda m: TARGETS[m[1]], text)
    return _DOSSIER.sub("the model's evidence review", text)
