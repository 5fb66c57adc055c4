"""Evaluation: synthetic datasets with gold, metrics, runner and report."""
