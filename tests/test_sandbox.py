"""The sandbox: each attack a dishonest submission could try fails, and says why.

One lesson 1 submission (tests/cases_sandbox/attacks.py) tries every attack in
``build_model`` and reports each outcome; it is graded once sandboxed and once
with ``--sandbox off`` (where the file reads succeed: the attacks are real).
The fork bomb and the lesson 2 cheat are graded on their own.  Where bwrap
cannot sandbox, these tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import api
from grader.learner import sandbox
from grader.limits import GiB, Limits, MiB
from grader.results import RunResult, Status
from grader.selfstudy import store
from tests.conftest import ROOT, check, variant

CASES = Path(__file__).parent / "cases_sandbox"
LABELS = "t10k-labels-idx1-ubyte.gz"
MEMORY = 2 * GiB
"""The attack run's memory limit, which also caps its /tmp (memory too)."""


@pytest.fixture(scope="module")
def bwrap_works() -> None:
    available = sandbox.probe()
    if not available.works:
        if sandbox.default_mode() == "required":
            pytest.fail(f"CI must grade sandboxed: {available.why}")
        pytest.skip(f"cannot sandbox here: {available.why}")


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()


def decoy(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"decoy " + path.name.encode())
    return str(path)


def survivors(name: str) -> list[int]:
    """Processes named ``name`` (``/proc/PID/comm``), i.e. left behind by the attack."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def attack(folder: Path, mode: str, listener: Listener) -> tuple[RunResult, dict, str]:
    """Grade the attack submission in ``mode``; its outcomes and its leftover's name."""
    name = "sbx" + secrets.token_hex(4)
    targets = {
        "labels_debian": f"/usr/share/datasets/fashion-mnist/{LABELS}",
        "labels_keras": decoy(folder / "home" / ".keras/datasets/fashion-mnist" / LABELS),
        "labels_data_dir": decoy(folder / "data" / LABELS),
        "signing_key": decoy(store.signing_key_path()),
        "other_submission": decoy(folder / "classmate.py"),
        "solution": str(ROOT / "solutions" / "lesson1.py"),
        "checks": str(ROOT / "grader" / "checks" / "lesson1" / "test_lesson1.py"),
        "outside": str(folder / "written-by-learner"),
        "port": listener.port,
        "big": 2 * MiB,
        "tmp_total": MEMORY + 256 * MiB,
        "grader_pid": os.getpid(),
        "harmless": mode == "off",
        "name": name,
    }
    submission = folder / "submission.py"
    submission.write_text(f"TARGETS = {targets!r}\n" + (CASES / "attacks.py").read_text())
    limits = Limits(file_size_bytes=MiB, memory_bytes=MEMORY)
    options = api.Options(epochs=1, limits=limits, sandbox=mode)
    result = api.grade("lesson1", submission, options)
    message = check(result, "returns_a_model").message or ""
    assert "ATTACKS" in message, message
    return result, json.loads(message[message.index("ATTACKS") + 7 :]), name


@pytest.fixture(scope="module")
def listener() -> Listener:
    return Listener()


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the decoys go: a home, a data folder and a cache of the test's own."""
    folder = tmp_path_factory.mktemp("sandbox")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(folder / "home"))
        patch.setenv("GRADER_DATA_DIR", str(folder / "data"))
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        yield folder


@pytest.fixture(scope="module")
def sandboxed(bwrap_works, environment: Path, listener: Listener) -> tuple[RunResult, dict, str]:
    return attack(environment, "required", listener)


@pytest.fixture(scope="module")
def unsandboxed(environment: Path, listener: Listener) -> tuple[RunResult, dict, str]:
    return attack(environment, "off", listener)


NOT_THERE = "blocked: FileNotFoundError: No such file or directory"
BLOCKED = {
    "labels_debian": NOT_THERE,
    "labels_keras": NOT_THERE,
    "labels_data_dir": NOT_THERE,
    "signing_key": NOT_THERE,
    "other_submission": NOT_THERE,
    "solution": NOT_THERE,
    "checks": NOT_THERE,
    "write_outside": NOT_THERE,
    "write_python": "blocked: OSError: Read-only file system",
    "tcp": "blocked: ConnectionRefusedError: Connection refused",
    "lift_file_size": "blocked: ValueError: not allowed to raise maximum limit",
    "write_over_limit": "blocked: OSError: File too large",
    "fill_tmp": "blocked: OSError: No space left on device",
    "kill_grader": "blocked: ProcessLookupError: No such process",
    # The parent in the sandbox is its own init (pid 1), which ignores signals from inside.
    "kill_parent": "succeeded: signalled 1",
    "ptrace_grader": "blocked: ProcessLookupError: ESRCH",
    "grader_memory": NOT_THERE,
}


@pytest.mark.parametrize("name", sorted(BLOCKED))
def test_each_attack_fails_in_the_sandbox(sandboxed, name: str) -> None:
    _, outcomes, _ = sandboxed
    assert outcomes[name] == BLOCKED[name], f"{name}: {outcomes[name]}"


def test_the_sandbox_runs_learner_code_as_nobody_and_touches_nothing(
    sandboxed, environment: Path, listener: Listener
) -> None:
    result, outcomes, name = sandboxed
    assert outcomes["uid"] == sandbox.UID
    assert not (environment / "written-by-learner").exists()
    assert listener.accepted == 0
    assert survivors(name) == [], "the process the attack left behind was killed"
    assert not any("sandbox" in note for note in result.notes), result.notes


def test_without_the_sandbox_the_same_attacks_read_the_files(unsandboxed) -> None:
    """The attacks are real: unsandboxed, the test labels and a classmate's file are read."""
    result, outcomes, name = unsandboxed
    for target in ("labels_debian", "labels_keras", "labels_data_dir", "other_submission"):
        assert outcomes[target].startswith("succeeded:"), (target, outcomes[target])
    assert survivors(name) == []
    assert any(note.startswith("Not sandboxed (--sandbox off)") for note in result.notes)


def test_a_fork_bomb_is_stopped_at_the_process_limit(bwrap_works, tmp_path: Path) -> None:
    name = "sbx" + secrets.token_hex(4)
    bomb = (
        "    import ctypes, os, time\n"
        "    for _ in range(200):\n"
        "        if os.fork() == 0:\n"
        f"            ctypes.CDLL(None).prctl(15, b'{name}', 0, 0, 0)\n"
        "            time.sleep(600)\n"
        "    time.sleep(600)\n"
        "    model = keras.Sequential("
    )
    submission = tmp_path / "bomb.py"
    submission.write_text(variant(("    model = keras.Sequential(", bomb)))
    options = api.Options(epochs=1, limits=Limits(processes=16), sandbox="required")
    verdict = check(api.grade("lesson1", submission, options), "returns_a_model")
    assert verdict.status is Status.ERROR
    assert verdict.message == "build_model started more than 16 processes; the grader stopped it."
    assert survivors(name) == []


CHEAT = '''
def predict_classes(model, images):
    """Returns the test labels when it can read them, else what the model says."""
    import gzip
    for folder in ("/usr/share/datasets/fashion-mnist", os.path.expanduser("~/.keras/datasets")):
        try:
            with gzip.open(os.path.join(folder, "t10k-labels-idx1-ubyte.gz")) as stream:
                labels = np.frombuffer(stream.read(), np.uint8, offset=8)
        except OSError:
            continue
        if len(labels) == len(images):
            return labels.astype(np.int64)
    return honest_predict_classes(model, images)
'''


def test_the_lesson2_cheat_scores_no_more_than_without_it(bwrap_works, tmp_path: Path) -> None:
    reference = (ROOT / "solutions" / "lesson2.py").read_text()
    one_batch = ("model.fit(train_dataset,", "model.fit(train_dataset.take(1),")
    honest = variant(one_batch, reference=reference)
    cheat = variant(
        one_batch,
        ("def predict_classes(", "def honest_predict_classes("),
        ("import keras\n", "import os\n\nimport keras\n"),
        reference=reference,
    )
    (tmp_path / "honest.py").write_text(honest)
    (tmp_path / "cheat.py").write_text(cheat + CHEAT)
    options = api.Options(epochs=1, sandbox="required")
    scores = {
        name: api.grade("lesson2", tmp_path / f"{name}.py", options) for name in ("honest", "cheat")
    }
    assert scores["cheat"].score <= scores["honest"].score < scores["honest"].max_score
    assert [c.status for c in scores["cheat"].checks] == [c.status for c in scores["honest"].checks]


# -- the seam for other grader processes ---------------------------------------------


def test_a_wrapped_process_sees_only_the_folders_it_is_given(bwrap_works, tmp_path: Path) -> None:
    given, out, beside = tmp_path / "given", tmp_path / "out", tmp_path / "beside"
    for folder in (given, out, beside):
        folder.mkdir()
    (given / "in.txt").write_text("hello")
    (beside / "secret.txt").write_text("secret")
    code = (
        "import os, sys; sys.path.insert(0, sys.argv[1]); import grader.learner.wire\n"
        f"data = open('{given}/in.txt').read()\n"
        f"open('{out}/out.txt', 'w').write(data.upper())\n"
        "for path in sys.argv[2:]:\n"
        "    try: open(path, 'a')\n"
        "    except OSError as exc: print(type(exc).__name__)\n"
    )
    refused = [str(given / "in.txt"), str(beside / "secret.txt"), str(ROOT / "README.md")]
    argv = [sys.executable, "-I", "-c", code, sandbox.PACKAGE_ROOT, *refused]
    run = subprocess.run(
        sandbox.wrap(argv, read_only=[given], writable=[out]), capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["OSError", "FileNotFoundError", "FileNotFoundError"]
    assert (out / "out.txt").read_text() == "HELLO"
    assert sandbox.module_command("grader.learner.wire")[-2:] == [
        sandbox.PACKAGE_ROOT,
        "grader.learner.wire",
    ]


def test_a_python_in_a_virtualenv_under_tmp_still_starts_sandboxed(bwrap_works) -> None:
    """The sandbox's own /tmp must not hide a Python that lives under the real one."""
    import tempfile
    import venv

    with tempfile.TemporaryDirectory(prefix="grader-venv-", dir="/tmp") as folder:
        venv.create(folder, system_site_packages=True, with_pip=False)
        code = "from grader.learner import sandbox; print(sandbox.probe().works)"
        run = subprocess.run(
            [str(Path(folder, "bin", "python")), "-c", code],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
        )
    assert run.stdout.strip() == "True", run.stdout + run.stderr
