"""Obserwatorium: development observatory and cooperation monitoring for metropolitan associations."""

__version__ = "0.1.0"
