"""The start file (``hatch run demo``): ``python examples/visitors/start.py [--config FILE]``.

Runnable from any folder: it puts this example on ``sys.path`` and runs the
start module, :func:`visitors.main.main`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from visitors.main import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
