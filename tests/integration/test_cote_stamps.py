"""A cote stamped in a frame on a scanned page (hand-made dossier B, « D1 » boxed top right) is read; a failure to
read a stamp never costs the file."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SCAN = Path(__file__).resolve().parents[2] / "evals" / "handmade" / "instruction-B" / "dossier" / "scan_0001.pdf"


def test_a_boxed_stamp_lost_by_page_ocr_is_read_from_the_page_bands():
    from ingestion.cotes import stamp_from_scan

    assert stamp_from_scan(str(SCAN), 0, 300, {"D2", "D3"}) == "D1"
    assert stamp_from_scan("/nonexistent/scan.pdf", 0, 300, set()) is None
