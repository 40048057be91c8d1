"""Briefing Reader: read, search, annotate and print briefings offline."""

__version__ = "0.1.0"
APP_NAME = "Briefing Reader"
APP_ID = "briefing-reader"
