"""Response of a sweep's outcome to its parameters: a line with a band, or a surface.

Reads a sweep's results table (:func:`sim.sweeps.sweep_results.read_results`: one row per run, with
parameter columns named by their scenario keys, outcome columns such as ``<measure>_w<week>``,
and ``point``, ``replicate`` and ``error``). For one parameter the figure is the mean outcome
over runs at each value with a band from the 2.5% to the 97.5% point of the runs (replicates,
and any other parameters). For two parameters it is a heatmap of the mean outcome over the runs
in each cell, each cell labelled with its mean: the parameters' own values when the design is a
grid (at most :data:`MAX_LEVELS` values each), else equal-width bins of their ranges (Latin
hypercube and Sobol designs), averaging over the other parameters.
:func:`write_response_figures` writes ``figures/response_<outcome>.png`` for a sweep folder,
choosing per outcome the parameters it depends on most.

Every figure states the range its values span, in the outcome's unit, in its subtitle (and a
surface in its colour bar too): a colour scale stretched over a narrow range (say 0.824 to 0.829
of EQ-5D utility) would otherwise make a small difference look large.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots.sensitivity_bars import outcome_label
from sim.plots.style import GREY, LIGHT_GREY, OKABE_ITO, style_context

#: Columns of a sweep's results table that are neither parameters nor outcomes.
RUN_COLUMNS = ("run_id", "point", "replicate", "seed", "error")
#: A parameter with at most this many distinct values is drawn at its values; else binned.
MAX_LEVELS = 12
#: Bins per parameter axis when binned.
BINS = 6
#: Figure width, inches (readable at A4 width).
WIDTH = 7.5


def _is_parameter(column: str) -> bool:
    """Parameter columns are scenario keys (dotted, e.g. ``mechanisms.navigation.p_join``)."""
    return "." in column


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def outcome_columns(results: pd.DataFrame) -> list[str]:
    """The outcome columns of a sweep's results table (numbers, neither run ids nor parameters)."""
    return [
        c
        for c in results.columns
        if c not in RUN_COLUMNS and not _is_parameter(c) and _is_number(results[c])
    ]


def parameter_columns(results: pd.DataFrame) -> list[str]:
    """The numeric parameter columns of a sweep's results table (that vary between runs)."""
    return [
        c
        for c in results.columns
        if c not in RUN_COLUMNS
        and _is_parameter(c)
        and _is_number(results[c])
        and results[c].nunique() > 1
    ]


def parameter_label(key: str) -> str:
    """A parameter's axis label with its unit, e.g. ``mechanisms.navigation.p_join (per week)``."""
    from sim.config.parameters import PARAMS

    param = PARAMS.get(key)
    unit = param.unit if param is not None else "-"
    return f"{key} ({'dimensionless' if unit in ('-', '') else unit})"


def response_label(column: str) -> str:
    """A human label with unit for an outcome column of a sweep (model or trial task)."""
    label = outcome_label(column)
    if label != column:
        return label
    try:
        from sim.sweeps.tasks import TRIAL_OUTCOMES
    except ImportError:  # an older sweep engine without trial tasks
        return column
    description = TRIAL_OUTCOMES.get(column)
    return description[0].upper() + description[1:] if description else column


def label_unit(label: str) -> str:
    """The unit of a label: its last bracketed part, or a trailing ``, % of ...``; else ''."""
    if label.endswith(")") and "(" in label:
        return label[label.rfind("(") + 1 : -1]
    tail = label.rpartition(", ")[2]
    return tail if tail.startswith("%") else ""


def _levels(values: pd.Series, bins: int = BINS) -> tuple[pd.Series, np.ndarray, bool]:
    """Each run's level (a value, or a bin's centre), the levels in order, and if binned."""
    distinct = np.sort(values.dropna().unique())
    if len(distinct) <= MAX_LEVELS:
        return values, distinct, False
    edges = np.linspace(distinct[0], distinct[-1], bins + 1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    centres = (edges[:-1] + edges[1:]) / 2
    return pd.Series(centres[index], index=values.index), centres, True


def _tick(value: float) -> str:
    return f"{value:.3g}"


def _line(ax: Axes, runs: pd.DataFrame, parameter: str, outcome: str) -> np.ndarray:
    level, levels, binned = _levels(runs[parameter], int(np.clip(len(runs) // 4, 3, 10)))
    grouped = runs[outcome].groupby(level)
    mean = grouped.mean().reindex(levels)
    low = grouped.quantile(0.025).reindex(levels)
    high = grouped.quantile(0.975).reindex(levels)
    colour = OKABE_ITO["blue"]
    ax.fill_between(
        levels,
        low,
        high,
        color=colour,
        alpha=0.2,
        lw=0,
        gid="band",
        label=("2.5% to 97.5% of runs"),
    )
    ax.plot(
        levels,
        mean,
        "-o",
        color=colour,
        lw=2.2,
        ms=6,
        gid="mean",
        label=("mean over runs" + (" in each bin" if binned else "")),
    )
    ax.scatter(
        runs[parameter],
        runs[outcome],
        s=10,
        color=GREY,
        zorder=1,
        gid="runs",
        label="one run",
    )
    ax.set_xlabel(parameter_label(parameter))
    ax.set_ylabel(response_label(outcome))
    ax.legend(loc="best", fontsize=10)
    ax.grid(color="#E5E5E5", lw=0.8)
    return mean.to_numpy(float)


def _decimals(values: np.ndarray) -> int:
    """Decimals that show the spread of ``values`` with two significant digits (at least 2)."""
    finite = values[np.isfinite(values)]
    spread = float(finite.max() - finite.min()) if len(finite) else 0.0
    if spread <= 0:
        return 3
    return int(np.clip(1 - np.floor(np.log10(spread)), 2, 8))


def value_range(values: np.ndarray, unit: str) -> str:
    """'0.824 to 0.829 utility (a spread of 0.0049)': the range shown, with its unit."""
    finite = np.asarray(values, float)
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return "no values"
    digits = _decimals(finite)
    low, high = float(finite.min()), float(finite.max())
    unit = f" {unit}" if unit else ""
    if high == low:
        return f"{low:.{digits}f}{unit} everywhere"
    return f"{low:.{digits}f} to {high:.{digits}f}{unit} (a spread of {high - low:.2g})"


def _surface(fig: Figure, ax: Axes, runs: pd.DataFrame, parameters: Sequence[str], outcome: str):
    (px, py) = parameters
    bins = int(np.clip(np.sqrt(len(runs) / 2), 2, BINS))
    x, xs, x_binned = _levels(runs[px], bins)
    y, ys, y_binned = _levels(runs[py], bins)
    table = runs[outcome].groupby([y, x]).mean().unstack()
    table = table.reindex(index=ys, columns=xs)
    counts = runs[outcome].groupby([y, x]).count().unstack().reindex(index=ys, columns=xs)
    image = ax.imshow(
        table.to_numpy(float), origin="lower", aspect="auto", cmap="viridis", gid="surface"
    )
    values = table.to_numpy(float)
    finite = values[np.isfinite(values)]
    middle = (finite.min() + finite.max()) / 2 if len(finite) else 0.0
    digits = _decimals(values)
    for i in range(len(ys)):
        for j in range(len(xs)):
            v = values[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    f"{v:.{digits}f}",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="black" if v > middle else "white",
                )
    ax.set_xticks(range(len(xs)), [_tick(v) for v in xs], rotation=30 if len(xs) > 5 else 0)
    ax.set_yticks(range(len(ys)), [_tick(v) for v in ys])
    ax.set_xlabel(parameter_label(px) + (": bin centre" if x_binned else ""))
    ax.set_ylabel(parameter_label(py) + (": bin centre" if y_binned else ""))
    ax.spines[:].set_visible(False)
    ax.set_facecolor(LIGHT_GREY)
    bar = fig.colorbar(image, ax=ax)
    unit = label_unit(response_label(outcome))
    bar.set_label(
        f"mean of runs{f' ({unit})' if unit else ''}:\ncolours span only {value_range(values, '')}",
        fontsize=10,
    )
    runs_per_cell = counts.to_numpy(float)
    empty = not np.all(np.isfinite(values))
    return int(np.nanmin(runs_per_cell)), int(np.nanmax(runs_per_cell)), empty, values


def plot_response(
    results_frame: pd.DataFrame,
    parameters: Sequence[str] | str,
    outcome: str,
    title: str | None = None,
) -> Figure:
    """Draw how a sweep's outcome responds to one or two parameters.

    Args:
        results_frame: A sweep's results table (one row per run; failed runs are left out).
        parameters: One parameter column (line with band) or two (surface: first on x).
        outcome: The outcome column, e.g. ``eq5d_w26``.
        title: Figure title; by default names the outcome.

    Returns:
        The figure.

    Raises:
        KeyError: if a column is missing.
        ValueError: if not one or two parameters are given, or no run has the outcome.
    """
    parameters = [parameters] if isinstance(parameters, str) else list(parameters)
    if len(parameters) not in (1, 2):
        raise ValueError(f"expected one or two parameters; got {len(parameters)}")
    missing = [c for c in (*parameters, outcome) if c not in results_frame.columns]
    if missing:
        raise KeyError(f"the results table has no column {', '.join(map(repr, missing))}")
    runs = results_frame
    if "error" in runs.columns:
        runs = runs[runs["error"].isna()]
    runs = runs.dropna(subset=[*parameters, outcome])
    if runs.empty:
        raise ValueError(f"no run of the sweep has a value of {outcome!r}")
    others = [p for p in parameter_columns(runs) if p not in parameters]
    with style_context():
        fig = Figure(figsize=(WIDTH, 5.8), layout="constrained")
        ax = fig.add_subplot()
        unit = label_unit(response_label(outcome))
        if len(parameters) == 1:
            shown = _line(ax, runs, parameters[0], outcome)
            note = f"{len(runs)} runs; means range over {value_range(shown, unit)}"
        else:
            low, high, empty, shown = _surface(fig, ax, runs, parameters, outcome)
            per_cell = f"{low}" if low == high else f"{low} to {high}"
            note = (
                f"{len(runs)} runs, mean of {per_cell} per cell; the colour scale spans only "
                f"{value_range(shown, unit)}"
            )
            if empty:
                note += " (grey: no run)"
        if runs[outcome].nunique() == 1:
            note += "; the same in every run"
        if others:
            note += f"; averaged over {', '.join(o.rsplit('.', 1)[-1] for o in others)}"
        heading = title if title is not None else f"Sweep response: {response_label(outcome)}"
        fig.suptitle(heading, fontsize=13)
        ax.set_title(textwrap.fill(note, 80), fontsize=10, color="#444444")
    return fig


def influential_parameters(results: pd.DataFrame, outcome: str, n: int = 2) -> list[str]:
    """The ``n`` parameters with the largest absolute rank correlation with the outcome."""
    params = parameter_columns(results)
    ok = results.dropna(subset=[outcome])
    strength = {}
    for p in params:
        rho = ok[p].rank().corr(ok[outcome].rank())
        strength[p] = 0.0 if pd.isna(rho) else abs(float(rho))
    return sorted(params, key=lambda p: (-strength[p], params.index(p)))[:n]


def write_response_figures(folder: str | Path) -> list[Path]:
    """Write ``figures/response_<outcome>.png`` for every outcome of a finished sweep folder.

    Each figure uses the sweep's parameter (one parameter) or the two parameters with the
    largest rank correlation with that outcome. Writes nothing (and returns ``[]``) if the
    folder has no ``results.parquet``, no varying numeric parameter or no successful run.
    """
    folder = Path(folder)
    source = folder / "results.parquet"
    if not source.is_file():
        return []
    results = pd.read_parquet(source)
    if "error" in results.columns:
        results = results[results["error"].isna()]
    if results.empty or not parameter_columns(results):
        return []
    target = folder / "figures"
    target.mkdir(exist_ok=True)
    written = []
    for outcome in outcome_columns(results):
        if results[outcome].notna().sum() == 0:
            continue
        try:
            figure = plot_response(results, influential_parameters(results, outcome), outcome)
        except (KeyError, ValueError):  # a figure is not worth failing a finished sweep for
            continue
        path = target / f"response_{outcome}.png"
        figure.savefig(path, dpi=150)
        written.append(path)
    return written
