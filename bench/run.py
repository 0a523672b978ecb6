"""Side-by-side HTTP benchmarks: `hatch run bench:all`, or `python bench/run.py --help`."""

import sys

from harness.cli import main

if __name__ == "__main__":
    sys.exit(main())
