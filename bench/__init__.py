"""Benchmarks of the outreach engine and the content API against real PostgreSQL, Redis, Celery and gunicorn.

`python -m bench` (or `make bench`) runs them all and writes bench/results.json; `--quick` runs each at a small
size (CI does, so they never rot). See bench/run.py for the options and README "Performance" for the figures.
"""
