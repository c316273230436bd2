"""Bad-input corpora: each file states what its error must say, in header lines.

``# expect-key:`` gives the dotted key the error names, ``# expect-text:`` a piece of its message.
"""

from __future__ import annotations

from pathlib import Path


def expected(path: Path) -> tuple[str, str]:
    """``(key, text)`` from a corpus file's ``# expect-key:`` and ``# expect-text:`` lines."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        for field in ("key", "text"):
            if line.startswith(f"# expect-{field}: "):
                found[field] = line.split(": ", 1)[1]
    return found["key"], found["text"]
