"""Benchmarks that print figures (not timed tests): ``python -m explainer.bench [section ...]``.

Each section is a module here with ``run() -> None`` printing a table.
"""
