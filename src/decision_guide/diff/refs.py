"""The knowledge base as it stands in a git commit: ``git cat-file`` of ``REF:./PATH``.

Reads at most :data:`~decision_guide.limits.MAX_BYTES` (the size limit is checked first, as
:func:`~decision_guide.yaml_source.read_yaml_file` does for a file on disk), so a huge blob in
history costs nothing.
"""

from __future__ import annotations

import subprocess

from ..limits import MAX_BYTES
from ..problems import KnowledgeBaseError, Problem


class GitError(Exception):
    """``git`` is missing, the folder is not a repository, or the ref names no commit."""


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], capture_output=True, timeout=60, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None


def commit(ref: str) -> str:
    """The abbreviated commit id ``ref`` names. Raises :class:`GitError` when it names none."""
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    result = _git("rev-parse", "--verify", "--quiet", "--short", f"{ref}^{{commit}}")
    if result.returncode != 0:
        where = _git("rev-parse", "--git-dir")
        if where.returncode != 0:
            raise GitError("this folder is not in a git repository")
        raise GitError(f"{ref!r} names no commit of this repository")
    return result.stdout.decode().strip()


def read_at(ref: str, path: str) -> str:
    """The text of ``path`` (relative to the current folder) in commit ``ref``.

    Raises :class:`GitError` for a bad ref, and :class:`KnowledgeBaseError` (one problem, named
    ``REF:PATH``) when the file is not in that commit, is over the size limit or is not UTF-8.
    """
    commit(ref)
    name, spec = f"{ref}:{path}", f"{ref}:./{path.removeprefix('./')}"
    size = _git("cat-file", "-s", spec)
    if size.returncode != 0:
        raise KnowledgeBaseError([Problem(name, 1, 1, (), "the file is not in this commit")])
    if int(size.stdout) > MAX_BYTES:
        raise KnowledgeBaseError(
            [Problem(name, 1, 1, (), f"the file has {int(size.stdout):,} bytes", f"at most {MAX_BYTES:,} bytes")]
        )
    blob = _git("cat-file", "blob", spec)
    try:
        return blob.stdout.decode("utf-8")
    except UnicodeDecodeError as error:
        raise KnowledgeBaseError([Problem(name, 1, 1, (), f"not UTF-8 text: {error.reason}")]) from None
