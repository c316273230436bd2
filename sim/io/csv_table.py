"""Read a CSV file as text and parse its columns, failing with :class:`~sim.errors.DataFileError`.

Used by :mod:`sim.population.survey_files`. Cells are read as stripped strings (nothing is guessed),
then each column is parsed whole with numpy and pandas. The first bad cell raises a DataFileError
whose ``file`` is the CSV path and whose ``key`` is ``"<file name>:row <r>:<column>"``, where rows
are counted as a spreadsheet counts them (the header is row 1, the first data row is row 2); the
message quotes the bad value and says what is allowed. Labels and booleans are case-insensitive.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from sim.errors import DataFileError

#: Columns whose name starts with this are free-text notes and are ignored.
NOTE_PREFIX = "note"
TRUE_WORDS: tuple[str, ...] = ("true", "yes", "1")
FALSE_WORDS: tuple[str, ...] = ("false", "no", "0")


class CsvTable:
    """One CSV file read as text, with column parsers that raise DataFileError.

    Args:
        path: The CSV file.
        required: Columns that must be in the header.
        optional: Columns that may be in the header; any other column (except notes, see
            :data:`NOTE_PREFIX`) is an error.

    Attributes:
        path: The CSV file.
        frame: The cells as stripped strings (blank cells are ``""``).
    """

    def __init__(self, path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        self.path = path
        self.frame = _read(path)
        self._text: dict[str, np.ndarray] = {}
        columns = list(self.frame.columns)
        allowed = ", ".join((*required, *optional))
        for column in required:
            if column not in columns:
                self.fail(None, column, f"required column is missing; the header has {columns}")
        for column in columns:
            known = column in required or column in optional
            if not known and not column.lower().startswith(NOTE_PREFIX):
                self.fail(
                    None,
                    column,
                    f"unknown column {column!r}; allowed columns are {allowed} "
                    f"(and notes: columns whose name starts with {NOTE_PREFIX!r})",
                )

    def __len__(self) -> int:
        return len(self.frame)

    def has(self, column: str) -> bool:
        """Return True if the header has ``column``."""
        return column in self.frame.columns

    def fail(self, row: int | None, column: str, message: str) -> NoReturn:
        """Raise a DataFileError for data row ``row`` (0-based; None for the whole column)."""
        where = self.path.name if row is None else f"{self.path.name}:row {row + 2}"
        raise DataFileError(self.path, f"{where}:{column}", message)

    def check(self, bad: np.ndarray, column: str, message: str) -> None:
        """Fail at the first row where ``bad`` is True; ``{value}`` in ``message`` is its cell."""
        if np.any(bad):
            row = int(np.argmax(bad))
            self.fail(row, column, message.format(value=repr(self.cell(row, column))))

    def cell(self, row: int, column: str) -> str:
        """The stripped text of one cell."""
        return str(self.frame[column].iat[row])

    def text(self, column: str) -> np.ndarray:
        """The column as an object array of stripped strings."""
        if column not in self._text:
            self._text[column] = self.frame[column].to_numpy(dtype=object)
        return self._text[column]

    def ids(self, column: str) -> np.ndarray:
        """A column of identifiers: none blank, none repeated."""
        values = self.text(column)
        self.check(values == "", column, "is empty; every row needs an id")
        duplicated = pd.Series(values).duplicated().to_numpy()
        if duplicated.any():
            row = int(np.argmax(duplicated))
            first = int(np.argmax(values == values[row]))
            self.fail(row, column, f"duplicate id {values[row]!r} (already in row {first + 2})")
        return values

    def labels(
        self, column: str, labels: tuple[str, ...], needed: np.ndarray | None = None, why: str = ""
    ) -> np.ndarray:
        """Parse labels into their codes (index in ``labels``; int8; -1 where not needed).

        Args:
            column: Column name.
            labels: Allowed labels.
            needed: Rows that need a value (default: every row); the other rows must be blank.
            why: Says when the column applies, for the message about a value that must be blank.
        """
        text = self.frame[column].str.lower().to_numpy(dtype=object)
        code = pd.Index(labels).get_indexer(text).astype(np.int8)
        needed = self._needed(column, needed, why)
        allowed = ", ".join(repr(label) for label in labels)
        message = f"{{value}} is not allowed; expected one of {allowed}"
        self.check(needed & (code < 0), column, message)
        return np.where(needed, code, -1).astype(np.int8)

    def booleans(self, column: str) -> np.ndarray:
        """Parse a yes/no column (true/false, yes/no or 1/0) into a bool array."""
        text = self.frame[column].str.lower()
        true, false = text.isin(TRUE_WORDS).to_numpy(), text.isin(FALSE_WORDS).to_numpy()
        words = ", ".join(repr(w) for w in (*TRUE_WORDS, *FALSE_WORDS))
        self.check(~(true | false), column, f"{{value}} is not allowed; expected one of {words}")
        return true

    def numbers(
        self,
        column: str,
        low: float,
        high: float,
        unit: str,
        integer: bool = False,
        needed: np.ndarray | None = None,
        why: str = "",
    ) -> np.ndarray:
        """Parse numbers in ``[low, high]`` (float64; int64 and -1 where not needed if integer)."""
        value = pd.to_numeric(self.frame[column], errors="coerce").to_numpy(dtype=float)
        needed = self._needed(column, needed, why)
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(value) | (value < low) | (value > high)
            if integer:
                bad |= value != np.round(value)
        noun = "an integer" if integer else "a number"
        self.check(
            needed & bad,
            column,
            f"{{value}} is not allowed; expected {noun} in [{low:g}, {high:g}] (unit: {unit})",
        )
        if integer:
            return np.where(needed, np.nan_to_num(value), -1).astype(np.int64)
        return value

    def _needed(self, column: str, needed: np.ndarray | None, why: str) -> np.ndarray:
        """Rows that need a value; fail if a row that must be blank is not."""
        if needed is None:
            return np.ones(len(self), dtype=bool)
        blank = self.text(column) == ""
        message = f"{{value}} is not allowed here: {why}; leave it blank"
        self.check(~needed & ~blank, column, message)
        return needed


def _read(path: Path) -> pd.DataFrame:
    """Read every cell as a stripped string."""
    if not path.is_file():
        raise DataFileError(path, path.name, "file not found")
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError:
        raise DataFileError(path, path.name, "the file is empty; expected a header row") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise DataFileError(path, path.name, f"cannot read the file as CSV: {exc}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda column: column.str.strip()) if len(frame.columns) else frame
