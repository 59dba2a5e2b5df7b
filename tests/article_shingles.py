"""Runs of words shared with the source articles, found without keeping the articles' text.

The guide paraphrases four articles and must never copy a run of eight or more words from them.
The project does not hold the articles, so this module keeps only a fingerprint of them:
``tests/data/article-shingles.txt`` lists, one per line, the first 16 hex digits of the SHA-256 of
every run of :data:`RUN` consecutive words of each article, the words found and folded as the
review tool that lists shared runs finds them (lower case, ``[a-z0-9]+`` with an ASCII apostrophe
suffix). A test can then look for shared runs in anything the build makes, such as the search
index, where table cells and list items are joined into one text.

Regenerate the list from the folder of the articles (one ``.txt`` file each)::

    .venv/bin/python tests/article_shingles.py ARTICLES_DIR
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from collections.abc import Iterable
from pathlib import Path

RUN = 8
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
TAG = re.compile(r"<[^>]*>")
FINGERPRINTS = Path(__file__).parent / "data" / "article-shingles.txt"


def words(text: str) -> list[str]:
    """The words of ``text`` (HTML tags and entities read as a browser shows them)."""
    return WORD.findall(html.unescape(TAG.sub(" ", text)).lower())


def fingerprint(run: Iterable[str]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def runs(found: list[str]) -> Iterable[tuple[int, str]]:
    """``(position, fingerprint)`` of every run of :data:`RUN` words of ``found``."""
    for start in range(len(found) - RUN + 1):
        yield start, fingerprint(found[start : start + RUN])


def load() -> frozenset[str]:
    return frozenset(FINGERPRINTS.read_text(encoding="utf-8").split())


def shared_runs(text: str, known: frozenset[str], titles: Iterable[str] = ()) -> list[str]:
    """The longest runs of ``text`` made of runs whose fingerprint is in ``known``, as words; a
    run inside one of ``titles`` (an article's title, which a citation may quote whole), give or
    take one word at each end, is left out, as the review tool leaves it out."""
    found = words(text)
    shared = [print_ in known for _, print_ in runs(found)]
    title_words = [f" {' '.join(words(title))} " for title in titles]
    out, start = [], 0
    while start < len(shared):
        if not shared[start]:
            start += 1
            continue
        end = start
        while end + 1 < len(shared) and shared[end + 1]:
            end += 1
        run = found[start : end + RUN]
        cores = [run, run[1:], run[:-1], run[1:-1]]
        if not any(f" {' '.join(c)} " in t for t in title_words for c in cores if len(c) >= RUN - 2):
            out.append(" ".join(run))
        start = end + 1
    return out


def main(folder: str) -> int:
    prints = sorted({p for path in sorted(Path(folder).glob("*.txt")) for _, p in runs(words(path.read_text()))})
    FINGERPRINTS.write_text("\n".join(prints) + "\n", encoding="utf-8")
    print(f"{FINGERPRINTS}: {len(prints)} fingerprints")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1]))
