"""Print the packages whose installed version differs from the lock: what `make test-latest`
tested that a fresh clone (`make test`) does not get yet.

    python requirements/drift.py requirements/lock.txt versions.txt   # versions.txt: pip freeze
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(path: str) -> dict[str, str]:
    found = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def main(lock: str, installed: str) -> int:
    locked, now = pins(lock), pins(installed)
    changed = [(name, locked[name], now[name]) for name in sorted(now) if name in locked and locked[name] != now[name]]
    for name, old, new in changed:
        print(f"  {name}: {old} -> {new}")
    if not changed:
        print("  (nothing: the lock is the newest)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
