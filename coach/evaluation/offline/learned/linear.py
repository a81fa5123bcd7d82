"""Small numpy linear models: L2 logistic regression (Newton) and helpers. Numpy only."""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def fit_logreg(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1.0,
    weights: np.ndarray | None = None,
    iters: int = 25,
) -> tuple[np.ndarray, float]:
    """Fit P(y=1|x) = sigmoid(x @ w + b) by Newton's method; L2 on w (not b).

    `l2` is the penalty relative to the total sample weight (it is scaled by it), so the
    same value behaves alike for data sets of different sizes.
    """
    n, d = x.shape
    sw = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    w = np.zeros(d + 1)
    pos = float(np.sum(sw * y)) / float(np.sum(sw))
    w[-1] = np.log(max(pos, 1e-4) / max(1 - pos, 1e-4))
    reg = np.full(d + 1, l2)
    reg[-1] = 1e-6
    for _ in range(iters):
        p = sigmoid(xb @ w)
        grad = xb.T @ (sw * (p - y)) / sw.sum() + reg * w / 1.0
        h = (xb * (sw * p * (1 - p))[:, None]).T @ xb / sw.sum() + np.diag(reg)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return w[:-1].astype(np.float32), float(w[-1])


class Standardiser:
    """Column mean/std scaling fitted on training rows."""

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        self.mean = mean.astype(np.float32)
        self.std = std.astype(np.float32)

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardiser:
        return cls(x.mean(axis=0), np.maximum(x.std(axis=0), 1e-4))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.std


def fit_logreg_gd_multi(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1.0,
    weights: np.ndarray | None = None,
    iters: int = 400,
) -> tuple[np.ndarray, np.ndarray]:
    """The objective of `fit_logreg`, by Nesterov-accelerated gradient descent (for wide x),
    for every column of y at once (y and weights of shape (n, k))."""
    n, d = x.shape
    k = y.shape[1]
    sw = np.ones((n, k)) if weights is None else np.asarray(weights, dtype=np.float64)
    sw = sw / sw.sum(axis=0, keepdims=True)
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    v0 = np.random.default_rng(0).standard_normal(d + 1)
    v = np.repeat(v0[:, None], k, axis=1)
    for _ in range(20):
        v = xb.T @ (sw * (xb @ v))
        v /= np.linalg.norm(v, axis=0, keepdims=True)
    lip = 0.25 * np.sum(v * (xb.T @ (sw * (xb @ v))), axis=0) + l2
    step = 1.0 / lip
    reg = np.full((d + 1, 1), l2)
    reg[-1] = 0.0
    w = np.zeros((d + 1, k))
    pos = np.sum(sw * y, axis=0)
    w[-1] = np.log(np.maximum(pos, 1e-4) / np.maximum(1 - pos, 1e-4))
    z = w.copy()
    t = 1.0
    for _ in range(iters):
        grad = xb.T @ (sw * (sigmoid(xb @ z) - y)) + reg * z
        w_next = z - step[None, :] * grad
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        z = w_next + (t - 1) / t_next * (w_next - w)
        w, t = w_next, t_next
    return w[:-1].astype(np.float32), w[-1].astype(np.float32)
