# %% [markdown]
# # The OPE table from an export, in Python
#
# Notebook-style (the `# %%` cells open as a notebook in VS Code or Jupytext). From the repository:
#
#     npm run stream -- export --format jsonl --out decisions.jsonl --since 7d
#     npm run ope -- --since 7d --json > ope.json            # optional, to compare
#     /usr/bin/python3 ml/python/examples/ope_from_export.py decisions.jsonl --compare ope.json
#
# It matches `npm run ope` to 1e-9 for the same decisions, seed and resamples: the same settled
# rewards (the export carries them), the same reward model and the same bootstrap resamples.

# %%
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oo_ds.export import read_export  # noqa: E402
from oo_ds.ope import evaluate_rows, format_table  # noqa: E402


# %% [markdown]
# ## Compare with the TypeScript report
# Every number of every policy row: the estimates with their intervals, ESS, n and the logged mean.


# %%
def max_abs_difference(python_rows: list, typescript_rows: list) -> float:
    """The largest absolute difference between two policy tables; raises if their shapes differ."""
    if [p["label"] for p in python_rows] != [p["label"] for p in typescript_rows]:
        raise ValueError(f"different policies: {[p['label'] for p in python_rows]} vs {[p['label'] for p in typescript_rows]}")
    worst = 0.0
    for ours, theirs in zip(python_rows, typescript_rows):
        for key in ("n", "skipped", "names", "role"):
            if ours[key] != theirs[key]:
                raise ValueError(f"{ours['label']}: {key} is {ours[key]!r} here and {theirs[key]!r} in TypeScript")
        if (ours["evaluation"] is None) != (theirs["evaluation"] is None):
            raise ValueError(f"{ours['label']}: evaluated on one side only")
        if ours["evaluation"] is None:
            continue
        worst = max(worst, abs(ours["loggedMean"] - theirs["loggedMean"]))
        e, t = ours["evaluation"], theirs["evaluation"]
        worst = max(worst, abs(e["effectiveSampleSize"] - t["effectiveSampleSize"]))
        for estimator in ("ips", "snips", "dr", "dm"):
            for bound in ("value", "lower", "upper"):
                worst = max(worst, abs(e[estimator][bound] - t[estimator][bound]))
    return worst


# %%
def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description="Recompute the OPE table from an oO decision export")
    parser.add_argument("export", help="a .jsonl or .parquet file from npm run stream -- export")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--compare", help="the JSON report of npm run ope -- --json for the same decisions")
    parser.add_argument("--json", action="store_true", help="print the policy rows as JSON")
    args = parser.parse_args(argv)
    rows = read_export(args.export)
    policies = evaluate_rows(rows, seed=args.seed, resamples=args.resamples)
    print(json.dumps(policies, indent=2) if args.json else format_table(policies))
    if args.compare:
        report = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        difference = max_abs_difference(policies, report["policies"])
        print(f"max |python - typescript| = {difference:.3e}", file=sys.stderr)
        return 0 if difference <= 1e-9 else 1
    return 0


# %%
if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
