"""Reads `npm run stream -- export` files: JSONL always, Parquet where pyarrow is importable.

Both give the same rows: dicts keyed by the export's column names (ml/pipelines/README.md, "The
export's columns"), timestamps as timezone-aware `datetime`s in UTC, lists as lists, and None for
a null. Rows keep the file's order, the order the decisions were served in.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = "oo.decision-export.v1"
TIMESTAMP_COLUMNS = ("served_at", "reacted_at", "observed_at")
REQUIRED_COLUMNS = (
    "decision_id",
    "served_at",
    "policy",
    "fallback",
    "chosen_index",
    "probabilities",
    "shadow_policies",
    "model_vectors",
    "settled",
    "reward",
)


class ExportReadError(ValueError):
    """The file is not a decision export this reader understands; the message says where."""


class ParquetUnavailable(RuntimeError):
    """Parquet needs pyarrow, which is not importable here (Debian 12 has no python3-pyarrow)."""


def parquet_available() -> bool:
    """True when pyarrow can be imported, so `read_export` can read Parquet."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def read_export(path: str | Path, format: str | None = None) -> list[dict[str, Any]]:
    """Reads an export, choosing the format by `format` or else by the file's extension.

    >>> rows = read_export("decisions.jsonl")
    >>> rows[0]["reward"], rows[0]["served_at"].isoformat()
    """
    path = Path(path)
    chosen = format or {".jsonl": "jsonl", ".parquet": "parquet"}.get(path.suffix)
    if chosen == "jsonl":
        return read_export_jsonl(path)
    if chosen == "parquet":
        return read_export_parquet(path)
    raise ExportReadError(f"{path}: cannot tell the format; name it .jsonl or .parquet, or pass format='jsonl'|'parquet'")


def read_export_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """One row per non-blank line; a broken line fails with its number."""
    rows = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ExportReadError(f"{path}:{number}: not JSON ({error.msg})") from error
            rows.append(_checked(record, f"{path}:{number}", _parse_time))
    return rows


def read_export_parquet(path: str | Path) -> list[dict[str, Any]]:
    """Reads every row group with pyarrow; raises ParquetUnavailable without it."""
    if not parquet_available():
        raise ParquetUnavailable(
            "reading Parquet needs pyarrow, which is not installed (Debian 12 ships no python3-pyarrow); "
            "export with --format jsonl instead, or install pyarrow"
        )
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    schema_tag = (table.schema.metadata or {}).get(b"oo.schema", b"").decode()
    if schema_tag != SCHEMA:
        raise ExportReadError(f"{path}: footer says schema {schema_tag or 'nothing'!r}, this reader knows {SCHEMA!r}")
    return [_checked(record, f"{path} row {i}", _utc) for i, record in enumerate(table.to_pylist())]


def _checked(record: Any, where: str, as_time) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ExportReadError(f"{where}: expected an object with the export's columns")
    missing = [c for c in REQUIRED_COLUMNS if c not in record]
    if missing:
        raise ExportReadError(f"{where}: missing column(s) {', '.join(missing)}")
    for column in TIMESTAMP_COLUMNS:
        if record.get(column) is not None:
            record[column] = as_time(record[column], f"{where}: {column}")
    return record


def _parse_time(text: Any, where: str) -> datetime:
    if not isinstance(text, str):
        raise ExportReadError(f"{where} must be an RFC 3339 string")
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")), where)
    except ValueError as error:
        raise ExportReadError(f"{where} is not a time ({text!r})") from error


def _utc(value: datetime, _where: str) -> datetime:
    # pyarrow gives UTC-adjusted timestamps as aware datetimes already; naive ones are UTC by the schema.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
