"""Read, inherit, check and resolve scenario files (TOML).

This is the only module that reads scenario files. A scenario may name another with
``base = "usual_care.toml"`` (a path relative to its own folder) and override any of its keys, so an
intervention scenario reads as "usual care plus these changes". Every value is checked against
:mod:`sim.config.parameters`; every error names the file, the dotted key, the bad value and what is
allowed. Scenario files are data: nothing in them is executed.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any

import tomli_w

from sim.config.parameters import (
    AT_MOST_ONE,
    META_KEYS,
    PARAMS,
    SECTIONS,
    SUMS_TO_ONE,
    Param,
    defaults,
)
from sim.errors import ScenarioError

DEFAULT_ORIGIN = "<default>"


@dataclass(frozen=True)
class Scenario:
    """A resolved, checked scenario: every parameter has a value (defaults filled in).

    Attributes:
        name: Short name (the scenario file's stem), used for the output folder.
        path: The scenario file, or None for a scenario built from defaults.
        values: Flat read-only mapping of dotted key to value.
        origins: For each key, the file that set it (or ``"<default>"``).
        title: Human title from the file.
        description: Human description from the file.
    """

    name: str
    path: Path | None
    values: Mapping[str, Any]
    origins: Mapping[str, str] = field(repr=False)
    title: str = ""
    description: str = ""

    def __reduce__(self) -> tuple:
        """Pickle through plain dicts, so scenarios travel to worker processes as they are.

        (Read-only mapping proxies do not pickle.)
        """
        return (
            _rebuild,
            (
                self.name,
                self.path,
                dict(self.values),
                dict(self.origins),
                self.title,
                self.description,
            ),
        )

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a scenario parameter{_suggest(key)}") from None

    def section(self, prefix: str) -> dict[str, Any]:
        """Return the values under ``prefix.`` with the prefix stripped."""
        cut = len(prefix) + 1
        return {k[cut:]: v for k, v in self.values.items() if k.startswith(prefix + ".")}

    def with_overrides(self, overrides: Mapping[str, Any], origin: str = "<override>") -> Scenario:
        """Return a copy with ``overrides`` (dotted keys) applied and checked."""
        values = dict(self.values)
        origins = dict(self.origins)
        for key, value in overrides.items():
            check_known_key(key, origin, value)
            values[key] = value
            origins[key] = origin
        _check_all(values, origins, origin)
        return Scenario(
            self.name,
            self.path,
            MappingProxyType(values),
            MappingProxyType(origins),
            self.title,
            self.description,
        )

    def nested(self) -> dict[str, Any]:
        """Return the values as nested tables, in the order of the registry's ``PARAMS``."""
        out: dict[str, Any] = {}
        if self.title:
            out["title"] = self.title
        if self.description:
            out["description"] = self.description
        for key in PARAMS:
            node = out
            *parents, leaf = key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = self.values[key]
        return out

    def to_toml(self) -> str:
        """Render the resolved scenario (every default written out) as TOML."""
        header = f"# Resolved scenario {self.name!r}"
        if self.path is not None:
            header += f" from {self.path}"
        return header + "\n" + tomli_w.dumps(self.nested())

    def output_folder(self) -> PurePosixPath:
        """Relative folder under the output folder where this scenario's runs go."""
        return PurePosixPath(self.values["outputs.folder"] or self.name)


def _rebuild(
    name: str,
    path: Path | None,
    values: dict[str, Any],
    origins: dict[str, str],
    title: str,
    description: str,
) -> Scenario:
    """Unpickle a :class:`Scenario` (see ``Scenario.__reduce__``)."""
    return Scenario(
        name, path, MappingProxyType(values), MappingProxyType(origins), title, description
    )


def default_scenario(name: str = "defaults") -> Scenario:
    """Return a scenario with every parameter at its default."""
    values = defaults()
    return Scenario(
        name,
        None,
        MappingProxyType(values),
        MappingProxyType(dict.fromkeys(values, DEFAULT_ORIGIN)),
    )


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file, resolve its ``base`` chain, fill defaults and check every value.

    Args:
        path: The TOML scenario file, or the name of a shipped one (``bright``; see
            :mod:`sim.config.shipped`).

    Returns:
        The resolved scenario.

    Raises:
        ScenarioError: naming the file and key of the first problem found.
    """
    from sim.config.shipped import names_hint, resolve

    path = resolve(path)
    if not path.exists():
        raise ScenarioError(path, "-", f"file not found{names_hint()}")
    values = defaults()
    origins = dict.fromkeys(values, DEFAULT_ORIGIN)
    meta: dict[str, str] = {}
    for file, flat in _chain(path, ()):
        for key, value in flat.items():
            if key in META_KEYS:
                meta[key] = value
            else:
                values[key] = value
                origins[key] = str(file)
    _check_all(values, origins, str(path))
    if not values["outputs.folder"]:
        _check_output_folder(path.stem, str(path))
    return Scenario(
        path.stem,
        path,
        MappingProxyType(values),
        MappingProxyType(origins),
        meta.get("title", ""),
        meta.get("description", ""),
    )


def _chain(path: Path, seen: tuple[Path, ...]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield (file, flat keys) from the root base down to ``path``."""
    resolved = path.resolve()
    if resolved in seen:
        loop = " -> ".join(str(p) for p in (*seen, resolved))
        raise ScenarioError(seen[-1], "base", f"inheritance loop: {loop}")
    raw = _read_toml(path)
    flat = _flatten(path, raw)
    base = raw.get("base")
    if base is not None:
        if not isinstance(base, str) or not base:
            raise ScenarioError(
                path,
                "base",
                f"{base!r} is not allowed; expected a file path (a string) relative to this file",
            )
        base_path = path.parent / base
        if not base_path.is_file():
            raise ScenarioError(
                path, "base", f"base file {base!r} not found (looked for {base_path})"
            )
        yield from _chain(base_path, (*seen, resolved))
    for key in ("title", "description"):
        if key in flat and not isinstance(flat[key], str):
            raise ScenarioError(path, key, f"{flat[key]!r} is not allowed; expected a string")
    flat.pop("base", None)
    yield path, flat


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, "-", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, "-", f"cannot read file: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)  # Python 3.12 has no .msg/.lineno; the text ends "(at line L, column C)"
        line = re.search(r"at line (\d+)", text)
        where = f"line {line[1]}" if line else "-"
        raise ScenarioError(path, where, f"TOML syntax error: {text}") from None


def _flatten(path: Path, raw: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for top, value in raw.items():
        if top in META_KEYS:
            flat[top] = value
        elif top not in SECTIONS:
            raise ScenarioError(
                path,
                top,
                "unknown section; allowed sections are "
                f"{', '.join(SECTIONS)} (and top-level keys "
                f"{', '.join(META_KEYS)}){_suggest(top, (*SECTIONS, *META_KEYS))}",
            )
        elif not isinstance(value, dict):
            raise ScenarioError(path, top, f"{value!r} is not allowed; {top} must be a table")
        else:
            _flatten_into(path, top, value, flat)
    return flat


def _flatten_into(path: Path, prefix: str, table: Mapping[str, Any], out: dict[str, Any]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict) and key not in PARAMS:
            _flatten_into(path, key, value, out)
        else:
            check_known_key(key, path, value)
            out[key] = value


def check_known_key(key: str, file: str | Path, value: Any = None) -> None:
    """Raise a :class:`ScenarioError` unless ``key`` is a parameter (dotted key).

    The message says whether ``key`` names a table rather than a value, or lists the keys and
    sub-tables allowed in its nearest table with a did-you-mean suggestion.

    Args:
        key: Dotted key, e.g. ``"mechanisms.navigation.p_join"``.
        file: File (or other origin) named in the error.
        value: The value given for the key (shown when the key is a table).
    """
    if key in PARAMS:
        return
    children = [k for k in PARAMS if k.startswith(key + ".")]
    if children:
        raise ScenarioError(
            file,
            key,
            f"{value!r} is not allowed: this is a table, not a "
            f"value; its keys are {', '.join(children)}",
        )
    table = _nearest_table(key)
    siblings = [k for k in PARAMS if k.startswith(table + ".") and "." not in k[len(table) + 1 :]]
    if siblings:
        allowed = f"allowed keys in [{table}]: {', '.join(siblings)}"
    else:
        allowed = f"[{table}] takes no keys in this version"
    subtables = sorted(
        {
            k[len(table) + 1 :].split(".")[0]
            for k in PARAMS
            if k.startswith(table + ".") and "." in k[len(table) + 1 :]
        }
    )
    if subtables:
        allowed += f"; sub-tables: {', '.join(subtables)}"
    raise ScenarioError(file, key, f"unknown key{_suggest(key)}; {allowed}")


def _nearest_table(key: str) -> str:
    """The longest prefix of ``key`` that is a table of known keys (at least the section)."""
    parts = key.split(".")
    for n in range(len(parts) - 1, 1, -1):
        prefix = ".".join(parts[:n])
        if any(k.startswith(prefix + ".") for k in PARAMS):
            return prefix
    return parts[0]


def _suggest(key: str, candidates: tuple[str, ...] | None = None) -> str:
    pool = list(candidates if candidates is not None else PARAMS)
    parent, _, leaf = key.rpartition(".")
    # first: keys in the same table whose last part is close; then the whole dotted key
    same_table = {k.rpartition(".")[2]: k for k in pool if k.rpartition(".")[0] == parent}
    close = [
        same_table[m] for m in difflib.get_close_matches(leaf, list(same_table), n=2, cutoff=0.75)
    ]
    if not close:
        close = difflib.get_close_matches(key, pool, n=3, cutoff=0.8)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _check_all(
    values: Mapping[str, Any], origins: Mapping[str, str], latest: str | None = None
) -> None:
    """Check every value, then the rules that join several keys.

    ``latest`` is the origin applied last (the file being loaded, or the overrides): a rule
    that joins several keys blames the keys it set, if any.
    """
    for key, param in PARAMS.items():
        check_value(param, values[key], origins[key])
    for group in SUMS_TO_ONE:
        total = sum(values[k] for k in group.keys)
        if not math.isclose(total, 1.0, abs_tol=group.tolerance):
            problem = f"together they add up to {total:g}; they must add up to 1"
            raise joint_error(values, origins, group.keys, problem, latest)
    for keys in AT_MOST_ONE:
        total = sum(values[k] for k in keys)
        if total > 1 + 1e-9:
            problem = f"together they add up to {total:g}; they must not exceed 1"
            raise joint_error(values, origins, keys, problem, latest)
    ages = ("population.age_min", "population.age_max")
    if values[ages[0]] >= values[ages[1]]:
        problem = (
            f"population.age_min ({values[ages[0]]!r}) must be below population.age_max "
            f"({values[ages[1]]!r})"
        )
        raise joint_error(values, origins, ages, problem, latest)
    if values["population.source"] == "survey" and not values["population.survey_dir"]:
        raise ScenarioError(
            origins["population.source"],
            "population.survey_dir",
            "is required when population.source = 'survey'",
        )
    _check_output_folder(values["outputs.folder"], origins["outputs.folder"])
    _check_age_shape(values, origins, latest)


#: The keys of the age distribution's shape, checked together.
AGE_SHAPE = ("population.age_mean", "population.age_sd", "population.p_age_75_plus")


def joint_error(
    values: Mapping[str, Any],
    origins: Mapping[str, str],
    keys: tuple[str, ...],
    problem: str,
    latest: str | None = None,
) -> ScenarioError:
    """The refusal of a rule joining several keys: the file, every key, and which were set.

    The error names the file that set one of the keys (``latest`` if it set any, else the one
    that set the last of them; ``<default>`` if none was set) and, as its key, the first key that
    file set; the message gives every key with its value and where it was set.

    Args:
        values: The scenario's values.
        origins: Where each value was set (a file, ``<command line>`` or ``<default>``).
        keys: The keys the rule joins.
        problem: What is wrong, said of the keys together (e.g. "together they add up to 1.2").
        latest: The origin applied last, if known.
    """
    chosen = [k for k in keys if origins[k] != DEFAULT_ORIGIN]
    file = latest if any(origins[k] == latest for k in chosen) else None
    file = file or (origins[chosen[-1]] if chosen else DEFAULT_ORIGIN)
    blamed = [k for k in keys if origins[k] == file] or list(keys)

    def where(key: str) -> str:
        if origins[key] == DEFAULT_ORIGIN:
            return "default"
        return "set in this file" if origins[key] == file else f"set in {origins[key]}"

    listed = ", ".join(f"{k} = {values[k]!r} ({where(k)})" for k in keys)
    return ScenarioError(file, blamed[0], f"{listed}: {problem}")


def check_value(param: Param, value: Any, origin: str) -> None:
    """Raise a :class:`ScenarioError` naming ``origin`` unless ``value`` suits ``param``.

    Args:
        param: The parameter (kind, bounds, choices).
        value: The value to check (lists element by element for list kinds).
        origin: File (or other origin) named in the error.
    """

    def fail(detail: str = "") -> None:
        raise ScenarioError(
            origin,
            param.key,
            f"{value!r} is not allowed{detail}; expected {param.allowed()} (unit: {param.unit})",
        )

    if param.kind in ("int_list", "choice_list"):
        if not isinstance(value, list):
            fail()
        item = Param(
            param.key,
            None,
            "int" if param.kind == "int_list" else "choice",
            param.unit,
            "",
            "",
            param.low,
            param.high,
            param.choices,
        )
        for element in value:
            try:
                check_value(item, element, origin)
            except ScenarioError:
                fail(f" (item {element!r})")
        return
    if param.kind == "bool":
        if not isinstance(value, bool):
            fail()
        return
    if param.kind in ("str", "choice"):
        if not isinstance(value, str):
            fail()
        if param.choices is not None and value not in param.choices:
            fail(_suggest(value, param.choices))
        return
    numeric = (int,) if param.kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, numeric):
        fail()
    if isinstance(value, float) and not math.isfinite(value):
        fail()
    if (param.low is not None and value < param.low) or (
        param.high is not None and value > param.high
    ):
        fail()


def _check_age_shape(
    values: Mapping[str, Any], origins: Mapping[str, str], latest: str | None = None
) -> None:
    """The age mean, SD and share aged 75+ must be reachable by a skew-normal distribution."""
    from sim.config.age_distribution import skewnorm_for  # scipy loads only when checked

    try:
        skewnorm_for(*(values[k] for k in AGE_SHAPE))
    except ValueError as exc:
        problem = f"cannot hold together: {exc}"
        raise joint_error(values, origins, AGE_SHAPE, problem, latest) from None


def _check_output_folder(folder: str, origin: str) -> None:
    if any(ord(c) < 32 for c in folder) or any(c in folder for c in ':*?"<>|'):
        raise ScenarioError(
            origin,
            "outputs.folder",
            f"{folder!r} is not allowed; expected a "
            'relative path inside the output folder, without control characters or :*?"<>|',
        )
    if not folder:
        return
    posix, windows = PurePosixPath(folder), PureWindowsPath(folder)
    bad = (
        posix.is_absolute()
        or windows.is_absolute()
        or bool(windows.drive)
        or ".." in posix.parts
        or ".." in windows.parts
        or folder.startswith("~")
    )
    if bad:
        raise ScenarioError(
            origin,
            "outputs.folder",
            f"{folder!r} is not allowed; expected a "
            "relative path inside the output folder (no '..', no absolute path)",
        )
