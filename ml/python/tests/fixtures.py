"""Inputs made by the real TypeScript code, once per test run: a raw decision log, its export as
JSONL and Parquet, the JSON report of `npm run ope` on it, CloudEvents from the services' codec and
draws of the bandit library's generator. Set OO_DS_FIXTURES to a folder to keep them."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

PYTHON_ROOT = Path(__file__).resolve().parents[1]
REPO = PYTHON_ROOT.parents[1]
TSX = REPO / "node_modules" / ".bin" / "tsx"
SEED = 3
RESAMPLES = 200


def _run(*args: str, stdout=None) -> None:
    if not TSX.exists():
        raise RuntimeError(f"{TSX} is missing: run npm install at {REPO} first (the fixtures come from the TypeScript code)")
    done = subprocess.run([str(TSX), *args], cwd=REPO, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"tsx {' '.join(args)} failed with {done.returncode}:\n{done.stderr}")


@lru_cache(maxsize=1)
def fixture_dir() -> Path:
    """The folder with every fixture, made on first use."""
    given = os.environ.get("OO_DS_FIXTURES")
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="oo-ds-fixtures-"))
    if not given:
        # Made for this run only: nothing is left in /tmp once the tests are done.
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / "raw-decisions.jsonl"
    _run("ml/pipelines/test/support/python-fixtures.ts", str(folder))
    with open(folder / "ope.json", "w", encoding="utf-8") as report:
        _run("ml/pipelines/src/ope/main.ts", "--file", str(raw), "--json", "--seed", str(SEED), "--resamples", str(RESAMPLES), stdout=report)
    for fmt in ("jsonl", "parquet"):
        _run("ml/pipelines/src/stream/main.ts", "export", "--file", str(raw), "--format", fmt, "--out", str(folder / f"export.{fmt}"), stdout=subprocess.DEVNULL)
    return folder
