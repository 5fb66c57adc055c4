"""Shared domain models, settings, errors and backend Protocols. Imports no backend library."""
