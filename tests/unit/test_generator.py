from __future__ import annotations

import json

import pypdfium2 as pdfium

from evals.datasets.generate import generate
from tests.conftest import EXAMPLES


def test_generator_is_deterministic_for_a_seed(tmp_path):
    a = generate("route", 2, 5, tmp_path / "a", scan_share=0.0)
    b = generate("route", 2, 5, tmp_path / "b", scan_share=0.0)
    assert len(a) == 2 and all(list(folder.glob("*.pdf")) for folder in a)  # something generated to compare
    for fa, fb in zip(a, b, strict=True):
        assert (fa / "gold.json").read_text() == (fb / "gold.json").read_text()
        for pdf in fa.glob("*.pdf"):
            assert pdf.read_bytes() == (fb / pdf.name).read_bytes()


def test_every_gold_source_page_really_contains_its_value():
    checked = 0
    for gold_file in EXAMPLES.glob("*/gold.json"):
        gold = json.loads(gold_file.read_text())
        docs = {d["cote"]: d for d in gold["documents"] if not d["scanned"]}
        sources = [f["source"] for f in gold.get("facts", {}).values()] + \
                  [k["source"] for k in gold.get("key_facts", [])]
        for src in sources:
            doc = docs.get(src["cote"])
            if doc is None:
                continue
            pdf = pdfium.PdfDocument(str(gold_file.parent / doc["file"]))
            text = " ".join(pdf[src["page"] - 1].get_textpage().get_text_range().split())
            assert " ".join(src["needle"].split()) in text
            checked += 1
    assert checked > 20
