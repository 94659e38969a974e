"""The read budget: sizes estimated without parsing, files and loads over it refused politely."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from kpi.errors import UnreadableFileError
from kpi.i18n import catalog
from kpi.io import FileTooLargeError, ReadBudget, estimate_memory, list_sheets, read_file
from kpi.io.budget import (
    LOAD_OVERHEAD_BYTES,
    MB,
    PEAK_FACTORS,
    available_memory,
    default_file_limit,
    default_memory_limit,
    format_size,
)
from kpi.load import load_dataset

ROOT = Path(__file__).resolve().parents[2]
BOMB_BYTES = 300 * MB
#: A server with 256 MB to spare: 300 MB of inflated text does not fit (2.5x + 64 MB).
SMALL_SERVER = ReadBudget(max_file_bytes=200 * MB, max_memory_bytes=256 * MB)


def csv_bytes(rows: int) -> bytes:
    lines = ["created_at,agent,handle_seconds"]
    lines += [f"2026-01-{1 + i % 28:02d} 10:{i % 60:02d}:00,agent {i % 7},{60 + i % 300}"
              for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"created_at": pd.date_range("2026-01-01", periods=rows, freq="min"),
                         "agent": [f"agent {i % 7}" for i in range(rows)],
                         "handle_seconds": range(rows)})


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """300 MB of zeros named like a CSV, deflated into about 1.4 MB by streaming writes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf, \
            zf.open("export.csv", "w") as member:
        chunk = bytes(MB)
        for _ in range(BOMB_BYTES // MB):
            member.write(chunk)
    return buffer.getvalue()


def gzip_members_of_zeros(count: int) -> bytes:
    """``count`` gzip members of 1 MB of zeros each (each member compresses the same)."""
    return gzip.compress(bytes(MB), compresslevel=9) * count


def refused(call, *args, **kwargs) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as info:
        call(*args, **kwargs)
    return info.value


def refused_within(call, *args, **kwargs) -> tuple[UnreadableFileError, float, int]:
    """``refused(...)`` with the CPU seconds it took and its traced memory peak (bytes)."""
    tracemalloc.start()
    try:
        started = time.process_time()  # CPU seconds: steady on a busy machine
        error = refused(call, *args, **kwargs)
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return error, elapsed, peak


def assert_translated(error: UnreadableFileError) -> None:
    for lang in ("en", "pt"):
        sentence = error.message(lang)
        assert "{" not in sentence, sentence
        assert sentence != error.code
    assert str(error) == error.message("en")


# --- sizes in sentences -------------------------------------------------------------------


def test_sizes_are_formatted_for_each_language():
    assert format_size(350 * MB, "en") == "350 MB"
    assert format_size(1.5 * MB, "pt") == "1,5 MB"
    assert format_size(1.5 * MB, "en") == "1.5 MB"
    assert format_size(5.25 * 1024 * MB, "pt") == "5,2 GB"  # Babel rounds half to even
    assert format_size(1234.4 * MB, "en") == "1.2 GB"
    assert format_size(0.01 * MB, "pt") == "0,01 MB"


def test_too_large_names_the_size_and_the_limit():
    data = csv_bytes(40_000)  # over 1 MB: one decimal
    error = refused(read_file, "export.csv", data,
                    budget=ReadBudget(max_file_bytes=MB // 2, max_memory_bytes=None))
    assert isinstance(error, FileTooLargeError)
    assert error.code == "io.too_large"
    assert error.params == {"name": "export.csv", "size": len(data), "limit": MB // 2}
    size_mb = f"{len(data) / MB:.1f}"
    assert error.message("en").startswith(f"export.csv is {size_mb} MB; the limit is 0.5 MB.")
    assert f"export.csv tem {size_mb.replace('.', ',')} MB; o limite é 0,5 MB." in \
        error.message("pt")
    assert "kpi convert" in error.message("en")
    assert_translated(error)


def test_the_size_of_a_path_is_checked_without_reading_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(3000))
    error = refused(read_file, path.name, path,
                    budget=ReadBudget(max_file_bytes=50_000, max_memory_bytes=None))
    assert error.code == "io.too_large"
    assert error.params["size"] == path.stat().st_size


def test_too_big_for_memory_names_the_need_and_what_is_available():
    data = csv_bytes(500)
    budget = ReadBudget(max_file_bytes=None, max_memory_bytes=LOAD_OVERHEAD_BYTES)
    error = refused(read_file, "export.csv", data, budget=budget)
    assert error.code == "io.too_big_for_memory"
    need = int(PEAK_FACTORS["csv"] * len(data) + 0.999) + LOAD_OVERHEAD_BYTES
    assert error.params == {"name": "export.csv", "need": need,
                            "available": LOAD_OVERHEAD_BYTES}
    assert "about 64 MB of memory, but only 64 MB" in error.message("en")
    assert_translated(error)


def test_a_file_within_the_budget_is_read():
    data = csv_bytes(100)
    need = estimate_memory("export.csv", data).expected_peak_bytes
    raw = read_file("export.csv", data,
                    budget=ReadBudget(max_file_bytes=len(data), max_memory_bytes=need))
    assert len(raw.frame) == 100


def test_error_survives_pickling_with_its_sizes():
    import pickle

    error = FileTooLargeError("io.too_large", name="a.csv", size=350 * MB, limit=200 * MB)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is FileTooLargeError
    assert again.message("pt") == error.message("pt")
    assert again.message("en").startswith("a.csv is 350 MB; the limit is 200 MB.")


# --- estimates against the real thing ---------------------------------------------------------


def test_plain_text_estimate_is_its_size(tmp_path):
    data = csv_bytes(300)
    estimate = estimate_memory("a.csv", data)
    assert (estimate.uncompressed_bytes, estimate.basis) == (len(data), "file size")
    assert estimate.expected_peak_bytes == int(2.5 * len(data) + 0.999) + LOAD_OVERHEAD_BYTES
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    assert estimate_memory("a.csv", path) == estimate  # a CSV on disk is streamed, not read
    json_text = b'[{"created_at": "2026-01-05 10:00:00", "agent": "Ana"}]'
    (tmp_path / "a.json").write_bytes(json_text)
    from_bytes = estimate_memory("a.json", json_text).expected_peak_bytes
    assert from_bytes == int(8 * len(json_text) + 0.999) + LOAD_OVERHEAD_BYTES
    assert estimate_memory("a.json", tmp_path / "a.json").expected_peak_bytes == \
        from_bytes + len(json_text)  # JSON on disk is read whole first


def test_gzip_estimate_is_the_inflated_size(tmp_path):
    text = csv_bytes(4000)
    data = gzip.compress(text)
    estimate = estimate_memory("a.csv.gz", data)
    assert estimate.basis == "gzip trailer"
    assert estimate.uncompressed_bytes == len(gzip.decompress(data)) == len(text)
    path = tmp_path / "a.csv.gz"
    path.write_bytes(data)
    on_disk = estimate_memory("a.csv.gz", path)
    assert on_disk.uncompressed_bytes == len(text)
    assert on_disk.expected_peak_bytes == estimate.expected_peak_bytes + len(data)  # read whole


def test_gzip_estimate_is_never_below_the_compressed_size():
    incompressible = bytes(range(256)) * 4
    data = gzip.compress(incompressible, compresslevel=0)
    assert estimate_memory("a.gz", data).uncompressed_bytes == len(data) > len(incompressible)


def test_zip_estimate_is_the_member_size():
    text = csv_bytes(3000)
    data = zipped({"export.csv": text, "__MACOSX/._export.csv": b"x" * 10_000})
    estimate = estimate_memory("a.zip", data)
    assert estimate.basis == "zip directory"
    assert estimate.uncompressed_bytes == len(text)
    assert len(data) < len(text) / 3


def test_xlsx_estimate_is_the_xml_members():
    buffer = io.BytesIO()
    frame(2000).to_excel(buffer, index=False)
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = sum(len(archive.read(info)) for info in archive.infolist()
                  if info.filename.endswith((".xml", ".rels")))
    estimate = estimate_memory("a.xlsx", data)
    assert estimate.basis == "xlsx members"
    assert estimate.uncompressed_bytes == xml > 2 * len(data)
    assert estimate.expected_peak_bytes == int(2.5 * xml + 0.999) + LOAD_OVERHEAD_BYTES


def test_parquet_estimate_is_the_footer_within_a_factor_of_two_of_arrow():
    buffer = io.BytesIO()
    frame(20_000).to_parquet(buffer)
    data = buffer.getvalue()
    estimate = estimate_memory("a.parquet", data)
    assert estimate.basis == "parquet footer"
    in_arrow = pq.read_table(io.BytesIO(data)).nbytes
    assert in_arrow / 2 <= estimate.uncompressed_bytes <= in_arrow * 2


def test_damaged_containers_fall_back_to_the_file_size():
    for name, data in [("a.zip", b"PK\x03\x04 not a zip"), ("a.parquet", b"PAR1 cut")]:
        estimate = estimate_memory(name, data)
        assert (estimate.uncompressed_bytes, estimate.basis) == (len(data), "file size")


_PEAK_PROBE = """
import json, sys
from pathlib import Path
import openpyxl, pandas.io.excel._openpyxl  # imported once by a running app
import kpi.load
from kpi.io import estimate_memory

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(key))

path = Path(sys.argv[1])
data = path.read_bytes()  # an upload: held before the load starts
base = status("VmRSS:")
kpi.load.load_dataset([(path.name, data)])
print(json.dumps({"grew": status("VmHWM:") - base,
                  "estimate": estimate_memory(path.name, data).expected_peak_bytes}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_expected_peak_bounds_a_real_load_within_a_factor_of_two(tmp_path):
    """Fresh processes load a CSV, a Parquet file and a workbook, as uploads: the estimate is at
    least the measured growth and at most twice it (CSV, Parquet; 60k rows). The workbook is
    small (openpyxl is slow), so the fixed part dominates: at most twice plus that part.
    """
    big = pd.DataFrame({
        "created_at": pd.date_range("2026-01-01", periods=60_000, freq="min"),
        "agent": [f"agent {i % 40}" for i in range(60_000)],
        "queue": [f"queue {i % 5}" for i in range(60_000)],
        "customer_id": [f"c{i * 7919 % 100_003}" for i in range(60_000)],
        "handle_seconds": [60 + i % 900 for i in range(60_000)],
    })
    big.to_csv(tmp_path / "t.csv", index=False)
    big.to_parquet(tmp_path / "t.parquet")
    big.head(1000).to_excel(tmp_path / "t.xlsx", index=False)
    probes = [subprocess.Popen([sys.executable, "-c", _PEAK_PROBE, str(tmp_path / name)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
              for name in ("t.csv", "t.parquet", "t.xlsx")]
    for probe, fixed in zip(probes, (0, 0, LOAD_OVERHEAD_BYTES), strict=True):
        out, _ = probe.communicate(timeout=120)
        result = json.loads(out.strip().splitlines()[-1])
        assert result["grew"] <= result["estimate"], (probe.args[-1], result)
        assert result["estimate"] <= 2 * result["grew"] + fixed, (probe.args[-1], result)


# --- bombs ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_inflating(zip_bomb):
    assert len(zip_bomb) < 2 * MB
    format_size(MB, "pt")  # Babel's locale data loads once per process: not the bomb's cost
    error, elapsed, peak = refused_within(read_file, "export.zip", zip_bomb, budget=SMALL_SERVER)
    assert error.code == "io.too_big_for_memory"
    assert error.params["need"] == int(2.5 * BOMB_BYTES) + LOAD_OVERHEAD_BYTES
    assert elapsed < 1
    assert peak < 50 * MB


def test_a_zip_bomb_is_refused_by_the_environment_setting(zip_bomb, monkeypatch):
    monkeypatch.setenv("KPI_MAX_MEMORY_MB", "256")
    assert refused(read_file, "export.zip", zip_bomb).code == "io.too_big_for_memory"
    assert refused(list_sheets, zip_bomb).code == "io.too_big_for_memory"


def test_a_gzip_bomb_is_refused_from_its_trailer():
    compressor = zlib.compressobj(1, wbits=16 + zlib.MAX_WBITS)
    chunk = bytes(MB)
    bomb = b"".join(compressor.compress(chunk) for _ in range(BOMB_BYTES // MB))
    bomb += compressor.flush()
    assert estimate_memory("x.csv.gz", bomb).uncompressed_bytes == BOMB_BYTES
    error, _, peak = refused_within(read_file, "x.csv.gz", bomb, budget=SMALL_SERVER)
    assert error.code == "io.too_big_for_memory"
    assert peak < 50 * MB


def test_a_gzip_bomb_whose_trailer_understates_stops_inflating_at_the_limit():
    """300 members of 1 MB: the trailer tells only the last one; inflation stops at the limit."""
    bomb = gzip_members_of_zeros(300)
    assert estimate_memory("x.csv.gz", bomb).uncompressed_bytes == MB
    limit = int(SMALL_SERVER.max_memory_bytes / 2.5)  # the least costly format's factor
    error, _, peak = refused_within(read_file, "x.csv.gz", bomb, budget=SMALL_SERVER)
    assert error.code == "io.inflates_too_much"
    assert error.params["size"] == limit
    assert "more than 102 MB once decompressed" in error.message("en")
    assert_translated(error)
    assert peak < 2.2 * limit  # the members inflated so far and their join, never 300 MB


def test_multi_member_gzip_within_the_limit_reads_like_one():
    text = csv_bytes(200)
    head, tail = text[:1000], text[1000:]
    data = gzip.compress(head) + gzip.compress(tail) + bytes(16)  # zero padding is allowed
    raw = read_file("x.csv.gz", data, budget=SMALL_SERVER)
    assert len(raw.frame) == 200


def test_a_cut_gzip_is_corrupt_with_or_without_a_limit():
    data = gzip.compress(csv_bytes(300))[:-30]  # its last 4 bytes are no longer the size
    for budget in (SMALL_SERVER, ReadBudget.unlimited()):
        assert refused(read_file, "x.csv.gz", data, budget=budget).code == "io.corrupt_gzip"
    garbage = gzip.compress(csv_bytes(3)) + b"garbage"
    assert refused(read_file, "x.csv.gz", garbage, budget=SMALL_SERVER).code == "io.corrupt_gzip"


def test_a_gzip_inside_a_zip_is_checked_once_opened():
    inner = gzip_members_of_zeros(1)  # 1 MB of zeros: 2.5 MB + 64 MB expected
    bundle = zipped({"export.csv.gz": inner})
    budget = ReadBudget(max_file_bytes=None, max_memory_bytes=LOAD_OVERHEAD_BYTES + MB)
    assert refused(read_file, "x.zip", bundle, budget=budget).code == "io.too_big_for_memory"


# --- settings ---------------------------------------------------------------------------------


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("KPI_MAX_FILE_MB", "50")
    monkeypatch.setenv("KPI_MAX_MEMORY_MB", "1.5")
    budget = ReadBudget()
    assert budget.max_file_bytes == 50 * MB
    assert budget.max_memory_bytes == int(1.5 * MB)
    assert budget.without_file_limit() == ReadBudget(None, int(1.5 * MB))
    assert default_file_limit({}) == 200 * MB


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_a_bad_setting_is_explained(value):
    error = refused(default_file_limit, {"KPI_MAX_FILE_MB": value})
    assert error.code == "io.budget_setting_invalid"
    assert error.params == {"variable": "KPI_MAX_FILE_MB", "value": value}
    assert_translated(error)


def test_default_memory_is_half_of_what_is_available(monkeypatch):
    monkeypatch.delenv("KPI_MAX_MEMORY_MB", raising=False)
    available = available_memory()
    assert available is not None  # Linux: /proc/meminfo
    assert default_memory_limit() == pytest.approx(available / 2, rel=0.1)


def test_available_memory_takes_the_smaller_of_meminfo_and_cgroup(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:  8000000 kB\nMemAvailable:    4000000 kB\n")
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir()
    assert available_memory(meminfo, cgroup) == 4_096_000_000  # no cgroup files
    (cgroup / "memory.max").write_text("max\n")
    (cgroup / "memory.current").write_text("100\n")
    assert available_memory(meminfo, cgroup) == 4_096_000_000  # no limit set
    (cgroup / "memory.max").write_text("1000000000\n")
    (cgroup / "memory.current").write_text("300000000\n")
    assert available_memory(meminfo, cgroup) == 700_000_000
    assert available_memory(tmp_path / "none", cgroup) == 700_000_000
    assert available_memory(tmp_path / "none", tmp_path / "none") is None


def test_fallback_when_nothing_tells_the_memory(monkeypatch):
    import kpi.io.budget as budget_module

    monkeypatch.delenv("KPI_MAX_MEMORY_MB", raising=False)
    monkeypatch.setattr(budget_module, "available_memory", lambda: None)
    assert default_memory_limit() == budget_module.FALLBACK_AVAILABLE_BYTES // 2


# --- load_dataset -----------------------------------------------------------------------------


def test_load_reports_a_file_over_the_limit_and_keeps_the_others():
    small, large = csv_bytes(50), csv_bytes(3000)
    budget = ReadBudget(max_file_bytes=len(small) + 1, max_memory_bytes=None)
    dataset = load_dataset([("small.csv", small), ("large.csv", large)], budget=budget)
    assert len(dataset.interactions) == 50
    failed = [i for i in dataset.report.issues if i.code == "mapping.issue.file_failed"]
    assert [i.column for i in failed] == ["large.csv"]
    assert failed[0].examples[0].startswith("large.csv is ")


def test_load_of_one_file_over_the_limit_is_fatal():
    budget = ReadBudget(max_file_bytes=100, max_memory_bytes=None)
    dataset = load_dataset([("large.csv", csv_bytes(100))], budget=budget)
    assert dataset.report.fatal is not None
    assert dataset.report.fatal.code == "mapping.fatal.no_file"


def test_load_refuses_files_that_fit_alone_but_not_together():
    first, second = csv_bytes(2000), csv_bytes(3000)
    one = estimate_memory("a.csv", second).expected_peak_bytes
    budget = ReadBudget(max_file_bytes=None, max_memory_bytes=one)
    error = refused(load_dataset, [("a.csv", first), ("b.csv", second)], budget=budget)
    assert error.code == "io.load_too_big_for_memory"
    expected = int(2.5 * len(first) + 0.999) + int(2.5 * len(second) + 0.999)
    assert error.params == {"count": 2, "name": "a.csv, b.csv",
                            "need": expected + LOAD_OVERHEAD_BYTES, "available": one}
    assert_translated(error)
    both = ReadBudget(max_file_bytes=None, max_memory_bytes=expected + LOAD_OVERHEAD_BYTES)
    assert len(load_dataset([("a.csv", first), ("b.csv", second)],
                            budget=both).interactions) == 5000


def test_messages_exist_in_both_languages():
    for key in ("io.too_large", "io.too_big_for_memory", "io.inflates_too_much",
                "io.load_too_big_for_memory", "io.budget_setting_invalid"):
        assert set(catalog()[key]) == {"en", "pt"}


# --- the command line -------------------------------------------------------------------------


def test_kpi_convert_is_not_limited_by_the_file_size_but_validate_is(tmp_path, monkeypatch,
                                                                      capsys):
    from kpi.cli import main

    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(2000))
    monkeypatch.setenv("KPI_MAX_FILE_MB", "0.01")  # 10 KB; the file is about 80 KB
    assert main(["convert", str(path), "--out", str(tmp_path / "dataset")]) == 0
    written = pd.read_parquet(tmp_path / "dataset")
    assert len(written) == 2000
    capsys.readouterr()
    main(["validate", str(path)])
    out = capsys.readouterr().out  # the report shortens the sentence in the middle
    assert "The file export.csv was skipped: export.csv" in out
    assert "or convert it with `kpi convert` and open the Parquet folder." in out
