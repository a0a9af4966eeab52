"""Figures of leptonsim's results folders and sweeps; run as `tools/plot` (see docs/plots.md)."""
