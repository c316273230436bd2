"""Checks that a report page speaks plainly: shared by the report tests."""

from __future__ import annotations

import collections
import re


def page_text(page: str) -> str:
    """The readable text of a report page: no embedded images, no raw provenance, no tags."""
    page = re.sub(r'src="data:[^"]*"', "", page)
    page = re.sub(r"<details><summary>provenance\.json.*?</details>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def assert_plain(page: str) -> None:
    """No internal labels (targets T1-T9, the dossier), no scientific notation, no repeats."""
    text = page_text(page)
    labels = sorted(set(re.findall(r"\bT[1-9][a-z]?\b", text)))
    assert not labels, f"expected no internal target labels; found {labels}"
    assert "dossier" not in text.lower(), "expected no reference to the dossier"
    assert not re.search(r"\d\.?\d*e[+-]\d", text), "expected no number in scientific notation"
    paragraphs = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", x)).strip()
        for x in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", page, re.S)
        if not x.startswith("<code>")
    ]
    repeated = [p for p, n in collections.Counter(paragraphs).items() if n > 1 and len(p) > 40]
    assert not repeated, f"expected no repeated paragraph; found {repeated}"
