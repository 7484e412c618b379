"""clippings: a press-monitoring crawler for Moroccan news sites."""

__version__ = "0.1.0"
