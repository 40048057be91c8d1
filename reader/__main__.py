"""`python -m reader` is the same as the `briefing-reader` command."""

import sys

from reader.app import main

if __name__ == "__main__":
    # The search index builds large libraries in worker processes ("spawn"); in the frozen app
    # those workers re-run this executable, and freeze_support() turns them into workers.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
