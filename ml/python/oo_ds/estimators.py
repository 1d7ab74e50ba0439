"""Off-policy estimators as @oo/bandit computes them (ml/bandit/src/evaluation), in numpy.

Same reward model (cross-fitted ridge, predictions clipped to the observed reward range), same
estimators (IPS, SNIPS, DR, DM, ESS), and the same seeded bootstrap resamples, so an evaluation
here matches `npm run ope` to rounding (far below 1e-9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .seeded_rng import create_rng


@dataclass(frozen=True)
class LoggedDecision:
    probabilities: list[float]
    chosen: int
    reward: float
    candidates: list[list[float]]


def cross_fitted_rewards(logs: list[LoggedDecision], lam: float = 1.0, folds: int = 2) -> list[np.ndarray]:
    """r̂[t][a]: each decision predicted by a ridge fitted on the other folds (t % folds)."""
    n = len(logs)
    if n == 0:
        return []
    folds = max(1, min(folds, n))
    d = len(logs[0].candidates[0]) if logs[0].candidates else 0
    rewards = [log.reward for log in logs]
    lo, hi = min(rewards), max(rewards)
    total_a = lam * np.eye(d)
    total_b = np.zeros(d)
    fold_a = [np.zeros((d, d)) for _ in range(folds)]
    fold_b = [np.zeros(d) for _ in range(folds)]
    for t, log in enumerate(logs):
        x = np.asarray(log.candidates[log.chosen], dtype=float)
        outer = np.outer(x, x)
        total_a += outer
        fold_a[t % folds] += outer
        total_b += log.reward * x
        fold_b[t % folds] += log.reward * x
    thetas = []
    for f in range(folds):
        a = total_a if folds == 1 else total_a - fold_a[f]
        b = total_b if folds == 1 else total_b - fold_b[f]
        thetas.append(np.linalg.solve(a, b))
    return [np.clip(np.asarray(log.candidates, dtype=float) @ thetas[t % folds], lo, hi) for t, log in enumerate(logs)]


@lru_cache(maxsize=16)
def bootstrap_indices(seed: int | str, n: int, resamples: int) -> np.ndarray:
    """The resampled positions, resamples × n, drawn exactly as the TypeScript bootstrap draws them."""
    rng = create_rng(seed)
    draws = np.empty((resamples, n), dtype=np.int64)
    for b in range(resamples):
        row = draws[b]
        for k in range(n):
            row[k] = rng.int(n)
    draws.setflags(write=False)
    return draws


def percentile_interval(replicates: np.ndarray, level: float) -> tuple[float, float]:
    """Linearly interpolated (1 − level)/2 and (1 + level)/2 quantiles of the replicates."""
    ordered = np.sort(np.asarray(replicates, dtype=float))

    def quantile(q: float) -> float:
        position = q * (len(ordered) - 1)
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        frac = position - low
        return float(ordered[low] * (1 - frac) + ordered[high] * frac)

    return quantile((1 - level) / 2), quantile((1 + level) / 2)


def evaluate_policy(logs: list[LoggedDecision], targets: list[list[float]], seed: int | str = 0, resamples: int = 1000, level: float = 0.95) -> dict:
    """`evaluatePolicy`: the target policy's value with IPS, SNIPS, DR and DM, and bootstrap intervals."""
    if not logs:
        raise ValueError("no logged decisions to evaluate")
    if len(targets) != len(logs):
        raise ValueError(f"{len(logs)} decisions but {len(targets)} target vectors")
    if resamples < 1:
        raise ValueError("resamples must be a positive integer")
    n = len(logs)
    predicted = cross_fitted_rewards(logs)
    weight = np.empty(n)
    weighted_reward = np.empty(n)
    dr_term = np.empty(n)
    dm_term = np.empty(n)
    for t, (log, target) in enumerate(zip(logs, targets)):
        if len(target) != len(log.probabilities):
            raise ValueError(f"decision {t}: target probabilities must cover every candidate")
        r_hat = predicted[t]
        w = target[log.chosen] / log.probabilities[log.chosen]
        dm = 0.0
        for a, p in enumerate(target):
            dm += p * r_hat[a]
        weight[t] = w
        weighted_reward[t] = w * log.reward
        dm_term[t] = dm
        dr_term[t] = dm + w * (log.reward - r_hat[log.chosen])
    draws = bootstrap_indices(seed, n, resamples)
    sw = weight[draws].sum(axis=1)
    swr = weighted_reward[draws].sum(axis=1)
    replicates = {
        "ips": swr / n,
        "snips": np.where(sw > 0, swr / np.where(sw > 0, sw, 1), 0.0),
        "dr": dr_term[draws].sum(axis=1) / n,
        "dm": dm_term[draws].sum(axis=1) / n,
    }
    sum_w = _sequential_sum(weight)
    sum_w2 = _sequential_sum(weight * weight)
    sum_wr = _sequential_sum(weighted_reward)

    def estimate(value: float, name: str) -> dict:
        lower, upper = percentile_interval(replicates[name], level)
        return {"value": float(value), "lower": lower, "upper": upper}

    return {
        "n": n,
        "ips": estimate(sum_wr / n, "ips"),
        "snips": estimate(sum_wr / sum_w if sum_w > 0 else 0.0, "snips"),
        "dr": estimate(_sequential_sum(dr_term) / n, "dr"),
        "dm": estimate(_sequential_sum(dm_term) / n, "dm"),
        "effectiveSampleSize": (sum_w * sum_w) / sum_w2 if sum_w2 > 0 else 0.0,
    }


def _sequential_sum(values: np.ndarray) -> float:
    # Left to right like the TypeScript loop (numpy sums pairwise): point estimates then agree exactly.
    total = 0.0
    for v in values:
        total += float(v)
    return total
