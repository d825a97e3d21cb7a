"""``python -m guichet`` and the ``guichet`` console script."""

from __future__ import annotations

import gc
import sys


def main() -> int:
    """Start guichet with the garbage collector paused from the very first import.

    Start-up creates tens of thousands of objects that live as long as the process (modules,
    classes, the catalog, the widgets): collecting them again and again is wasted time. The TUI
    collects once, freezes them and re-enables the collector after its first paint; the other
    commands re-enable it as soon as their arguments are parsed (see ``guichet.cli.main``).
    """
    gc.disable()
    from guichet.cli.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
