"""Briefing updates in the window: What Changed, the changes dock and the diff."""
