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


def test_readings_written_in_words_keep_every_decimal():
    from evals.datasets.route_variants import words_decimal
    from orientation.lexicon import words_decimal as parse_words_decimal

    for value in (1.038, 0.434, 0.809, 1.04, 0.4, 0.86, 2.005, 1.0, 0.25):
        whole, decimals = words_decimal(value).split(" virgule ")
        assert parse_words_decimal(whole, decimals) == value, words_decimal(value)


def test_example_pieces_state_the_breath_readings_of_their_gold():
    from orientation.extract import apply_ticks, fold_for_numbers
    from orientation.quantities import AIR, find_quantities

    checked = 0
    for gold_file in EXAMPLES.glob("route-*/gold.json"):
        gold = json.loads(gold_file.read_text())
        readings = gold["facts"].get("alcohol_air_mg_l_readings", {}).get("value") or []
        for doc in (d for d in gold["documents"] if not d["scanned"]):
            pdf = pdfium.PdfDocument(str(gold_file.parent / doc["file"]))
            text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
            for q in find_quantities(apply_ticks(fold_for_numbers(text))):
                if q.kind == AIR:
                    assert q.value in readings, (gold_file.parent.name, doc["file"], q.value, readings)
                    checked += 1
    assert checked >= 6
