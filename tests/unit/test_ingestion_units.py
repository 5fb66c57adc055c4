from __future__ import annotations

import pytest

from core.models import Page
from core.sentences import split_sentences
from core.tokens import tokens
from ingestion.chunker import chunk_page
from ingestion.cotes import cote_from_filename, stamp_of_page
from ingestion.detect import sniff
from ingestion.sparse import FrenchBM25


def test_french_abbreviations_do_not_split_sentences():
    text = "M. DUPONT déclare : J'ai bu. Selon l'art. 144 du CPP, n° 12. Mme Martin est là !"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["M. DUPONT déclare : J'ai bu.", "Selon l'art. 144 du CPP, n° 12.", "Mme Martin est là !"]


def test_wrapped_lines_stay_in_one_sentence_but_short_label_lines_split():
    text = ("Nous, gardiens de la paix et agents de police judiciaire, le 27.06.2025 à 02h56, en patrouille 72\n"
            "chemin de la Croix-Blanche.\nMesure 1 : 0,62 mg/l à 23h52\nMesure 2 : 0,60 mg/l à 00h03")
    got = [text[s:e] for s, e in split_sentences(text)]
    assert len(got) == 3 and got[1].startswith("Mesure 1")


def test_chunks_never_cross_the_page_and_offsets_point_into_it():
    body = " ".join(f"Phrase numéro {i} du procès-verbal de constatation." for i in range(60))
    page = Page(document_id="doc", number=2, text="EN-TÊTE\n" + body + "\nCote D4 — page 2/3")
    chunks = chunk_page(page, dossier_id="d", juridiction="TJ", cote="D4", cite_page=2, kind="pdf", title="t",
                        target=400, overlap=60, running=set())
    assert len(chunks) > 3
    for c in chunks:
        assert page.text[c.char_start:c.char_end] == c.text
        assert c.page == 2 and len(c.text) <= 400
        assert "Cote D4" not in c.text
    assert page.footer == "Cote D4 — page 2/3"


@pytest.mark.parametrize("name,cote", [("D12_pv.pdf", "D12"), ("D0012.pdf", "D12"), ("cote-D12.pdf", "D12"),
                                       ("piece_1234.pdf", None), ("PDF_scan.pdf", None), ("audition_d4.pdf", "D4")])
def test_cote_from_file_name(name, cote):
    assert cote_from_filename(name) == cote


@pytest.mark.parametrize("text,expected", [("x\nCote D3 — page 1/2", ("D3", 1)), ("x\nCote : B 4", ("B4", None)),
                                           ("x\nD12/3", ("D12", 3)), ("x\nPage 1/2", (None, None))])
def test_cote_from_page_stamp(text, expected):
    assert stamp_of_page(text) == expected


def test_real_type_comes_from_magic_bytes(tmp_path):
    import zipfile

    docx = tmp_path / "piece.pdf"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    (tmp_path / "vide.pdf").write_bytes(b"")
    (tmp_path / "bruit.pdf").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "vrai.bin").write_bytes(b"%PDF-1.7\n...")
    assert sniff(docx) == "docx"
    assert sniff(tmp_path / "vide.pdf") == "empty"
    assert sniff(tmp_path / "bruit.pdf") == "unknown"
    assert sniff(tmp_path / "vrai.bin") == "pdf"


def test_bm25_tokens_are_stemmed_accent_free_and_keep_identifiers():
    toks = tokens("Les conducteurs contrôlés, immatriculé AB-123-CD, taux 0,62")
    assert "ab123cd" in toks and "0.62" in toks and "les" not in toks
    assert tokens("conducteur")[0] == tokens("conducteurs")[0]
    vec = FrenchBM25().encode_document("alcool alcool conduite")
    assert len(vec.indices) == 2 and vec.values[0] != vec.values[1]
