"""``python -m alliance_kg`` runs the command-line interface."""

import sys

from alliance_kg.cli import main

sys.exit(main())
