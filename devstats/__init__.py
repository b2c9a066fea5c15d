"""devstats: a developer's year in open source, counted correctly."""

__version__ = "0.1.0"
