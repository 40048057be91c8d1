"""`python -m reader` is the same as the `briefing-reader` command."""

import sys

from reader import timing

timing.mark("python ready")

if __name__ == "__main__":
    # The search index builds large libraries in worker processes ("spawn"); in the frozen app
    # those workers re-run this executable, and freeze_support() turns them into workers.
    from reader import frozen

    if frozen.is_frozen() and frozen.is_multiprocessing_child(sys.argv):
        import multiprocessing

        frozen.enable_multiprocessing()
        multiprocessing.freeze_support()  # runs the worker (or helper) and exits

from reader.app import main  # noqa: E402 - the mark above times the interpreter's start

timing.mark("command line code loaded")

if __name__ == "__main__":
    sys.exit(main())
