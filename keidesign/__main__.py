"""``python -m keidesign`` runs the command line."""

import sys

from keidesign.cli import main

sys.exit(main())
