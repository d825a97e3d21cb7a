"""The catalog cache: a cache is verified before it is trusted, and rebuilt when it is not.

Whatever lies in the cache file (flipped bytes, a truncated copy, another catalog's cache under
this catalog's name, a pickle that would run code), ``load_catalog`` returns the catalog parsed
from the TOML files, never runs anything, says nothing on stderr, and leaves a good cache behind.
The tests find the cache file by its ``catalog-`` prefix, whatever its format.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import pickle
import random
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from guichet import catalog as catalog_module
from guichet.catalog import cache as cache_module
from guichet.catalog import load_catalog, resolve
from guichet.domain.models import Catalog

PARSED = load_catalog()  # no cache_dir: straight from the shipped TOML files


def cache_file(cache: Path) -> Path:
    """The one cache file in ``cache`` (temporary files start with a dot)."""
    [found] = [p for p in cache.iterdir() if p.name.startswith("catalog-")]
    return found


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    directory = tmp_path / "cache"
    assert load_catalog(cache_dir=directory) == PARSED
    return directory


def _refuse(*_: object) -> object:
    raise AssertionError("the catalog was parsed instead of read from the cache")


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Inside this fixture, the TOML parsers fail: a catalog can only come from the cache."""
    with monkeypatch.context() as patch:
        patch.setattr(catalog_module, "load_agencies", _refuse)
        patch.setattr(catalog_module, "load_services", _refuse)
        yield


def assert_rebuilt(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache left behind is a good one: the next start-up reads it without parsing."""
    with monkeypatch.context() as patch:
        patch.setattr(catalog_module, "load_agencies", _refuse)
        patch.setattr(catalog_module, "load_services", _refuse)
        assert load_catalog(cache_dir=cache) == PARSED


def test_a_good_cache_is_read_without_parsing(cache: Path, no_parsing: None) -> None:
    assert load_catalog(cache_dir=cache) == PARSED


# Offsets from the start (>= 0) or the end (< 0) of the file, each with the bytes written there.
# "6: ff ff 7f" is the case: three bytes in a pickle's frame length gave a MemoryError
# on every start-up; single-bit changes inside a string gave a silently different catalog.
CHANGES = [
    (0, b"\x00"), (1, b"\x00"), (2, b"\xff"), (6, b"\xff\xff\x7f"), (9, b"\x01"), (12, b"X"),
    (20, b"9"), (40, b"\xff"), (-1, b"\x00"), (-2, b"\xff"), (-3, b"]"), (-40, b"\x00\x00\x00"),
]


def _changed(raw: bytes, offset: int, new: bytes) -> bytes:
    start = offset if offset >= 0 else len(raw) + offset
    out = bytearray(raw)
    out[start:start + len(new)] = new
    return bytes(out)


@pytest.mark.parametrize(("offset", "new"), CHANGES, ids=[f"{o}:{n.hex()}" for o, n in CHANGES])
def test_changed_bytes_are_never_trusted(cache: Path, offset: int, new: bytes,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = cache_file(cache)
    raw = path.read_bytes()
    changed = _changed(raw, offset, new)
    if changed == raw:  # the byte already had this value: flip its lowest bit instead
        changed = _changed(raw, offset, bytes([raw[offset] ^ 1]))
    path.write_bytes(changed)
    assert load_catalog(cache_dir=cache) == PARSED
    assert capsys.readouterr() == ("", "")
    assert_rebuilt(cache, monkeypatch)


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.75])
def test_one_bit_flipped_inside_the_payload(cache: Path, fraction: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-bit change deep inside (a letter of a title…) must not give a slightly different catalog."""
    path = cache_file(cache)
    raw = path.read_bytes()
    for offset in range(int(len(raw) * fraction), len(raw)):  # the next letter from there
        if chr(raw[offset]).isalpha():
            break
    path.write_bytes(_changed(raw, offset, bytes([raw[offset] ^ 0x01])))
    assert load_catalog(cache_dir=cache) == PARSED
    assert_rebuilt(cache, monkeypatch)


@pytest.mark.slow  # 25 random damages, each a rebuild of the catalog
def test_random_damage(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seeded sample of 1 to 4 random bytes written at random places."""
    rng = random.Random(13)
    path = cache_file(cache)
    good = path.read_bytes()
    for _ in range(25):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = cache_file(cache)
        path.write_bytes(bytes(damaged))
        assert load_catalog(cache_dir=cache) == PARSED
        good = cache_file(cache).read_bytes()
    assert_rebuilt(cache, monkeypatch)


@pytest.mark.parametrize("keep", [0, 1, 10, 0.5, -1])
def test_truncated(cache: Path, keep: float, monkeypatch: pytest.MonkeyPatch) -> None:
    path = cache_file(cache)
    raw = path.read_bytes()
    size = int(len(raw) * keep) if isinstance(keep, float) else (len(raw) + keep if keep < 0 else keep)
    path.write_bytes(raw[:size])
    assert load_catalog(cache_dir=cache) == PARSED
    assert_rebuilt(cache, monkeypatch)


def _other_data(tmp_path: Path) -> Path:
    """A data directory whose catalog differs from the shipped one by one agency's name."""
    data = tmp_path / "other-data"
    data.mkdir()
    shipped = resolve("agencies.toml", None).text
    changed = shipped.replace('name = "Nanterre"', 'name = "Nanterre (siège)"')
    assert changed != shipped
    (data / "agencies.toml").write_text(changed, encoding="utf-8")
    return data


def test_another_catalogs_cache_under_this_name(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid cache, but of other data files, copied under the name this catalog's key gives."""
    other_cache = tmp_path / "other-cache"
    other = load_catalog(_other_data(tmp_path), cache_dir=other_cache)
    assert other != PARSED
    path = cache_file(cache)
    path.write_bytes(cache_file(other_cache).read_bytes())
    assert load_catalog(cache_dir=cache) == PARSED
    assert_rebuilt(cache, monkeypatch)


class _Exploit:
    """Unpickling this object calls ``open(marker, "w")``: the marker file appears."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_a_pickle_that_would_run_code_is_not_run(cache: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "code-was-run"
    payload = pickle.dumps(_Exploit(marker))
    with pytest.raises(FileNotFoundError):  # the payload is live: loading it would create the marker
        open(marker)  # noqa: SIM115
    path = cache_file(cache)
    path.write_bytes(payload)
    # Also under every name an older guichet used: a pickle named after the same key.
    (cache / (path.name.rsplit(".", 1)[0] + ".pickle")).write_bytes(payload)
    assert load_catalog(cache_dir=cache) == PARSED
    assert not marker.exists()
    assert_rebuilt(cache, monkeypatch)
    assert not marker.exists()
    assert [p.name for p in cache.iterdir()] == [cache_file(cache).name]  # the old pickle is gone too


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_cache_that_is_no_file_is_not_waited_for(cache: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A named pipe would block the start-up for ever, /dev/zero fill the memory."""
    path = cache_file(cache)
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    assert load_catalog(cache_dir=cache) == PARSED
    assert cache_file(cache).is_file() and not cache_file(cache).is_symlink()
    assert_rebuilt(cache, monkeypatch)


def test_rewritten_cache_is_private_and_atomic(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_file(cache).write_bytes(b"garbage")
    assert load_catalog(cache_dir=cache) == PARSED
    names = [p.name for p in cache.iterdir()]
    assert len(names) == 1 and not names[0].endswith(".tmp")  # no temporary file left behind
    if os.name == "posix":
        assert stat.S_IMODE(cache_file(cache).stat().st_mode) == 0o600


class _Records(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def records_of(name: str) -> Iterator[list[logging.LogRecord]]:
    """The records of logger ``name`` and its children, at every level, while inside."""
    handler = _Records(logging.DEBUG)
    records = handler.records
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_a_bad_cache_is_logged_once_and_never_shown(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cache_module, "_cache_reported", False, raising=False)
    with records_of("guichet.catalog") as records:
        for damage in (b"garbage", b"", b"\x80\x05more garbage"):
            cache_file(cache).write_bytes(damage)
            assert load_catalog(cache_dir=cache) == PARSED
    assert capsys.readouterr() == ("", "")
    [record] = records
    assert record.levelno < logging.WARNING  # a note for the log, not an error


def test_a_missing_cache_is_not_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "_cache_reported", False, raising=False)
    with records_of("guichet.catalog") as records:
        assert load_catalog(cache_dir=tmp_path / "cache") == PARSED  # the first start-up
    assert records == []


# -- what the format itself guarantees (these name the module's own helpers) --------------------


def _rewrite_payload(path: Path, edit: object) -> None:
    """Change the decoded payload with ``edit`` and write it back with a correct checksum: what a
    forger (or a bug) could produce. The values are still checked, one by one."""
    header, payload = cache_module._split_cache(path.read_bytes())
    data = marshal.loads(payload)
    edit(data)  # type: ignore[operator]
    path.write_bytes(cache_module._cache_bytes(header.key, marshal.dumps(data)))


@pytest.mark.parametrize("edit", [
    lambda d: d[0][0].__setitem__(5, [["xyz", "agence", "Mo 09:00-12:00", 1, 30, None]]),  # an unknown kind
    lambda d: d[0][0].__setitem__(0, 42),  # an id that is not text
    lambda d: d[0][0].__setitem__(4, True),  # a boolean for an integer
    lambda d: d[1][0].pop(),  # a field missing
    lambda d: d[1][0].append("extra"),  # a field too many
    lambda d: d.__setitem__(0, {"agencies": []}),  # a table where a list belongs
    lambda d: d[0][0][6].append([738000, 737000, "reason"]),  # a closure that ends before it starts
    lambda d: d[1][0].__setitem__(1, compile("open('x', 'w')", "cache", "eval")),  # code, for a title
], ids=["kind", "id", "bool", "missing", "extra", "shape", "closure", "code"])
def test_a_forged_but_well_checksummed_cache_is_still_checked(cache: Path, edit: object,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _rewrite_payload(cache_file(cache), edit)
    assert load_catalog(cache_dir=cache) == PARSED
    assert_rebuilt(cache, monkeypatch)


def test_the_round_trip_keeps_every_field() -> None:
    """Encoding then decoding gives back an equal catalog (a field added to a model and forgotten
    by the codec fails here, not as a cache silently rebuilt at every start-up)."""
    payload = cache_module._encode(PARSED)
    assert isinstance(cache_module._decode(marshal.loads(payload)), Catalog)
    assert cache_module._decode(marshal.loads(payload)) == PARSED
