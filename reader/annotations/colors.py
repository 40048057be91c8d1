"""Highlight colours: their names (stable, stored in the database and exports) and paper tints.

Kept apart from the record types in `model` so that the command line can offer the names
without loading them (every start of the app builds the command line).
"""

COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = COLORS[0]
# Paper/light-theme tints of the colours; one place for the window, printing and exports.
COLOR_HEX = {"yellow": "#fff3a0", "green": "#c8e6b0", "blue": "#b9dcf7", "pink": "#f8c4d8",
             "purple": "#dacdf0"}
