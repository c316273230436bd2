"""Provenance names every library a result depends on, with the version installed."""

from __future__ import annotations

import json
from importlib.metadata import requires, version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sim.config.scenario import default_scenario
from sim.io.provenance import library_versions, provenance
from sim.io.run_command import run_scenario

#: Libraries that change numbers: compiled kernels, statistics, sensitivity, executors, storage.
AFFECT_RESULTS = (
    "numpy", "numba", "llvmlite", "scipy", "pandas", "statsmodels", "patsy", "salib", "dask",
    "distributed", "pyarrow", "mesa", "networkx", "matplotlib",
)  # fmt: skip


def test_every_runtime_requirement_is_listed_with_its_installed_version():
    libraries, _ = library_versions()
    runtime = {
        canonicalize_name(Requirement(line).name)
        for line in requires("sim")
        if "extra ==" not in line
    }
    assert set(libraries) == runtime
    assert all(libraries[name] == version(name) for name in libraries)


def test_libraries_that_affect_results_are_recorded():
    record = provenance(seed=3, scenario_file=None)
    listed = {**record["libraries"], **record["dependencies"]}
    missing = [name for name in AFFECT_RESULTS if name not in listed]
    assert not missing, f"provenance omits {missing}"
    assert listed["llvmlite"] == version("llvmlite"), "numba's compiler, found through numba"
    assert "pytest" not in listed, "test extras do not run in a result"


def test_dependencies_are_followed_to_the_end():
    libraries, dependencies = library_versions()
    assert not set(libraries) & set(dependencies)
    for name in [*libraries, *dependencies]:
        for line in requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                needed = canonicalize_name(requirement.name)
                assert needed in libraries or needed in dependencies, f"{name} needs {needed}"


def test_a_run_folder_records_the_libraries(tmp_path):
    scenario = default_scenario().with_overrides(
        {"run.weeks": 1, "population.patients_per_practice": 30, "population.n_practices": 1}
    )
    folder = run_scenario(scenario, tmp_path, progress=False)
    record = json.loads((folder / "provenance.json").read_text())
    assert record["libraries"]["numba"] == version("numba")
    assert record["dependencies"]["llvmlite"] == version("llvmlite")
