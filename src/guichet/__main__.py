"""``python -m guichet``."""

from guichet.cli import main

raise SystemExit(main())
