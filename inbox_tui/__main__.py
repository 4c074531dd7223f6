"""`python -m inbox_tui` and the `connector-inbox` script: the command line in `inbox_tui.cli`."""

import sys

from inbox_tui.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
