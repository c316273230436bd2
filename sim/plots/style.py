"""One look for every figure: a colour-blind-safe palette, tie-type colours and marker shapes.

Colours are the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with the common forms of
colour blindness. Every figure that shows tie types takes its colours from :data:`TIE_COLOURS`, so
"family" is the same orange everywhere. Nothing here changes matplotlib's global state when
imported: plotting functions draw inside :func:`style_context` (a notebook may also use it around
its own figures).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType

import matplotlib as mpl

from sim.population import codes

#: The Okabe-Ito palette, by name.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)

#: Colour of each tie type (keys: ``codes.TIE_TYPES``), used by every figure.
TIE_COLOURS = MappingProxyType(
    {
        "partner": OKABE_ITO["vermillion"],
        "family": OKABE_ITO["orange"],
        "friend": OKABE_ITO["reddish_purple"],
        "neighbour": OKABE_ITO["bluish_green"],
        "acquaintance": OKABE_ITO["sky_blue"],
        "group": OKABE_ITO["blue"],
        "professional": OKABE_ITO["black"],
        "pet": OKABE_ITO["yellow"],
    }
)

#: Marker shape of each member kind (keys: ``codes.NODE_KINDS`` except "patient").
KIND_MARKERS = MappingProxyType({"person": "o", "pet": "^", "group": "s", "professional": "D"})

#: Neutral colours for structure (rings, links, bands) and for the patient.
GREY = "#9A9A9A"
LIGHT_GREY = "#DDDDDD"
PATIENT_COLOUR = "#FFFFFF"

#: Colour of each trial arm (keys as in the trial's ``arms`` table), used by every trial figure.
ARM_COLOURS = MappingProxyType(
    {"usual care": OKABE_ITO["blue"], "intervention": OKABE_ITO["vermillion"]}
)

#: Human labels for tie types in legends and axes.
TIE_LABELS = MappingProxyType(
    {
        "partner": "Partner",
        "family": "Family",
        "friend": "Friend",
        "neighbour": "Neighbour",
        "acquaintance": "Acquaintance",
        "group": "Community group",
        "professional": "Professional",
        "pet": "Pet",
    }
)

#: Matplotlib settings applied by :func:`style_context`.
RC_PARAMS = MappingProxyType(
    {
        "font.size": 12,
        "axes.titlesize": 15,
        "axes.labelsize": 11,
        "legend.fontsize": 11,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in OKABE_ITO if k != "yellow"]),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "figure.facecolor": "white",
        "axes.facecolor": "white",
    }
)


def tie_colour(tie_type: int) -> str:
    """Return the colour of a tie-type code (index into ``codes.TIE_TYPES``)."""
    return TIE_COLOURS[codes.TIE_TYPES[tie_type]]


@contextmanager
def style_context() -> Iterator[None]:
    """Draw with the project style inside a ``with`` block; global settings are restored after."""
    with mpl.rc_context(dict(RC_PARAMS)):
        yield
