"""Section [outputs]: what a run writes."""

from __future__ import annotations

from sim.config.param_spec import Registry

PARAMS = Registry()

# --- outputs ---------------------------------------------------------------------------------
PARAMS.add(
    "outputs.folder",
    "",
    "str",
    "path",
    "-",
    "Sub-folder of the output folder for this scenario's runs (default: the scenario file "
    "name). Must be a relative path inside the output folder.",
)
PARAMS.add(
    "outputs.formats",
    ["parquet", "csv"],
    "choice_list",
    "-",
    "-",
    "Table formats to write.",
    choices=("parquet", "csv"),
)
PARAMS.add("outputs.figures", True, "bool", "-", "-", "Write PNG figures.")
PARAMS.add("outputs.graphml", False, "bool", "-", "-", "Export the network as GraphML.")
PARAMS.add(
    "outputs.example_patient",
    -1,
    "int",
    "patient index",
    "-",
    "Patient whose personal community is drawn; -1 picks a patient with a diverse network of "
    "typical size.",
    low=-1,
)
PARAMS.add(
    "outputs.patient_weeks",
    [],
    "int_list",
    "weeks",
    "-",
    "Weeks at which every patient's state is recorded.",
    low=0,
)
