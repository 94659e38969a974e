"""``read_file``: any supported file, from bytes or a path, into a :class:`RawTable`."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from kpi.errors import UnreadableFileError
from kpi.io.budget import ReadBudget, check_budget, check_memory, estimate_memory, inflate_limit
from kpi.io.containers import Unwrapped, unwrap
from kpi.io.delimited import NotUtf8Error, read_delimited
from kpi.io.detect import GZIP_MAGIC, ZIP_MAGICS, detect_format, extension, looks_binary
from kpi.io.dialect import SAMPLE_BYTES, detect_dialect, probes_of, sample_of
from kpi.io.encoding import SINGLE_BYTE, detect_encoding, streaming_codec, to_utf8
from kpi.io.frames import arrow_to_pandas
from kpi.io.options import Compression, RawTable, ReadOptions
from kpi.io.source import FileBytes
from kpi.io.tables import excel_sheets, read_excel, read_json, read_json_lines, read_parquet

_TAB_EXTENSIONS = (".tsv", ".tab")


def read_file(
    name: str, data: bytes | Path, options: ReadOptions | None = None, *,
    budget: ReadBudget | None = None,
) -> RawTable:
    """Read a CSV/TSV, Excel, Parquet, JSON or JSON Lines file (plain, ``.gz`` or ``.zip``).

    Whatever ``options`` leave unset is detected; the returned ``RawTable.options`` say what
    was used. ``budget`` (default :class:`ReadBudget`: 200 MB a file, half the free memory)
    is checked before anything is parsed or inflated. Raises only
    :class:`~kpi.errors.UnreadableFileError` (codes ``io.*``).
    """
    given = options or ReadOptions()
    budget = budget if budget is not None else ReadBudget()
    check_budget(name, data, budget, given.compression)
    plain_csv = _plain_csv_on_disk(name, data, given)
    if plain_csv is not None:  # streamed from disk, never whole in memory
        raw: bytes | FileBytes = plain_csv
        inner = Unwrapped(name, plain_csv, None)  # type: ignore[arg-type]
    else:
        raw = _bytes_of(name, data)
        if _blank(raw):
            raise UnreadableFileError("io.empty", name=name)
        inner = _unwrap_within(name, raw, given.compression, budget)
        if _blank(inner.data):
            raise UnreadableFileError("io.empty", name=name)
    compression = given.compression or inner.compression
    file_format = given.format or detect_format(inner.name, inner.data[:4096])

    skipped = 0
    sheets: tuple[str, ...] = ()
    if file_format == "csv":
        table, used, skipped = _read_csv(inner.name, inner.data, given)
        del raw, inner, data  # the text is read: let it go before the frame is built
        frame = arrow_to_pandas(table, consume=True)  # frees each column once converted
        del table
    elif file_format == "excel":
        sheet = read_excel(inner.data, name=name, sheet=given.sheet, skip_rows=given.skip_rows)
        frame, sheets = sheet.frame, sheet.sheets
        used = ReadOptions(format="excel", sheet=sheet.sheet, skip_rows=sheet.skip_rows)
    elif file_format == "parquet":
        frame, used = read_parquet(inner.data, name=name), ReadOptions(format="parquet")
    else:
        reader = read_json if file_format == "json" else read_json_lines
        frame, encoding = reader(inner.data, name=name, encoding=given.encoding)
        used = ReadOptions(format=file_format, encoding=encoding)
    if frame.shape[1] == 0:
        raise UnreadableFileError("io.empty", name=name)
    if frame.shape[0] == 0:
        raise UnreadableFileError("io.no_rows", name=name)
    used = given.merged(ReadOptions(compression=compression)).merged(used)
    return RawTable(frame=frame, options=used, sheets=sheets, source=name, skipped_rows=skipped)


def list_sheets(data: bytes | Path, *, budget: ReadBudget | None = None) -> list[str]:
    """The sheet names of an Excel workbook (also inside a ``.zip``); ``[]`` for other files."""
    name = data.name if isinstance(data, Path) else "workbook.xlsx"
    budget = budget if budget is not None else ReadBudget()
    check_budget(name, data, budget)
    raw = _bytes_of(name, data)
    if _blank(raw):
        raise UnreadableFileError("io.empty", name=name)
    inner = _unwrap_within(name, raw, None, budget)
    if not inner.data.startswith(b"PK"):
        return []
    return excel_sheets(inner.data, name=name)


def _unwrap_within(
    name: str, raw: bytes, compression: Compression | None, budget: ReadBudget
) -> Unwrapped:
    """The file inside ``raw``; a container inside a container is checked against the budget."""
    limit = inflate_limit(budget)
    inner = unwrap(name, raw, compression, inflate_limit=limit)
    if inner.compression is not None and inner.data.startswith((GZIP_MAGIC, *ZIP_MAGICS)):
        check_memory(name, estimate_memory(inner.name, inner.data).expected_peak_bytes, budget)
        if inner.data.startswith(GZIP_MAGIC):  # a .csv.gz inside a .zip
            inner = unwrap(inner.name, inner.data, "gzip", inflate_limit=limit)
    return inner


def _plain_csv_on_disk(name: str, data: bytes | Path, given: ReadOptions) -> FileBytes | None:
    """``data`` as :class:`FileBytes` when it is an uncompressed delimited text file on disk."""
    if not isinstance(data, Path) or given.compression is not None:
        return None
    try:
        lazy = FileBytes(data)
    except OSError:
        return None  # reported by the ordinary path
    head = lazy[:4096]
    if not head.strip() or head.startswith((GZIP_MAGIC, *ZIP_MAGICS)):
        return None
    try:
        file_format = given.format or detect_format(name, head)
    except UnreadableFileError:
        return None  # raised again by the ordinary path, in its order
    return lazy if file_format == "csv" else None


def _blank(data: bytes) -> bool:
    """Only whitespace (checked on the head first: ``strip`` would copy a large file)."""
    return not data[:4096].strip() and not data.strip()


def _bytes_of(name: str, data: bytes | Path) -> bytes:
    if isinstance(data, Path):
        try:
            return data.read_bytes()
        except OSError:
            raise UnreadableFileError("io.not_found", name=name) from None
    return bytes(data)


def _read_csv(
    name: str, data: bytes | FileBytes, given: ReadOptions
) -> tuple[pa.Table, ReadOptions, int]:
    """Delimited text: encoding, then dialect on a sample, then pyarrow on the whole file."""
    head, complete = sample_of(data)
    encoding = given.encoding or detect_encoding(head, truncated=not complete)
    if given.encoding is None and not encoding.startswith("utf-16") and looks_binary(data[:4096]):
        raise UnreadableFileError("io.not_text", name=name, format="csv")
    try:
        table, used, skipped = _parse_csv(name, data, encoding, given)
    except NotUtf8Error:
        if given.encoding is not None:
            raise UnreadableFileError("io.decode_failed", name=name, encoding=encoding) from None
        encoding = SINGLE_BYTE  # UTF-8 in the sample, something else further on
        table, used, skipped = _parse_csv(name, data, encoding, given)
    return table, used.merged(ReadOptions(encoding=encoding)), skipped


def _parse_csv(
    name: str, data: bytes | FileBytes, encoding: str, given: ReadOptions
) -> tuple[pa.Table, ReadOptions, int]:
    """Detect the dialect on a UTF-8 sample and read the whole text with it.

    UTF-8 and the single-byte encodings are transcoded by pyarrow while it reads (no UTF-8
    copy of the file); other encodings (UTF-16...) are converted to UTF-8 first.
    """
    streaming = streaming_codec(data, encoding)
    if streaming is None:
        data, start, codec = to_utf8(data[:], encoding, name=name), 0, "utf8"
    else:
        start, codec = streaming
    prefix = data[start:start + SAMPLE_BYTES + 1]
    # single-byte text: this prefix gives at least as many UTF-8 bytes as the sample takes
    sample, complete = sample_of(prefix if codec == "utf8" else
                                 prefix.decode(codec).encode("utf-8"))
    probes = probes_of(data, start=start, encoding="utf-8" if codec == "utf8" else codec)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        raise NotUtf8Error(name) from None
    if not text.strip():
        raise UnreadableFileError("io.empty", name=name)
    dialect = detect_dialect(
        text,
        complete=complete,
        probes=probes,
        sep=given.sep,
        decimal=given.decimal,
        thousands=given.thousands,
        dayfirst=given.dayfirst,
        skip_rows=given.skip_rows,
        default_sep="\t" if extension(name) in _TAB_EXTENSIONS else ",",
    )
    offset = dialect.data_offset
    if codec != "utf8":  # one byte per character before the data
        offset = len(sample[:offset].decode("utf-8"))
    result = read_delimited(data, dialect, name=name, encoding=codec, offset=start + offset)
    used = ReadOptions(
        format="csv",
        sep=dialect.sep,
        decimal=dialect.decimal,
        thousands=dialect.thousands,
        dayfirst=dialect.dayfirst,
        skip_rows=dialect.skip_rows,
    )
    return result.table, used, result.skipped_rows
