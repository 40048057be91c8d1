"""Small pieces every layer uses: background work, settings, the theme (its one colour API) and
the status-bar job. Imports nothing else of reader.ui."""
