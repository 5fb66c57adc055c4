"""One contract for every DocumentParser: the fake, the native text layer (pypdfium2) and OCR (tesseract) on a
scan of the same pages. Text is checked by content (OCR may misread a letter), boxes by position on the page."""
from __future__ import annotations

import io

import pytest

from core.errors import UnsupportedDocument
from core.protocols import DocumentParser
from core.text import normalize_for_match

PAGES = [
    ["PROCÈS-VERBAL DE CONSTATATIONS", "Le conducteur du véhicule immatriculé AB-123-CD est contrôlé à 23 h 52.",
     "Mesure à l'éthylomètre : 0,62 milligramme par litre d'air expiré.",
     "Le conducteur reconnaît avoir consommé de la bière au restaurant."],
    ["AUDITION DU TÉMOIN", "Le témoin déclare avoir vu un scooter noir quitter la place de la gare.",
     "Il ne connaît pas le conducteur et ne peut pas le décrire davantage."],
]
BOTTOM_LINE = "Fin de la page lue en bas de la feuille."


def _native_pdf(path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in PAGES:
        y = 780
        for line in lines:
            c.setFont("Helvetica", 12)
            c.drawString(56, y, line)
            y -= 24
        c.drawString(56, 90, BOTTOM_LINE)
        c.showPage()
    c.save()


def _scanned_pdf(native, path) -> None:
    from ingestion.pdf import render_pages

    images = list(render_pages(str(native), 200, mode="L"))
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    path.write_bytes(buf.getvalue())


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parser")
    native, scanned = folder / "native.pdf", folder / "scanned.pdf"
    _native_pdf(native)
    _scanned_pdf(native, scanned)
    broken = folder / "broken.pdf"
    broken.write_bytes(native.read_bytes()[:300])
    return {"native": native, "scanned": scanned, "broken": broken}


@pytest.fixture(scope="module", params=["fake", "native", "ocr"])
def case(request, files):
    from ingestion.ocr import OcrPdfParser, tesseract_available
    from ingestion.pdf import FakeParser, NativePdfParser

    if request.param == "fake":
        texts = ["\n".join(lines + [BOTTOM_LINE]) for lines in PAGES]
        parser, path = FakeParser({str(files["native"]): texts}), str(files["native"])
    elif request.param == "native":
        parser, path = NativePdfParser(), str(files["native"])
    else:
        if not tesseract_available():
            pytest.skip("tesseract absent")
        parser, path = OcrPdfParser(dpi=200), str(files["scanned"])
    return parser, parser.parse(path), str(files["broken"])  # parsed once per parser (OCR takes seconds)


def _words(text: str) -> set[str]:
    return {w for w in normalize_for_match(text).replace("'", " ").split() if len(w) > 2}


def test_every_page_is_read_in_order_with_its_content(case):
    parser, pages, _ = case
    assert isinstance(parser, DocumentParser)
    assert [p.number for p in pages] == [1, 2]
    for page, lines in zip(pages, PAGES, strict=True):
        expected, got = _words(" ".join(lines)), _words(page.text)
        assert len(expected & got) >= 0.85 * len(expected), sorted(expected - got)
    assert "ab123cd" in normalize_for_match(pages[0].text) and "0.62" in normalize_for_match(pages[0].text)
    assert "scooter" in pages[1].text and "scooter" not in pages[0].text


def test_lines_index_the_text_and_lie_on_the_page_top_down(case):
    _, pages, _ = case
    assert len(pages) == 2
    for page in pages:
        assert page.lines and 500 < page.width < 700 and 700 < page.height < 900  # A4 in points, whatever the dpi
        previous_end = -1
        for line in page.lines:
            assert previous_end < line.start <= line.end <= len(page.text) and page.text[line.start:line.end].strip()
            box = line.bbox
            assert 0 <= box.x0 < box.x1 <= page.width and 0 <= box.y0 < box.y1 <= page.height
            previous_end = line.end
        tops = [ln.bbox.y0 for ln in page.lines]
        assert tops == sorted(tops)  # one column: reading order is top-down


def test_a_line_is_boxed_where_it_is_printed(case):
    page = case[1][0]
    title = next(ln for ln in page.lines if "PROC" in page.text[ln.start:ln.end].upper())
    bottom = next(ln for ln in page.lines if "feuille" in page.text[ln.start:ln.end])
    assert title.bbox.y1 < page.height / 4 and bottom.bbox.y0 > page.height / 2  # origin top-left, not bottom-left


def test_an_unreadable_file_is_refused_in_french(case):
    parser, _, broken = case
    with pytest.raises(UnsupportedDocument) as err:
        parser.parse(broken)
    assert "PDF" in err.value.message
