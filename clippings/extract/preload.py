"""Imported by the worker pool's fork server (``clippings.workers``) before it forks any
worker: the extraction code and langdetect's profiles (0.5 s, ~25 MB) are loaded once there,
so each worker starts ready and shares them instead of loading its own copy."""

from clippings.extract.language import load_profiles

load_profiles()
