"""Benchmarks: run `python -m bench` (see bench/__main__.py); never timed tests."""
