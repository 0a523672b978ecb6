"""``python -m lesto_migrate``: the same as the ``lesto-migrate`` command."""

from .cli import main

raise SystemExit(main())
