"""Entry point of `python3 -m plotting`, which the tools/plot launcher runs."""

import sys

from .cli import main

sys.exit(main())
