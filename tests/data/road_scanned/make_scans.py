"""Scanned twins of the hand-made road files (text written by an independent author, not by us).

Every piece of tests/data/road_handmade/dossiers/<id>/ is rendered to images and degraded the way a photocopied,
faxed or phone-scanned procedure is (low dpi, grey paper, slight rotation, speckles, blur, JPEG artefacts, an
ink stamp over the page, sometimes a hard black-and-white threshold), saved as an image-only PDF, then read back
through the project's own ingestion path (the same tesseract fra OCR routing as production). The OCR text of every
page is stored in ocr/<id>.json so that tests and `evals.scanned_eval` score the extractor without OCR at test
time. The gold is the original file's gold: the facts are the same.

    PYTHONPATH=. .venv/bin/python tests/data/road_scanned/make_scans.py [--keep-pdfs DIR]

Deterministic (seeded per piece); needs Pillow, pdftoppm and tesseract-ocr-fra.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "road_handmade"
STAMPS = ["COPIE", "PARQUET", "REÇU LE", "DUPLICATA", "ORIGINAL"]


def degrade(im, rnd: random.Random, mild: bool = False):
    """One page as a poor scanner, fax or phone photo leaves it (greyscale PIL image in, degraded image out);
    `mild` for a piece that is already a scan (a second pass at full strength leaves nothing a human could read)."""
    from PIL import Image, ImageDraw, ImageFilter

    im = im.convert("L")
    w, h = im.size
    lo, hi = rnd.randint(20, 55), rnd.randint(205, 238)
    im = im.point(lambda v: lo + (hi - lo) * v // 255)
    draw = ImageDraw.Draw(im)
    if rnd.random() < 0.8:  # an ink stamp, often over the text (rotated box with a word in it)
        sw, sh = int(w * rnd.uniform(0.22, 0.32)), int(h * rnd.uniform(0.05, 0.08))
        stamp = Image.new("L", (sw, sh), 255)
        sd = ImageDraw.Draw(stamp)
        sd.rectangle([2, 2, sw - 3, sh - 3], outline=0, width=max(3, sw // 90))
        sd.text((sw // 8, sh // 3), rnd.choice(STAMPS), fill=0)
        stamp = stamp.rotate(rnd.uniform(-18, 18), expand=True, fillcolor=255)
        x, y = rnd.randint(0, max(1, w - stamp.size[0])), rnd.randint(0, max(1, h - stamp.size[1]))
        ink = rnd.randint(90, 150)
        region = im.crop((x, y, x + stamp.size[0], y + stamp.size[1]))
        mask = stamp.point(lambda v: 255 if v < 128 else 0)
        region.paste(ink, mask=mask)
        im.paste(region, (x, y))
    im = im.rotate(rnd.uniform(-2.0, 2.0), resample=Image.BICUBIC, expand=False, fillcolor=hi - 8)
    im = Image.blend(im, Image.effect_noise((w, h), rnd.uniform(12, 24)), rnd.uniform(0.08, 0.16))
    px = im.load()
    for _ in range(int(w * h / rnd.randint(1500, 4000))):
        x, y = rnd.randrange(w), rnd.randrange(h)
        px[x, y] = rnd.randint(30, 120)
    im = im.filter(ImageFilter.GaussianBlur(rnd.uniform(0.5, 1.0)))
    if not mild and rnd.random() < 0.3:  # fax: hard threshold breaks thin strokes and fills counters
        cut = lo + int((hi - lo) * rnd.uniform(0.62, 0.72))
        im = im.point(lambda v: 0 if v < cut else 255)
    edge = Image.new("L", (rnd.randint(8, 30), h), rnd.randint(70, 140))
    im.paste(edge, (0 if rnd.random() < 0.5 else w - edge.size[0], 0))
    del draw
    return im


def scan_pdf(pdf_in: Path, pdf_out: Path, seed: str, mild: bool = False) -> None:
    """Render at a low resolution (120–170 dpi; 200 for a piece already scanned), degrade every page, write an
    image-only PDF (JPEG inside)."""
    from PIL import Image

    rnd = random.Random(seed)
    dpi = 200 if mild else rnd.choice([120, 140, 150, 170])
    tmp = Path(tempfile.mkdtemp(prefix="scan-"))
    try:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf_in), str(tmp / "p")], check=True)
        pages = [degrade(Image.open(f), rnd, mild) for f in sorted(tmp.glob("p*.png"))]
        pages[0].save(pdf_out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:],
                      quality=rnd.randint(30, 55))
    finally:
        shutil.rmtree(tmp)


def ocr_dossier(folder: Path, dossier: str, work: Path) -> list[dict]:
    """Ingest the scanned folder through the real pipeline (OCR included) and return every page's text."""
    from api.services import Services
    from core.settings import Settings

    sv = Services(Settings(paths={"data_dir": work / "var"}, llm={"backend": "none"},
                           embedding={"backend": "hash"}, vector_store={"backend": "memory"}))
    try:
        sv.ingestor.ingest([folder], dossier)
        out = []
        for d in sv.catalog.documents(dossier):
            pages = sv.catalog.pages(d.id)
            out.append({"file": d.filename, "cote": d.cote, "title": d.title,
                        "pages": [{"number": p.number, "text": p.text, "ocr": p.ocr, "cote": p.cote,
                                   "cote_page": p.cote_page, "confidence": p.ocr_confidence} for p in pages]})
        return sorted(out, key=lambda x: x["file"])
    finally:
        sv.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--keep-pdfs", type=Path, default=None, help="keep the scanned dossiers in this folder")
    ap.add_argument("--only", default=None, help="one dossier id")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="road-scans-"))
    (HERE / "ocr").mkdir(exist_ok=True)
    for src in sorted((SOURCE / "dossiers").iterdir()):
        if args.only and src.name != args.only:
            continue
        dst = (args.keep_pdfs or work) / src.name
        dst.mkdir(parents=True, exist_ok=True)
        gold = json.loads((SOURCE / "gold" / f"{src.name}.json").read_text(encoding="utf-8"))
        already = {d["file"] for d in gold.get("documents", []) if d.get("scanned")}
        for pdf in sorted(src.glob("*.pdf")):
            scan_pdf(pdf, dst / pdf.name, seed=f"{src.name}/{pdf.name}", mild=pdf.name in already)
        if (src / "manifest.csv").exists():
            shutil.copy(src / "manifest.csv", dst / "manifest.csv")
        pages = ocr_dossier(dst, src.name, work / f"var-{src.name}")
        (HERE / "ocr" / f"{src.name}.json").write_text(json.dumps({"dossier": src.name, "documents": pages},
                                                                  ensure_ascii=False, indent=1), encoding="utf-8")
        print(src.name, sum(len(d["pages"]) for d in pages), "pages")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
