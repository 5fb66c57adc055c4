"""Passages -> drafts with verified citations: LLM backends, evidence selection, drafting, verifier."""
