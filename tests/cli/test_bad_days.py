"""Bad days: a log that cannot be written, absurdly nested TOML files, a reader that goes away.

Each is one line on stderr at most (never a traceback, never logging's "--- Logging error ---"
blocks), and guichet either goes on (the log) or stops with exit code 2 (a broken file), or ends
quietly (a closed pipe).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guichet import logs
from guichet.cli.main import main
from guichet.logs import LOGGER, setup_logging
from guichet.paths import SHIPPED_DATA

NOW = ["--now", "2026-11-23T10:00"]
PERSON = ["--name", "Awa Diallo", "--phone", "0612345678"]


def book(at: str) -> list[str]:
    return ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at", at,
            *PERSON, "--json", *NOW]


def one_line(err: str) -> str:
    """The one line of ``err``, checked: no traceback, no logging error block."""
    assert "Traceback" not in err and "Logging error" not in err, err[:2000]
    lines = err.splitlines()
    assert len(lines) == 1, err[:2000]
    return lines[0]


# -- (a) the log cannot be written ---------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A GUICHET_HOME, and guichet's logger without the handlers other tests left on it."""
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    monkeypatch.setattr(logs, "_unwritable_reported", False, raising=False)  # once per process
    logger = logging.getLogger(LOGGER)
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    for handler in handlers:
        logger.removeHandler(handler)
    yield tmp_path
    for handler in logger.handlers[:]:
        logger.removeHandler(handler)
        with contextlib.suppress(OSError):  # the broken stream of a test
            handler.close()
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


class FullDisk(io.TextIOBase):
    """A log stream on a full disk: every write fails with ENOSPC."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def tell(self) -> int:
        return 0


def _file_handler() -> logging.FileHandler:
    [handler] = [h for h in logging.getLogger(LOGGER).handlers if isinstance(h, logging.FileHandler)]
    return handler


def _book_three_times(capsys: pytest.CaptureFixture[str]) -> str:
    """Three bookings (each writes a record to the log): all succeed; their stderr, together."""
    errors = ""
    for at in ("2026-11-23T13:00", "2026-11-23T13:30", "2026-11-23T14:00"):
        assert main(book(at)) == 0
        out, err = capsys.readouterr()
        assert json.loads(out)["status"] == "booked"
        errors += err
    return errors


@pytest.mark.parametrize("stream", ["enospc", "dev-full"])
def test_a_full_disk_is_said_once_and_the_work_goes_on(home: Path, stream: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    if stream == "dev-full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    path = home / "logs" / "guichet.log"
    assert setup_logging(path) == path  # as `main` does; then the disk fills up
    handler = _file_handler()
    assert handler.stream is not None
    handler.stream.close()
    full: Any = FullDisk() if stream == "enospc" else open("/dev/full", "a", encoding="utf-8")  # noqa: SIM115
    handler.stream = full
    line = one_line(_book_three_times(capsys))
    assert line.startswith("guichet : journal impossible à écrire (") and "la suite n'est pas journalisée" in line
    assert os.strerror(errno.ENOSPC) in line


def test_a_log_that_cannot_rotate_is_said_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real file system refusal: the log is full (1 MB) and its backups cannot be moved (they are
    directories, which neither root nor anyone can remove like a file)."""
    directory = home / "logs"
    directory.mkdir()
    (directory / "guichet.log").write_text("x" * 999_990, encoding="utf-8")
    for number in (1, 2, 3):
        (directory / f"guichet.log.{number}").mkdir()
        (directory / f"guichet.log.{number}" / "kept").write_text("", encoding="utf-8")
    line = one_line(_book_three_times(capsys))
    assert line.startswith("guichet : journal impossible à écrire (")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in a read-only directory")
def test_a_read_only_log_directory_is_said_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = home / "logs"
    directory.mkdir()
    (directory / "guichet.log").write_text("x" * 999_990, encoding="utf-8")
    directory.chmod(0o500)  # the file can still be written, but not rotated
    try:
        line = one_line(_book_three_times(capsys))
    finally:
        directory.chmod(0o700)
    assert line.startswith("guichet : journal impossible à écrire (")


def test_a_log_directory_that_cannot_be_made_is_said_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "logs").write_text("a file where the log directory should be", encoding="utf-8")
    line = one_line(_book_three_times(capsys))
    assert line.startswith("guichet : journal impossible à écrire (")


FULL_DISK_PROCESS = """\
import logging, sys
from pathlib import Path
from guichet.logs import LOGGER, setup_logging
path = Path(sys.argv[1])
setup_logging(path)
[handler] = logging.getLogger(LOGGER).handlers
handler.stream.close()
handler.stream = open("/dev/full", "a", encoding="utf-8")  # the disk is full from now on
from guichet.cli.main import main
raise SystemExit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.slow  # a whole guichet process
def test_a_full_disk_in_a_whole_process(tmp_path: Path) -> None:
    """Until the very end of the process (logging's shutdown, the file's finaliser): one line."""
    env = {**os.environ, "GUICHET_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", FULL_DISK_PROCESS, str(tmp_path / "logs" / "guichet.log"),
                           *book("2026-11-23T13:00")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "booked"
    assert one_line(done.stderr).startswith("guichet : journal impossible à écrire (")


# -- (b) config.toml and (c) the data files, nested 50,000 deep ----------------------------------

DEEP = 50_000
DOTTED = 2_000  # tomllib takes time quadratic in a dotted key's parts: 50,000 would cost minutes
NESTED = {
    "arrays": "a = " + "[" * DEEP + "]" * DEEP + "\n",
    "inline-tables": "a = " + "{ b = " * DEEP + "1" + " }" * DEEP + "\n",
    "arrays-of-inline-tables": "a = " + "[{ b = " * DEEP + "1" + " }]" * DEEP + "\n",
    "dotted-header": "[" + ".".join(["k"] * DOTTED) + "]\nx = 1\n",
    "dotted-key": ".".join(["k"] * DOTTED) + " = 1\n",
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_a_deeply_nested_config_file_is_one_line(text: str, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(text, encoding="utf-8")
    assert main(["hours", *NOW]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = one_line(err)
    assert line.startswith(f"guichet: {config}")
    assert "nested" in line.split(str(config), 1)[1]  # (the test's own directory says "nested" too)


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
@pytest.mark.parametrize("name", ["agencies.toml", "services.toml"])
def test_a_deeply_nested_data_file_is_one_line(name: str, text: str, home: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data-override"
    data.mkdir()
    (data / name).write_text(text + (SHIPPED_DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--data", str(data), "hours", *NOW]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = one_line(err)
    assert line.startswith(f"guichet: {data / name}")
    assert "nested" in line.split(str(data / name), 1)[1]  # (the test's own directory says "nested" too)


LONG_LINES = {  # valid TOML, each with one long line that the key-line finder once took minutes over
    "blank-line": " " * 20_000 + "\n",
    "in-a-string": 'note = """\n[' + " " * 20_000 + '\n"""\n',
}


@pytest.mark.parametrize("text", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_long_lines_in_a_data_file_take_no_time(text: str, tmp_path: Path) -> None:
    """A subprocess, so that the old behaviour (minutes of regex backtracking) can be timed out."""
    data = tmp_path / "data-override"
    data.mkdir()
    (data / "services.toml").write_text(text + (SHIPPED_DATA / "services.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    env = {**os.environ, "GUICHET_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "guichet", "--data", str(data), "hours", *NOW],
                          env=env, capture_output=True, text=True, timeout=60)
    # a blank line is harmless; the strings are unknown keys at the top (one line, exit 2)
    assert done.returncode == (0 if text.startswith(" ") else 2), done.stderr
    assert done.stderr.count("\n") == (0 if text.startswith(" ") else 1), done.stderr


# -- 15: the reader goes away (`guichet … | head -1`) --------------------------------------------

EXIT_CLOSED_PIPE = 128 + getattr(signal, "SIGPIPE", 13)  # what a shell reports for `yes | head -1`


def _spawn(argv: list[str], home: Path, *, unbuffered: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GUICHET_HOME": str(home)}
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen([sys.executable, "-m", "guichet", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


@pytest.mark.skipif(os.name != "posix", reason="pipes close differently on Windows")
@pytest.mark.slow  # whole guichet processes behind a real pipe
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("argv", [
    ["search", "apl", "--limit", "50"],  # the case: small, the child may be done already
    ["slots", "--kind", "gca", "--channel", "telephone", "--limit", "1000", "--json", *NOW],  # 180 kB: always cut
], ids=["search", "slots"])
def test_the_reader_reads_one_line_and_goes(argv: list[str], unbuffered: bool, tmp_path: Path) -> None:
    process = _spawn(argv, tmp_path, unbuffered=unbuffered)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    code = process.wait(timeout=120)
    assert err == b""
    big = argv[0] == "slots"  # more than any pipe holds: the child cannot have finished
    assert code == EXIT_CLOSED_PIPE if big else code in (0, EXIT_CLOSED_PIPE)


@pytest.mark.skipif(os.name != "posix", reason="pipes close differently on Windows")
@pytest.mark.slow  # a whole guichet process behind a real pipe
def test_the_reader_is_gone_before_anything_is_written(tmp_path: Path) -> None:
    """`guichet search apl | true`: the whole output waits in the buffer until the end, whose flush
    (once, at the interpreter's exit) used to print "Exception ignored … BrokenPipeError"."""
    process = _spawn(["search", "apl", "--limit", "50"], tmp_path, unbuffered=False)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=120) == EXIT_CLOSED_PIPE
    assert err == b""


def test_every_log_file_is_owner_only_rotated_ones_included(tmp_path: Path) -> None:
    import logging
    import stat

    from guichet.logs import LOGGER, setup_logging

    path = tmp_path / "logs" / "guichet.log"
    assert setup_logging(path) == path
    logger = logging.getLogger(LOGGER)
    handler = next(h for h in logger.handlers if getattr(h, "baseFilename", None) == str(path))
    try:
        handler.maxBytes = 200  # type: ignore[attr-defined]
        for n in range(40):
            logger.info("appointment %d booked: nanterre gca/telephone", n)
        files = sorted(path.parent.glob("guichet.log*"))
        assert len(files) >= 3  # rotated at least twice
        assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    finally:
        logger.removeHandler(handler)
        handler.close()
