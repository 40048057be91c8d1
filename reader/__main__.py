"""`python -m reader` is the same as the `briefing-reader` command."""

import sys

from reader.app import main

sys.exit(main())
