"""``python -m curriculum.figures [name ...]``: regenerate lesson figures (all by default)."""

import sys

from curriculum.figures import build

if __name__ == "__main__":
    paths = build(sys.argv[1:] or None)
    print(f"wrote {len(paths)} figure(s) to {paths[0].parent if paths else '-'}")
