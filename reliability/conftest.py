"""The reliability suite (docs/reliability.md): its helpers live in ``lesto_reliability``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
