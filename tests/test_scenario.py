"""Scenario files: the corpus of malformed files, defaults, inheritance, overrides and TOML output.

Each file in ``tests/bad_scenarios/`` is one malformed scenario. Its header comments state the
error it must raise::

    # expect-file: other.toml        (file the error names; default: the case file itself)
    # expect-key: population.n_practices
    # expect-message: a fragment the message must contain (one line per fragment)
    # expect-stage: build            (only for errors found when the population is built)
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.config.parameters import META_KEYS, PARAMS, SECTIONS, defaults
from sim.config.scenario import (
    DEFAULT_ORIGIN,
    Scenario,
    ScenarioError,
    default_scenario,
    load_scenario,
)
from sim.model import build_population

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_scenarios"
USUAL_CARE = ROOT / "scenarios" / "usual_care.toml"
_EXPECT = re.compile(r"^# expect-(file|key|message|stage): (.*)$")


@dataclass(frozen=True)
class BadCase:
    """A malformed scenario file and the error it must raise."""

    path: Path
    file: Path
    key: str
    fragments: tuple[str, ...]
    stage: str

    @property
    def id(self) -> str:
        return self.path.stem


def read_case(path: Path) -> BadCase:
    """Read the ``# expect-...`` header of a corpus file."""
    found: dict[str, list[str]] = {"file": [], "key": [], "message": [], "stage": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            found[match[1]].append(match[2])
    return BadCase(
        path=path,
        file=(path.parent / found["file"][0]) if found["file"] else path,
        key=found["key"][0] if found["key"] else "",
        fragments=tuple(found["message"]),
        stage=found["stage"][0] if found["stage"] else "load",
    )


CASES = [read_case(p) for p in sorted(CORPUS.glob("*.toml"))]
LOAD_CASES = [c for c in CASES if c.stage == "load"]
BUILD_CASES = [c for c in CASES if c.stage == "build"]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def check_error(error: ScenarioError, case: BadCase) -> None:
    assert same_file(error.file, case.file), (
        f"expected the error to name {case.file.name}, got {error.file}"
    )
    assert error.key == case.key, f"expected key {case.key!r}, got {error.key!r}"
    for fragment in case.fragments:
        assert fragment in error.message, (
            f"expected {fragment!r} in the message, got: {error.message}"
        )


# --- the corpus of malformed files --------------------------------------------------------------


def test_corpus_covers_the_required_cases():
    names = {c.id for c in CASES}
    required = {
        "unknown_key_near_miss",
        "unknown_section",
        "wrong_type_string_for_number",
        "wrong_type_float_for_int",
        "wrong_type_number_for_bool",
        "probability_above_one",
        "probability_below_zero",
        "negative_count",
        "network_type_shares_do_not_sum_to_one",
        "missing_base",
        "inheritance_loop_a",
        "inheritance_loop_b",
        "base_is_itself",
        "toml_syntax_error",
        "outputs_folder_parent",
        "outputs_folder_absolute",
        "outputs_folder_home",
        "outputs_folder_climbs_out_after_descending",
        "table_for_value",
        "value_for_table",
        "bad_list_item",
        "bad_value_in_base",
        "age_min_not_below_age_max",
        "p_age_75_plus_unreachable",
    }
    assert required <= names, f"expected corpus files for {sorted(required - names)}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_file_states_its_expected_error(case):
    assert case.key, f"expected a '# expect-key:' line in {case.path.name}"
    assert case.fragments, f"expected at least one '# expect-message:' line in {case.path.name}"
    assert case.file.is_file(), f"expected the named file {case.file} to exist"
    assert case.stage in ("load", "build"), f"expected stage load or build, got {case.stage!r}"


@pytest.mark.parametrize("case", LOAD_CASES, ids=lambda c: c.id)
def test_malformed_file_raises_error_naming_file_key_value_and_allowed(case):
    with pytest.raises(ScenarioError) as info:
        load_scenario(case.path)
    check_error(info.value, case)


@pytest.mark.parametrize("case", BUILD_CASES, ids=lambda c: c.id)
def test_population_error_names_file_key_value_and_allowed(case):
    scenario = load_scenario(case.path)  # valid as far as the loader can tell
    with pytest.raises(ScenarioError) as info:
        build_population(scenario)
    check_error(info.value, case)


def test_error_string_is_file_key_message():
    error = ScenarioError("a.toml", "run.weeks", "-1 is not allowed")
    assert str(error) == "a.toml: run.weeks: -1 is not allowed", "expected 'file: key: message'"


def test_bad_value_in_base_is_reported_against_base_even_when_loading_a_deeper_child(tmp_path):
    parent = CORPUS / "bad_value_in_base_parent.toml"
    child = write(tmp_path / "child.toml", f'base = "{parent.as_posix()}"\n[run]\nweeks = 3\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    assert same_file(info.value.file, parent), f"expected {parent.name}, got {info.value.file}"


def test_no_parameter_is_both_a_value_and_a_table():
    # TOML cannot hold a key that is both a value and a table, so such a pair could be neither
    # written by to_toml() nor set from a file.
    clashes = sorted(k for k in PARAMS if any(other.startswith(k + ".") for other in PARAMS))
    assert clashes == [], f"expected no key to be a prefix of another, got {clashes}"


# --- did you mean -------------------------------------------------------------------------------


def test_near_miss_key_suggests_the_intended_key_first():
    with pytest.raises(ScenarioError) as info:
        default_scenario().with_overrides({"population.p_femal": 0.5})
    assert "did you mean 'population.p_female'" in info.value.message, (
        f"expected 'population.p_female' as the first suggestion, got: {info.value.message}"
    )


def test_far_miss_key_gets_no_suggestion_but_lists_the_allowed_keys():
    with pytest.raises(ScenarioError) as info:
        default_scenario().with_overrides({"population.zzzzzz": 1})
    assert "did you mean" not in info.value.message, "expected no suggestion for a far miss"
    assert "population.n_practices" in info.value.message, "expected the allowed keys listed"


def test_unknown_section_error_lists_every_section_and_top_level_key(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path / "s.toml", "[simulation]\nweeks = 3\n"))
    for name in (*SECTIONS, *META_KEYS):
        assert name in info.value.message, f"expected {name!r} listed as allowed"


def test_unknown_parameter_lookup_suggests_the_intended_key():
    with pytest.raises(KeyError, match=re.escape("did you mean 'network.p_pet'")):
        default_scenario()["network.p_pett"]


# --- defaults and inheritance -------------------------------------------------------------------


def test_keys_left_out_take_their_defaults(tmp_path):
    scenario = load_scenario(write(tmp_path / "short.toml", "[run]\nweeks = 3\n"))
    assert set(scenario.values) == set(PARAMS), "expected every declared parameter to have a value"
    expected = {**defaults(), "run.weeks": 3}
    assert dict(scenario.values) == expected, "expected defaults for every key the file leaves out"
    assert scenario.origins["run.weeks"] == str(tmp_path / "short.toml"), (
        "expected run.weeks to be recorded as set by the file"
    )
    unset = {k for k, v in scenario.origins.items() if v == DEFAULT_ORIGIN}
    assert unset == set(PARAMS) - {"run.weeks"}, "expected every other key to come from defaults"


def test_empty_file_is_the_default_scenario(tmp_path):
    scenario = load_scenario(write(tmp_path / "empty.toml", ""))
    assert dict(scenario.values) == dict(default_scenario().values), "expected all defaults"
    assert scenario.name == "empty", "expected the name to be the file stem"


def test_inheritance_overrides_only_what_the_child_sets_and_records_origins(tmp_path):
    base = write(
        tmp_path / "base.toml",
        'title = "Base"\n[run]\nseed = 7\nweeks = 10\n[population]\nn_practices = 3\n',
    )
    child = write(
        tmp_path / "child.toml",
        'base = "base.toml"\n[run]\nweeks = 4\n[network]\np_pet = 0.5\n',
    )
    scenario = load_scenario(child)
    assert scenario["run.weeks"] == 4, "expected the child's value to override the base's"
    assert scenario["run.seed"] == 7, "expected the base's value where the child sets nothing"
    assert scenario["population.n_practices"] == 3, "expected the base's value to be inherited"
    assert scenario["network.p_pet"] == 0.5, "expected the child's own value"
    assert scenario["population.age_mean"] == defaults()["population.age_mean"], (
        "expected the default where neither file sets a value"
    )
    assert scenario.origins["run.weeks"] == str(child), "expected run.weeks set by the child"
    assert scenario.origins["network.p_pet"] == str(child), "expected p_pet set by the child"
    assert same_file(scenario.origins["run.seed"], base), "expected run.seed set by the base"
    assert same_file(scenario.origins["population.n_practices"], base), "expected base origin"
    assert scenario.origins["population.age_mean"] == DEFAULT_ORIGIN, "expected default origin"
    assert scenario.title == "Base", "expected the title to be inherited from the base"
    assert scenario.name == "child", "expected the name of the file loaded, not of its base"


def test_three_level_inheritance_takes_the_nearest_value(tmp_path):
    write(tmp_path / "a.toml", "[run]\nweeks = 1\nseed = 1\nreplicates = 1\n")
    write(tmp_path / "b.toml", 'base = "a.toml"\n[run]\nweeks = 2\nseed = 2\n')
    c = write(tmp_path / "c.toml", 'base = "b.toml"\n[run]\nweeks = 3\n')
    scenario = load_scenario(c)
    got = (scenario["run.weeks"], scenario["run.seed"], scenario["run.replicates"])
    assert got == (3, 2, 1), f"expected each key from the nearest file that sets it, got {got}"
    assert same_file(scenario.origins["run.replicates"], tmp_path / "a.toml"), "expected a.toml"


def test_base_is_relative_to_the_scenario_folder_not_the_working_directory(tmp_path, monkeypatch):
    write(tmp_path / "bases" / "base.toml", "[run]\nweeks = 9\n")
    child = write(tmp_path / "arms" / "child.toml", 'base = "../bases/base.toml"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert load_scenario(child)["run.weeks"] == 9, "expected the base found next to the child"


def test_scenario_inheriting_usual_care_changes_only_its_own_keys(tmp_path):
    relative = Path(os.path.relpath(USUAL_CARE, tmp_path)).as_posix()
    child = write(tmp_path / "intervention.toml", f'base = "{relative}"\n[network]\np_pet = 0.6\n')
    usual, arm = load_scenario(USUAL_CARE), load_scenario(child)
    changed = {k for k in PARAMS if usual[k] != arm[k]}
    assert changed == {"network.p_pet"}, f"expected only network.p_pet to differ, got {changed}"


def test_scenario_text_is_data_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    scenario = load_scenario(write(tmp_path / "code.toml", f"title = {code!r}\n"))
    assert scenario.title == code, "expected the title kept as plain text"
    assert not marker.exists(), "expected nothing in a scenario file to be executed"


# --- overrides ----------------------------------------------------------------------------------


def test_with_overrides_applies_values_and_records_origin_without_changing_the_original():
    base = default_scenario()
    changed = base.with_overrides({"run.weeks": 5, "network.p_pet": 0.1}, origin="<cli>")
    assert (changed["run.weeks"], changed["network.p_pet"]) == (5, 0.1), "expected overrides set"
    assert changed.origins["run.weeks"] == "<cli>", "expected the override's origin recorded"
    assert base["run.weeks"] == defaults()["run.weeks"], "expected the original left unchanged"


@pytest.mark.parametrize(
    ("overrides", "key", "fragments"),
    [
        ({"run.weeks": -3}, "run.weeks", ("-3", "an integer in [0, 1040]")),
        ({"run.seed": -1}, "run.seed", ("-1", "an integer >= 0")),
        ({"run.weeks": 2.5}, "run.weeks", ("2.5", "an integer")),
        ({"network.p_pet": 2}, "network.p_pet", ("2", "a number in [0, 1]")),
        ({"population.n_practice": 3}, "population.n_practice", ("'population.n_practices'",)),
        ({"network.share_family": 0.9}, "network.share_family", ("must add up to 1",)),
        ({"population.age_min": 105.0}, "population.age_min", ("105.0", "population.age_max")),
        ({"outputs.folder": "../up"}, "outputs.folder", ("'../up'", "relative path")),
    ],
    ids=lambda v: str(v) if isinstance(v, str) else None,
)
def test_with_overrides_rejects_invalid_values(overrides, key, fragments):
    with pytest.raises(ScenarioError) as info:
        default_scenario().with_overrides(overrides, origin="<command line>")
    assert info.value.file == "<command line>", f"expected the origin named, got {info.value.file}"
    assert info.value.key == key, f"expected key {key!r}, got {info.value.key!r}"
    for fragment in fragments:
        assert fragment in info.value.message, f"expected {fragment!r} in {info.value.message!r}"


def test_scenario_values_are_read_only():
    scenario = default_scenario()
    with pytest.raises(TypeError):
        scenario.values["run.weeks"] = 1  # type: ignore[index]


# --- output ------------------------------------------------------------------------------------


def test_nested_mirrors_the_dotted_keys_in_declaration_order():
    scenario = load_scenario(USUAL_CARE)
    nested = scenario.nested()
    assert nested["title"] == scenario.title, "expected the title at the top level"
    assert [k for k in nested if k in SECTIONS] == [
        s for s in SECTIONS if any(k.startswith(s + ".") for k in PARAMS)
    ], "expected sections in declaration order"
    assert (
        nested["network"]["mean_family"]["restricted"] == scenario["network.mean_family.restricted"]
    ), "expected dotted keys to become nested tables"
    for key in PARAMS:
        node = nested
        for part in key.split("."):
            node = node[part]
        assert node == scenario[key], f"expected nested value of {key} to equal the flat value"


def _round_trip(scenario: Scenario, folder: Path) -> Scenario:
    text = scenario.to_toml()
    tomllib.loads(text)  # must be valid TOML
    return load_scenario(write(folder / f"{scenario.name}.toml", text))


def test_to_toml_round_trips_every_value_and_type(tmp_path):
    scenario = load_scenario(USUAL_CARE).with_overrides(
        {
            "outputs.patient_weeks": [0, 4, 26],
            "outputs.formats": ["csv"],
            "outputs.folder": "arms/usual care",
            "outputs.graphml": True,
            "population.age_min": 45,
            "network.mean_family.diverse": 2.5,
        }
    )
    again = _round_trip(scenario, tmp_path)
    assert dict(again.values) == dict(scenario.values), "expected the same values after a trip"
    for key in PARAMS:
        assert type(again[key]) is type(scenario[key]), f"expected {key} to keep its type"
    assert (again.title, again.description) == (scenario.title, scenario.description), (
        "expected title and description to survive the round trip"
    )


def test_to_toml_round_trips_awkward_text(tmp_path):
    path = write(
        tmp_path / "awkward.toml",
        'title = "Quotes \\" and \\\\ backslash"\ndescription = """two\nlines"""\n',
    )
    scenario = load_scenario(path)
    again = _round_trip(scenario, tmp_path / "again")
    assert (again.title, again.description) == (scenario.title, scenario.description), (
        "expected quotes, backslashes and newlines to survive the round trip"
    )


def test_output_folder_defaults_to_the_file_stem(tmp_path):
    scenario = load_scenario(write(tmp_path / "my_arm.toml", ""))
    assert str(scenario.output_folder()) == "my_arm", "expected the file stem"
    nested = scenario.with_overrides({"outputs.folder": "trial/arm_b"})
    assert str(nested.output_folder()) == "trial/arm_b", "expected outputs.folder when set"


# --- shipped scenarios --------------------------------------------------------------------------


#: Data files in scenarios/ that are not scenarios: comparison files (with "strategies"; tested in
#: test_compare.py) and the calibrated ensemble (sim.calibration).
NOT_SCENARIOS = {"ensemble.toml"}
SHIPPED_SCENARIOS = [
    p
    for p in sorted((ROOT / "scenarios").glob("*.toml"))
    if p.name not in NOT_SCENARIOS and "strategies" not in p.read_text()
]


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_loads_and_round_trips(path, tmp_path):
    scenario = load_scenario(path)
    assert set(scenario.values) == set(PARAMS), f"expected {path.name} to resolve every key"
    again = _round_trip(scenario, tmp_path)
    assert dict(again.values) == dict(scenario.values), f"expected {path.name} to round-trip"


def test_a_scenario_pickles_unchanged():
    """Scenarios travel to worker processes (trials, attribution, sweeps) by pickling."""
    import pickle

    scenario = load_scenario(ROOT / "scenarios" / "bright.toml").with_overrides(
        {"trial.outcome_week": 6}
    )
    again = pickle.loads(pickle.dumps(scenario))
    assert again == scenario, "expected the same scenario after a pickle round trip"
    assert dict(again.origins) == dict(scenario.origins), "expected the origins kept"
    with pytest.raises(TypeError):
        again.values["trial.outcome_week"] = 7  # still read-only


# --- rules that join several keys ---------------------------------------------------------------


def test_a_joint_rule_names_the_child_file_and_its_key_and_says_where_the_others_were_set(
    tmp_path,
):
    base = write(
        tmp_path / "base.toml",
        f'base = "{USUAL_CARE.as_posix()}"\n[population]\np_age_75_plus = 0.3\n',
    )
    child = write(tmp_path / "child.toml", 'base = "base.toml"\n[population]\nage_sd = 0.5\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    error = info.value
    assert Path(error.file) == child, f"expected the file that set age_sd named, got {error.file}"
    assert error.key == "population.age_sd", f"expected the key set in it, got {error.key}"
    for fragment in (
        "population.age_sd = 0.5 (set in this file)",
        f"population.p_age_75_plus = 0.3 (set in {base})",
        "population.age_mean = 72.1 (default)",
    ):
        assert fragment in error.message, f"expected {fragment!r} in: {error.message}"


def test_a_joint_rule_broken_by_an_override_names_the_override_and_its_key():
    scenario = load_scenario(USUAL_CARE)
    with pytest.raises(ScenarioError) as info:
        scenario.with_overrides({"population.age_sd": 0.1}, origin="<command line>")
    assert (info.value.file, info.value.key) == ("<command line>", "population.age_sd")
    assert "population.age_sd = 0.1 (set in this file)" in info.value.message
    assert "population.p_age_75_plus = 0.427 (default)" in info.value.message


def test_a_share_rule_lists_every_share_and_which_the_user_set(tmp_path):
    path = write(
        tmp_path / "shares.toml",
        "[population]\np_stage_3a_no_proteinuria = 0.5\np_stage_3a_proteinuria = 0.3\n",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = info.value.message
    assert info.value.key == "population.p_stage_3a_no_proteinuria"
    assert "population.p_stage_3a_no_proteinuria = 0.5 (set in this file)" in message
    assert "population.p_stage_3a_proteinuria = 0.3 (set in this file)" in message
    others = [k for k in PARAMS if k.startswith("population.p_stage_3b")]
    assert others and all(f"{k} = " in message and "(default)" in message for k in others), (
        f"expected every share of the rule listed, with the defaults marked: {message}"
    )
