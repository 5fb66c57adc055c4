"""Interfaces: the FastAPI app, its web page, and the assistant-parquet CLI."""
