"""Qt without widgets (QtGui, QtPrintSupport), usable by the command line as well as the window:
the installed fonts, the print layout and printing to PDF or a printer. Nothing here imports
QtWidgets or `reader.ui` (an import-linter contract in pyproject.toml holds it)."""
