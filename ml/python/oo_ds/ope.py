"""The OPE table of `npm run ope`, recomputed from an export (see ml/pipelines/README.md).

Rows are the export's (oo_ds.export.read_export). The policies, the decisions each is evaluated
on and the order of those decisions are those of ml/pipelines/src/ope/policy-evaluation.ts.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from .estimators import LoggedDecision, evaluate_policy

Row = dict[str, Any]


def is_usable(row: Row) -> bool:
    """Settled, with probabilities covering every candidate and a chosen propensity above 0."""
    k = len(row["candidate_ids"])
    p = row["probabilities"]
    chosen = row["chosen_index"]
    return row["settled"] and k > 0 and len(p) == k and chosen < k and p[chosen] > 0


def evaluate_rows(rows: list[Row], seed: int = 0, resamples: int = 1000) -> list[dict]:
    """One entry per policy — live, fallback, each shadow (by name), uniform — as in the JSON report."""
    usable = [r for r in rows if is_usable(r)]
    if not usable:
        return []
    logs = [LoggedDecision(r["probabilities"], r["chosen_index"], r["reward"], r["model_vectors"]) for r in usable]

    def evaluate(label: str, role: str, target_of: Callable[[Row], Optional[list[float]]]) -> dict:
        picked, targets, names, skipped = [], [], set(), 0
        for row, log in zip(usable, logs):
            target = target_of(row)
            if target is None:
                continue
            if len(target) != len(row["candidate_ids"]):
                skipped += 1
                continue
            picked.append(log)
            targets.append(target)
            names.add(label[len("shadow:"):] if role == "shadow" else row["policy"])
        n = len(picked)
        evaluation = evaluate_policy(picked, targets, seed=seed, resamples=resamples) if n else None
        logged_mean = None
        if n:
            total = 0.0
            for log in picked:
                total += log.reward
            logged_mean = total / n
        return {
            "label": label,
            "role": role,
            "names": ["uniform"] if role == "uniform" else sorted(names),
            "n": n,
            "skipped": skipped,
            "loggedMean": logged_mean,
            "evaluation": evaluation,
        }

    table = [
        evaluate("live", "live", lambda r: None if r["fallback"] else r["probabilities"]),
        evaluate("fallback", "fallback", lambda r: r["probabilities"] if r["fallback"] else None),
    ]
    for name in sorted({s["policy"] for r in usable for s in r["shadow_policies"]}):
        table.append(evaluate(f"shadow:{name}", "shadow", lambda r, name=name: _shadow_target(r, name)))
    table.append(evaluate("uniform", "uniform", lambda r: [1 / len(r["candidate_ids"])] * len(r["candidate_ids"])))
    return table


def _shadow_target(row: Row, name: str) -> Optional[list[float]]:
    # The first entry under that name, as the TypeScript's find(); an empty vector (the shadow failed
    # to score) is returned as is and counted as skipped, unlike a decision the shadow never saw.
    for shadow in row["shadow_policies"]:
        if shadow["policy"] == name:
            return list(shadow["probabilities"])
    return None


def format_table(policies: list[dict]) -> str:
    """The policy table as `npm run ope` prints it (three decimals)."""
    header = ["policy", "n", "ESS", "IPS", "SNIPS", "DR", "logged"]
    lines = [header]
    for p in policies:
        e = p["evaluation"]
        label = p["label"] + (f" ({', '.join(p['names'])})" if p["role"] in ("live", "fallback") and p["names"] else "")
        n = f"{p['n']:,}" + (f" (+{p['skipped']} skipped)" if p["skipped"] else "")
        if e is None:
            lines.append([label, n, "-", "-", "-", "-", "-"])
            continue
        interval = lambda x: f"{x['value']:.3f} [{x['lower']:.3f}, {x['upper']:.3f}]"  # noqa: E731
        lines.append([label, n, f"{e['effectiveSampleSize']:.0f}", interval(e["ips"]), interval(e["snips"]), interval(e["dr"]), f"{p['loggedMean']:.3f}"])
    widths = [max(len(r[c]) for r in lines) for c in range(len(header))]
    return "\n".join("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip() for r in lines)
