"""Scanned twins of the independent author's passage corpus (tests/data/wording_variations.jsonl): each passage is
printed on an A4 page (its own line breaks kept, long lines wrapped), degraded like a poor scan (make_scans.degrade)
and read back by the project's OCR (ingestion.ocr.ocr_page, tesseract fra). Output: wording_variations_ocr.jsonl,
one {"id", "text" (the OCR text), "facts" (the author's gold, unchanged)} per line, for `eval facts`.

    PYTHONPATH=. .venv/bin/python tests/data/road_scanned/make_passage_scans.py
"""
from __future__ import annotations

import json
import random
import tempfile
import textwrap
from pathlib import Path

from make_scans import degrade  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "wording_variations.jsonl"
FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"]


def page_image(text: str, rnd: random.Random):
    """The passage printed at 150 dpi on A4 (1240 x 1754 px), 10–11 pt."""
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(im)
    size = rnd.choice([20, 21, 22, 23])
    font = ImageFont.truetype(rnd.choice(FONTS), size)
    y = 120
    for raw in text.splitlines() or [""]:
        for line in textwrap.wrap(raw, 78) or [""]:
            draw.text((110, y), line, fill=0, font=font)
            y += int(size * 1.45)
    return im


def main() -> None:
    from ingestion.ocr import ocr_page

    rows = [json.loads(x) for x in SOURCE.read_text(encoding="utf-8").splitlines() if x.strip()]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in rows:
            rnd = random.Random(f"passage/{r['id']}")
            im = degrade(page_image(r["text"], rnd), rnd)
            pdf = Path(tmp) / "p.pdf"
            im.save(pdf, "PDF", resolution=150, quality=rnd.randint(35, 60))
            got = ocr_page(str(pdf), 0)
            out.append({"id": r["id"], "text": got.text, "facts": r.get("facts", {}),
                        "confidence": got.confidence})
    (HERE / "wording_variations_ocr.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out), encoding="utf-8")
    print(len(out), "passages")


if __name__ == "__main__":
    main()
