"""Synthetic, invented case files (never real data) rendered as PDFs with their gold."""
