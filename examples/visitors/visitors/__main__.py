"""``python -m visitors``: the start module."""

from visitors.main import main

raise SystemExit(main())
