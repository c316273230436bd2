"""Gaussian-process emulators of simulated outputs, their leave-one-out checks, and implausibility.

An emulator stands in for the simulator on one output: fitted to the mean outputs of simulated
points (inputs scaled to the unit cube), it predicts the expected output anywhere, with a variance
saying how sure it is. The kernel is a constant times an anisotropic Matern 5/2 (one length scale
per parameter) plus a white-noise term, fitted by maximum marginal likelihood (scikit-learn). The
white-noise term absorbs the stochastic variation of a simulated point mean (chance in the runs),
so the predicted mean is the emulated *expected* output and the white-noise level is the
stochastic (replicate) variance of a simulated mean. An output the free parameters do not move
at all (the same value at every point, as the network statistics are under common random
numbers) is emulated exactly by its constant value.

Implausibility of input ``x`` against target ``z`` (Vernon et al. 2010; Andrianakis et al. 2015)::

    I(x) = |E[f(x)] - z| / sqrt(V_obs + V_discrepancy + V_emulator(x) + V_stochastic)

With several targets the k-th largest implausibility is used (:func:`combined`): the largest with
one or two targets, the second largest with three to nine, the third largest with ten or more,
so that one poorly emulated output does not rule out a whole region (Vernon et al. 2010).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: Extra starts of the hyperparameter optimiser (from random points; the first is the default).
RESTARTS = 1


@dataclass(frozen=True)
class LooCheck:
    """Leave-one-out diagnostics of an emulator (closed form, hyperparameters kept).

    Attributes:
        standardised: Per training point, (observed - LOO prediction) / LOO SD.
        coverage2: Share of points with ``|standardised| <= 2`` (about 0.95 if well calibrated).
        coverage3: Share with ``|standardised| <= 3``.
    """

    standardised: np.ndarray
    coverage2: float
    coverage3: float


class Emulator:
    """A Gaussian-process emulator of one output over the unit cube.

    Args:
        x: Inputs in the unit cube, shape (n, d).
        y: Simulated mean output at each input, shape (n,).
        seed: Seed of the optimiser's restarts (the fit is deterministic given it).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, seed: int = 0) -> None:
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

        x, y = np.asarray(x, float), np.asarray(y, float)
        self.x, self.y = x, y
        self.constant = bool(np.ptp(y) <= 1e-9 * (1.0 + np.abs(y).max()))
        if self.constant:  # the free parameters do not move this output at all
            self.gp, self._scale2, self.nugget = None, 1.0, 0.0
            self._value = float(np.mean(y))
            return
        d = x.shape[1]
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
            np.full(d, 0.5), (0.03, 50.0), nu=2.5
        ) + WhiteKernel(0.05, (1e-6, 1.0))
        self.gp = GaussianProcessRegressor(
            kernel, normalize_y=True, n_restarts_optimizer=RESTARTS, random_state=seed
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bounds reached: the fit is still usable
            self.gp.fit(x, y)
        scale = float(np.atleast_1d(self.gp._y_train_std)[0])
        self._scale2 = scale**2
        #: Stochastic variance of a simulated mean (the white-noise level, in output units).
        self.nugget = float(self.gp.kernel_.k2.noise_level) * self._scale2

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Emulated expected output and its emulator variance (without the nugget) at ``x``."""
        if self.gp is None:
            return np.full(len(x), self._value), np.zeros(len(x))
        mean, sd = self.gp.predict(np.asarray(x, float), return_std=True)
        return mean, np.maximum(sd**2 - self.nugget, 0.0)

    def loo(self) -> LooCheck:
        """Leave-one-out standardised errors (Rasmussen and Williams 2006, section 5.4.2)."""
        if self.gp is None:
            return LooCheck(np.zeros(len(self.y)), 1.0, 1.0)
        k = self.gp.kernel_(self.x)
        k[np.diag_indices_from(k)] += self.gp.alpha
        inverse = np.linalg.inv(k)
        y = (self.y - self.gp._y_train_mean) / np.sqrt(self._scale2)
        alpha = inverse @ y
        z = alpha / np.sqrt(np.diag(inverse))
        return LooCheck(z, float(np.mean(np.abs(z) <= 2)), float(np.mean(np.abs(z) <= 3)))


def implausibility(
    mean: np.ndarray, variance: np.ndarray, value: float, sd: float, discrepancy: float
) -> np.ndarray:
    """``|mean - value| / sqrt(sd^2 + discrepancy^2 + variance)`` (NaN means stay NaN).

    Args:
        mean: Emulated (or simulated) expected output.
        variance: Emulator plus stochastic variance (or a simulated mean's squared standard error).
        value: The target.
        sd: The target's observation uncertainty.
        discrepancy: The model discrepancy's SD.
    """
    total = sd**2 + discrepancy**2 + np.nan_to_num(np.asarray(variance, float))
    return np.abs(np.asarray(mean, float) - value) / np.sqrt(total)


def default_rank(n_targets: int) -> int:
    """Which largest implausibility to use: 1st up to 2 targets, 2nd up to 9, else 3rd."""
    return 1 if n_targets <= 2 else 2 if n_targets <= 9 else 3


def combined(matrix: np.ndarray, rank: int) -> np.ndarray:
    """The ``rank``-th largest implausibility of each row (NaN counts as the largest)."""
    matrix = np.where(np.isnan(matrix), np.inf, np.asarray(matrix, float))
    rank = min(rank, matrix.shape[1])
    return np.sort(matrix, axis=1)[:, -rank]
