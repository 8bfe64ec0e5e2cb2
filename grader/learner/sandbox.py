"""Running a grader-owned process in a bubblewrap sandbox (``bwrap``).

``wrap(argv, read_only=…, writable=…)`` gives the command line that runs
``argv`` in new user, PID, IPC, UTS, cgroup and network namespaces, as an
unprivileged uid and gid, with no capabilities and no view of the host but:

- the system's programs and libraries (``/usr``, the ``/lib*`` links, a few
  files of ``/etc`` the dynamic loader reads) and this Python installation
  with its site-packages, all read-only;
- a part of the grader package (``PACKAGE_PARTS``), read-only at
  ``PACKAGE_ROOT``, never the course folder (it holds the solutions) nor the
  checks or the dataset loaders;
- the folders the caller names, each at its own path;
- an empty private ``/tmp`` (memory; the learner's is capped at its memory
  limit), a private ``/dev`` and the ``/proc`` of its own
  PID namespace; everything else is read-only.

Data folders and secrets that lie under a bound folder (``hidden_paths``:
Fashion-MNIST's Debian folder, ``$GRADER_DATA_DIR``, the Keras and grader
caches, the course folder) are covered with an empty folder.  The sandbox dies
with the process that started it (``--die-with-parent``); when its first
process ends, the kernel kills every process left in its PID namespace.

``probe()`` says once per run whether bwrap works here, and why not;
``decide(mode)`` turns ``--sandbox auto|required|off`` into what to do.
``module_command`` runs ``python -I -m MODULE`` sandboxed, for grader processes
other than the learner's (the clean room).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MODES = ("auto", "required", "off")
CI_VARIABLES = ("CI", "GITHUB_ACTIONS")
UID = 65534
"""The uid and gid inside (``nobody``); outside it is the grader's own, without capabilities."""
PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGE_PARTS = ("__init__.py", "limits.py", "learner")
"""What of the grader package the sandbox sees: the learner process's side of it.
``learner/`` holds only code (no checks, no thresholds, no data)."""
PACKAGE_ROOT = "/opt/grader-sandbox"
"""Where those parts appear inside, as ``PACKAGE_ROOT/grader/…``; it goes on ``sys.path``."""
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "alternatives",
    "nsswitch.conf",
    "fonts",  # fontconfig, which importing keras loads (through Pillow)
)
INSTALL = (
    "Install bubblewrap (Debian and Ubuntu: sudo apt-get install bubblewrap; Fedora: "
    "sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap)"
)
USERNS_OFF = (
    "No permission to create new namespace",
    "setting up uid map",
    "Creating new namespace failed",
    "Operation not permitted",
)
PROBE_SECONDS = 20.0
HIDDEN_BYTES = 64 * 1024
"""Room in each empty folder laid over a hidden one (a tmpfs takes no size of 0)."""


@dataclass(frozen=True)
class Availability:
    """Whether learner code can be sandboxed on this machine."""

    works: bool
    why: str = ""
    """Why not, in words (empty when it works)."""
    bwrap: str = ""
    """The ``bwrap`` found."""
    sizes: bool = False
    """Whether it caps a tmpfs (``--size``, bubblewrap 0.6 and later)."""


def find_bwrap() -> str | None:
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/bin", "/bin", "/usr/local/bin"])
    return shutil.which("bwrap", path=path)


@functools.cache
def probe() -> Availability:
    """Whether bwrap starts Python in a sandbox here; asked once per run."""
    bwrap = find_bwrap()
    if bwrap is None:
        return Availability(False, "bwrap is not installed")
    argv = _command(bwrap, [sys.executable, "-I", "-c", "pass"], [], [])
    try:
        run = subprocess.run(argv, capture_output=True, text=True, timeout=PROBE_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Availability(False, f"bwrap could not be run: {exc}")
    if run.returncode == 0:
        return Availability(True, bwrap=bwrap, sizes=_takes_sizes(bwrap))
    error = (run.stderr.strip().splitlines() or [f"exit code {run.returncode}"])[-1]
    if any(sign in error for sign in USERNS_OFF):
        return Availability(False, f"unprivileged user namespaces are off here ({error})")
    return Availability(False, f"bwrap cannot start a sandbox here ({error})")


def _takes_sizes(bwrap: str) -> bool:
    try:
        shown = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--size" in shown.stdout + shown.stderr


def default_mode(environ: Mapping[str, str] | None = None) -> str:
    """``required`` in CI (``CI`` or ``GITHUB_ACTIONS`` set), else ``auto``."""
    environ = os.environ if environ is None else environ
    return "required" if any(environ.get(name) for name in CI_VARIABLES) else "auto"


@dataclass(frozen=True)
class Decision:
    """What a run does about the sandbox."""

    sandboxed: bool
    note: str | None = None
    """For the scorecard and the JSON notes when the run is not sandboxed."""
    refusal: str | None = None
    """Why the run must not go ahead (``required`` and no sandbox)."""


def decide(mode: str | None) -> Decision:
    """``--sandbox MODE`` (``None``: ``default_mode()``) on this machine."""
    mode = mode or default_mode()
    if mode not in MODES:
        raise ValueError(f"--sandbox takes one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return Decision(
            False,
            "Not sandboxed (--sandbox off): learner code ran with the "
            "grader's own access to files, network and processes.",
        )
    available = probe()
    if available.works:
        return Decision(True)
    if mode == "required":
        return Decision(
            False,
            refusal=f"--sandbox required, but learner code cannot be sandboxed here: "
            f"{available.why}. {INSTALL}, or grade with --sandbox auto.",
        )
    return Decision(
        False,
        f"Not sandboxed: {available.why}. Learner code ran with your account's access; "
        f"{INSTALL[0].lower()}{INSTALL[1:]} to grade in a sandbox.",
    )


def _under(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def python_paths() -> list[Path]:
    """This Python installation and its site-packages, outside ``/usr``."""
    import site

    found = [sys.base_prefix, sys.prefix, sys.base_exec_prefix, sys.exec_prefix]
    found += site.getsitepackages()
    paths: list[Path] = []
    for path in sorted({Path(p).resolve() for p in found if Path(p).is_dir()}, key=str):
        if not _under(path, [Path(d) for d in SYSTEM_DIRS]) and not _under(path, paths):
            paths.append(path)
    return paths


def hidden_paths() -> list[Path]:
    """Folders never shown, even when they lie inside a bound one."""
    home = Path.home()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    # The whole grader package (its checks) when it is installed in site-packages, and
    # the course folder (solutions) when it is a source checkout.
    found = [Path("/usr/share/datasets"), home / ".keras", cache, PACKAGE_DIR]
    if (PACKAGE_DIR.parent / "pyproject.toml").is_file():
        found.append(PACKAGE_DIR.parent)
    if os.environ.get("GRADER_DATA_DIR"):
        found.append(Path(os.environ["GRADER_DATA_DIR"]).expanduser())
    return [path.resolve() for path in found]


def _system_args() -> list[str]:
    args: list[str] = []
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    for name in ETC_FILES:
        if Path("/etc", name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def _package_args(parts: Sequence[str]) -> list[str]:
    args = []
    for part in parts:
        args += ["--ro-bind", str(PACKAGE_DIR / part), f"{PACKAGE_ROOT}/grader/{part}"]
    return args


def _tmpfs(path: str, size: int | None) -> list[str]:
    return [*(["--size", str(size)] if size else []), "--tmpfs", path]


def _command(
    bwrap: str,
    argv: Sequence[str],
    read_only: Sequence[Path],
    writable: Sequence[Path],
    parts: Sequence[str] = (),
    tmp_bytes: int | None = None,
) -> list[str]:
    """``tmp_bytes`` caps the private /tmp (memory, which the watcher does not count as the
    learner's); the empty folders laid over hidden ones get almost no room."""
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session"]
    args += ["--uid", str(UID), "--gid", str(UID), "--cap-drop", "ALL"]
    args += _system_args()
    # /tmp first: a Python (a virtualenv) under /tmp is bound over it, not hidden by it
    args += ["--proc", "/proc", "--dev", "/dev", *_tmpfs("/tmp", tmp_bytes)]
    bound = [Path(d).resolve() for d in SYSTEM_DIRS if Path(d).is_dir()]
    for path in python_paths():
        args += ["--ro-bind", str(path), str(path)]
        bound.append(path)
    for path in hidden_paths():
        if path.is_dir() and _under(path, bound):
            args += _tmpfs(str(path), HIDDEN_BYTES if tmp_bytes else None)
    args += _package_args(parts)
    for path in read_only:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    return [*args, "--remount-ro", "/", "--", *argv]


def wrap(
    argv: Sequence[str],
    *,
    read_only: Sequence[Path],
    writable: Sequence[Path],
    parts: Sequence[str] = PACKAGE_PARTS,
    tmp_bytes: int | None = None,
) -> list[str]:
    """The command line that runs ``argv`` sandboxed (``probe()`` must have said it works).

    ``read_only`` and ``writable`` folders appear at their own paths; ``parts`` of
    the grader package at ``PACKAGE_ROOT/grader/``.  The environment and open file
    descriptors the caller passes reach ``argv`` unchanged.
    """
    available = probe()
    if not available.works:
        raise RuntimeError(f"cannot sandbox: {available.why}")
    tmp_bytes = tmp_bytes if available.sizes else None
    return _command(available.bwrap, argv, read_only, writable, parts, tmp_bytes)


MODULE_BOOT = (
    "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); "
    "runpy.run_module(sys.argv[1], run_name='__main__', alter_sys=True)"
)


def module_command(
    module: str,
    args: Sequence[str] = (),
    *,
    read_only: Sequence[Path] = (),
    writable: Sequence[Path] = (),
    parts: Sequence[str] = PACKAGE_PARTS,
) -> list[str]:
    """``python -I -m MODULE ARGS`` in the sandbox, for a grader module in ``parts``.

    For example ``module_command("grader.learner.cleanroom_main", [folder],
    read_only=[folder])``: the process sees ``folder`` and nothing else of the host.
    """
    python = [sys.executable, "-I", "-u", "-c", MODULE_BOOT, PACKAGE_ROOT, module, *args]
    return wrap(python, read_only=read_only, writable=writable, parts=parts)
