"""Speech engines: one small interface per capability (`base`), one module per backend.

Plain Python, no Django: numpy arrays and frozen dataclasses cross the boundary, results are
JSON-safe. `registry` picks a backend by settings and keeps each engine loaded once per process.
"""
