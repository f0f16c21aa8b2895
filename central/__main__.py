"""``python -m central``: the same as the ``central`` command."""

from central.cli import main

raise SystemExit(main())
