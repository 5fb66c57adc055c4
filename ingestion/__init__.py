"""Files -> pages -> chunks -> stored: parsing, OCR routing, cote detection, chunking, indexing."""
