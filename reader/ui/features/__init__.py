"""The window's features, each a package independent of the others (search, annotations,
updates, printing), and the glue between two of them in modules of its own
(notes_in_search, annotations_in_print). A new feature goes in a package of its own here and is
listed in reader/ui/app/feature_list.py."""
