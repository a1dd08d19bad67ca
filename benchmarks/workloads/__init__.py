"""Workloads of the side-by-side benchmark (``benchmarks/run.py``).

Each module exposes ``run(ctx) -> list[Figure]``: it starts its own isolated servers through
:mod:`.sides`, measures, and stops them (also on errors). :mod:`.common` holds the figure
record, statistics and the process-cleanup registry every workload relies on.
"""
