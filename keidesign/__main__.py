"""``python -m keidesign`` runs the command line, through the console script's entry
(:mod:`keidesign.console`: Ctrl-C handled from the first moment)."""

import sys

from keidesign.console import main

sys.exit(main())
