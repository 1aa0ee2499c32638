"""Fetching a council's own repository into a bare cache, and reading files from it, as hostile input.

Each source has a bare repository of its own, `.cache/sources/<CODE>.git`, made by us with no hooks and no
template. Git runs with a scrubbed environment (no system or user git config, no credential helper, no
terminal prompt, no askpass, LFS smudging off) and, on every command, options that turn off what a hostile
repository could use: hooks (`core.hooksPath=/dev/null`), submodules, every protocol but https (and `file`
when local paths are allowed, for tests), redirects, automatic gc, and objects that fail `fsck`. A fetch has a
time limit and a size limit (the bytes it adds to the cache), both enforced by killing git's whole process
group. Nothing is ever checked out: files are read with `git ls-tree` and `git cat-file --batch`, so no
attribute, filter or link in the source ever acts on this machine.

`FetchFailed` carries one plain-English sentence for the source's owners.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from commons.sources.config import Source, is_local

CACHE = Path(".cache") / "sources"
TIME_LIMIT = 120.0  # seconds per source
SIZE_LIMIT = 50 * 1024 * 1024  # bytes a fetch may add to a source's cache
FETCHED = "refs/commons/fetched"  # what the last fetch brought (not yet accepted)
PINNED = "refs/commons/pinned"  # the locked commit, kept so its objects are never pruned
POLL = 0.05  # seconds between checks of a running fetch
MAX_ADVERTISED = 1024 * 1024  # bytes of `git ls-remote` read; a longer answer is fetched instead
_SHA_LINE = re.compile(r"^[0-9a-f]{40}$")


class FetchFailed(Exception):
    """A source could not be fetched; the message says why in plain English."""


@dataclass(frozen=True)
class TreeItem:
    """One entry of a commit's tree under the source's folder, as `git ls-tree -r -l` lists it."""

    mode: str  # 100644, 100755, 120000 (a symbolic link), 160000 (a submodule)
    kind: str  # blob or commit
    sha: str
    size: int  # -1 for a submodule
    path: bytes  # relative to the source's folder, as git stores it (not necessarily UTF-8)


def cache_of(root: Path, code: str) -> Path:
    return root / CACHE / f"{code}.git"


def git_env() -> dict[str, str]:
    """The environment every git command on a source runs in: nothing from this machine's git setup."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C", "LC_ALL": "C",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
           "GIT_LFS_SKIP_SMUDGE": "1", "GIT_ASKPASS": "", "SSH_ASKPASS": "", "GIT_PROTOCOL_FROM_USER": "0",
           "GIT_NO_REPLACE_OBJECTS": "1", "HOME": os.devnull}
    return env


def _options(local: bool) -> list[str]:
    options = ["core.hooksPath=/dev/null", "protocol.allow=never", "protocol.https.allow=always",
               "credential.helper=", "core.askPass=", "http.followRedirects=false", "submodule.recurse=false",
               "fetch.recurseSubmodules=false", "transfer.fsckObjects=true", "gc.auto=0", "maintenance.auto=false",
               "core.fsmonitor=false", "core.symlinks=false", "fetch.writeCommitGraph=false", "lfs.fetchexclude=*"]
    if local:
        options.append("protocol.file.allow=always")
    return [part for o in options for part in ("-c", o)]


def git(cache: Path, *args: str, local: bool = False, stdin: bytes | None = None) -> bytes:
    """One git command on a source's cache, in the scrubbed environment; its output. Raises FetchFailed."""
    command = ["git", *_options(local), f"--git-dir={cache}", *args]
    done = subprocess.run(command, input=stdin, capture_output=True, env=git_env()) if stdin is not None else \
        subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=git_env())
    if done.returncode != 0:
        raise FetchFailed(_said(done.stderr) or f"git {args[0]} failed")
    return done.stdout


def _said(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    fatal = [line.removeprefix("fatal: ") for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or [""])[0][:300]


def ensure_cache(root: Path, code: str) -> Path:
    cache = cache_of(root, code)
    if not (cache / "HEAD").is_file():
        cache.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "--bare", "--quiet", "--template=", str(cache)], check=True,
                       capture_output=True, env=git_env())
    return cache


def fetch(root: Path, source: Source, want: str = "", time_limit: float = TIME_LIMIT,
          size_limit: int = SIZE_LIMIT) -> str:
    """Fetch `source`'s ref (or, with `want`, that one commit) into its cache; the commit fetched.

    Raises FetchFailed saying why: not reachable, the branch gone, too slow, too large."""
    cache = ensure_cache(root, source.council)
    local = is_local(source.url)
    target = want or source.ref
    refspec = f"+{target}:{FETCHED}"
    args = ["git", *_options(local), f"--git-dir={cache}", "fetch", "--quiet", "--no-tags", "--no-recurse-submodules",
            "--no-write-fetch-head", "--no-auto-gc", "--", source.url, refspec]
    before = _size(cache)
    proc = subprocess.Popen(args, env=git_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + time_limit
    stderr = b""
    while True:
        try:
            _, stderr = proc.communicate(timeout=POLL)
            break
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() > deadline:
            _kill(proc)
            _clean_partial(cache)
            raise FetchFailed(f"fetching took longer than the limit of {time_limit:g} seconds")
        if _size(cache) - before > size_limit:
            _kill(proc)
            _clean_partial(cache)
            raise FetchFailed(f"the repository is larger than the limit of {_mb(size_limit)}")
    if proc.returncode != 0:
        said = _said(stderr)
        if "couldn't find remote ref" in said or "not our ref" in said or "unadvertised object" in said:
            what = f"the commit {want[:12]}" if want else f"the branch or tag '{source.ref}'"
            raise FetchFailed(f"{what} is not in the repository any more ({said})")
        raise FetchFailed(f"the repository could not be fetched: {said or 'git failed'}")
    if _size(cache) - before > size_limit:
        raise FetchFailed(f"the repository is larger than the limit of {_mb(size_limit)}")
    return git(cache, "rev-parse", "--verify", "--end-of-options", f"{FETCHED}^{{commit}}").decode().strip()


def remote_tip(cache: Path, source: Source, time_limit: float = TIME_LIMIT) -> str:
    """The commit the source's ref is at, asked with one `git ls-remote` (no objects are transferred), under the
    same options, environment and time limit as a fetch; "" when that cannot be told for certain (git failed,
    the answer is too long, or the name is ambiguous: the caller then fetches, which says why). Raises
    FetchFailed only when the time limit is reached."""
    local = is_local(source.url)
    args = ["git", *_options(local), f"--git-dir={cache}", "ls-remote", "--", source.url]
    with tempfile.TemporaryFile() as answer:  # a file, not a pipe: its size is watched, as a fetch's is
        proc = subprocess.Popen(args, env=git_env(), stdin=subprocess.DEVNULL, stdout=answer,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + time_limit
        while True:
            try:
                proc.wait(timeout=POLL)
                break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                _kill(proc)
                raise FetchFailed(f"fetching took longer than the limit of {time_limit:g} seconds")
            if os.fstat(answer.fileno()).st_size > MAX_ADVERTISED:
                _kill(proc)
                return ""
        answer.seek(0)
        out = answer.read(MAX_ADVERTISED + 1)
    if proc.returncode != 0 or len(out) > MAX_ADVERTISED:
        return ""
    refs: dict[str, str] = {}
    for line in out.decode("ascii", "replace").splitlines():
        sha, _, name = line.partition("\t")
        if name.endswith("^{}"):
            refs[name[:-3]] = sha  # an annotated tag, peeled to what it names
        else:
            refs.setdefault(name, sha)
    # Every name git's rules could take the ref for (git fetch resolves it by the same rules).
    names = [rule.format(source.ref) for rule in ("{}", "refs/{}", "refs/tags/{}", "refs/heads/{}",
                                                  "refs/remotes/{}", "refs/remotes/{}/HEAD")]
    found = {refs[n] for n in names if n in refs}
    tip = found.pop() if len(found) == 1 else ""
    return tip if _SHA_LINE.match(tip) else ""


def read_ref(cache: Path, name: str) -> str:
    """What one of our own refs in the cache (`PINNED`, `FETCHED`) points at, read from its file ("" if none)."""
    try:
        text = (cache / name).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if not text:
        try:
            for line in (cache / "packed-refs").read_text(encoding="ascii").splitlines():
                if line.endswith(f" {name}"):
                    text = line.split(" ", 1)[0]
        except (OSError, UnicodeDecodeError):
            pass
    return text if _SHA_LINE.match(text) else ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # git's children (remote helpers, upload-pack) too
    except ProcessLookupError:
        pass
    proc.communicate()


def _clean_partial(cache: Path) -> None:
    for tmp in (cache / "objects" / "pack").glob("tmp_*"):
        tmp.unlink(missing_ok=True)
    for stray in (cache / "objects").glob("incoming-*"):
        shutil.rmtree(stray, ignore_errors=True)


def _size(folder: Path) -> int:
    total = 0
    for base, _, names in os.walk(folder / "objects"):
        for name in names:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                pass  # a temporary file git has just renamed
    return total


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


def has_commit(cache: Path, sha: str) -> bool:
    if not sha or not (cache / "HEAD").is_file():
        return False
    try:
        git(cache, "cat-file", "-e", f"{sha}^{{commit}}")
        return True
    except FetchFailed:
        return False


def pin(cache: Path, sha: str) -> None:
    """Keep `sha` (the locked commit) in the cache, whatever is fetched later."""
    git(cache, "update-ref", PINNED, sha)


def commit_date(cache: Path, sha: str) -> str:
    """The commit's committer date, ISO 8601 in UTC."""
    out = git(cache, "log", "-1", "--no-show-signature", "--format=%ct", sha, "--").decode().strip()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(out))) if out.isdigit() else ""


def tree(cache: Path, sha: str, folder: str, most: int) -> list[TreeItem] | None:
    """Every file under `folder` ("" for the top) in commit `sha`, recursively, up to `most` + 1 of them (a
    small pack can hold trees of millions of entries: git is stopped once there are more); None when there is
    no such folder. Submodules are listed (as kind "commit"), never entered. One `git ls-tree` (asked why only
    when it fails)."""
    command = ["git", *_options(False), f"--git-dir={cache}", "ls-tree", "-r", "-l", "-z", "--full-tree",
               f"{sha}:{folder}" if folder else sha]
    proc = subprocess.Popen(command, env=git_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    assert proc.stdout is not None
    records: list[bytes] = []
    pending = b""
    while len(records) <= most:
        chunk = proc.stdout.read(65536)
        if not chunk:
            break
        *done, pending = (pending + chunk).split(b"\0")
        records += done
    if len(records) > most:
        _kill(proc)
    elif proc.wait() != 0:
        try:
            kind = git(cache, "cat-file", "-t", f"{sha}:{folder}" if folder else f"{sha}^{{tree}}").strip()
        except FetchFailed:
            return None
        if kind != b"tree":
            return None
        raise FetchFailed(f"the files of {sha[:12]} could not be listed")
    items = []
    for record in records[: most + 1]:
        if not record:
            continue
        head, _, path = record.partition(b"\t")
        mode, kind_b, obj, size = head.split(None, 3)
        items.append(TreeItem(mode.decode(), kind_b.decode(), obj.decode(), int(size) if size.isdigit() else -1,
                              path))
    return items


def read_blobs(cache: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of the given blobs (each read once, however many times it is listed)."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = git(cache, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in wanted).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise FetchFailed(f"the object {sha[:12]} is missing from the cache")
        size = int(header[2])
        blobs[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return blobs

