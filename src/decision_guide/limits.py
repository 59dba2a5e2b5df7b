"""Every limit on the knowledge base, in one place: what a file may hold so that any input,
however hostile, gets an answer in seconds and bounded memory.

Each limit is far above what the real guide needs (in brackets) and low enough that the work
stays small; the check command names the limit a file breaks.
"""

from __future__ import annotations

import os

#: Largest file, in bytes of UTF-8 [about 130 KiB]; checked in about three seconds on one core.
#: Benchmarks of far larger synthetic guides raise it with ``DECISION_GUIDE_MAX_BYTES``.
MAX_BYTES = int(os.environ.get("DECISION_GUIDE_MAX_BYTES", 1024 * 1024))
#: Deepest nesting of mappings and lists [7].
MAX_DEPTH = 24
#: Most items in any list [about 70 sources]; longer lists are refused while the file is read.
MAX_ENTRIES = 10_000
#: Most items in a list inside an entry: answers, reasons, steps, citations ... [10].
MAX_ITEMS = 50
#: Longest one-line field, in characters [about 200].
LINE_MAX = 300
#: Longest paragraph field [about 900].
PARAGRAPH_MAX = 3_000
#: Longest block field (FAQ answers) [about 900].
BLOCK_MAX = 6_000
#: Longest code field [about 400].
CODE_MAX = 6_000
#: Longest URL [about 100].
URL_MAX = 500
#: Longest id [about 30].
ID_MAX = 64
#: Most questions on one path through the decision tree [3].
MAX_TREE_DEPTH = 50
#: "Did you mean" hints looked up per run; after that none, so thousands of bad references are
#: still answered at once.
MAX_HINTS = 200
