"""Bad input, in one family: a scenario file, a data file or a command-line option.

Every kind carries the file, the key and a message saying what is wrong and what is allowed, and
reads ``<file>: <key>: <message>``. The command line (:func:`sim.cli.main`) catches the base class
:class:`InputError`, prints ``error: <file>: <key>: <message>`` and exits with code 2, before
anything is written.
"""

from __future__ import annotations

from pathlib import Path

#: The "file" of an error in a command-line option.
COMMAND_LINE = "<command line>"


class InputError(Exception):
    """Bad input: names where it is and what is allowed (base of every kind below).

    Attributes:
        file: The file that holds the bad value (``"<command line>"`` for an option).
        key: What is at fault in it: a dotted key, a CSV row and column, or an option.
        message: What is wrong and what is allowed.
    """

    def __init__(self, file: str | Path, key: str, message: str) -> None:
        self.file, self.key, self.message = str(file), key, message
        super().__init__(f"{self.file}: {key}: {message}")


class ScenarioError(InputError):
    """A scenario file (or another TOML input: sweep, calibration, an override) is invalid.

    ``file`` is the TOML file (or ``"<override>"``/``"<command line>"`` for a value set in code
    or by an option such as ``--seed``), ``key`` the dotted key or a location such as ``line 3``.
    """


class DataFileError(InputError):
    """A data file (a survey CSV) is invalid: ``key`` is ``"<file name>:row <r>:<column>"``."""


class OptionError(InputError):
    """A command-line option is invalid: ``key`` is the option (``--seed``)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(COMMAND_LINE, option, message)
