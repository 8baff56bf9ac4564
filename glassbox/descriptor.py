r"""The replica-overlap descriptor and its error analysis (DESIGN section 3).

At each temperature, from overlap samples :math:`q_{ab}` of replica pairs
:math:`a < b` and energies per spin :math:`e_a`:

* :math:`Q(T) = \langle |q_{ab}| \rangle` over measurements and pairs
  (the paper's descriptor; about :math:`1/\sqrt N` in the paramagnet);
* :math:`\langle q^2 \rangle`, :math:`\langle q^4 \rangle`, the Binder cumulant
  :math:`g = \tfrac12 (3 - \langle q^4 \rangle / \langle q^2 \rangle^2)`
  and the spin-glass susceptibility :math:`\chi_{SG} = N \langle q^2 \rangle`;
* the energy per spin and the specific heat per spin
  :math:`c = N (\langle e^2 \rangle - \langle e \rangle^2) / T^2`;
* the integrated autocorrelation times of :math:`|q|` and of the energy
  (the relaxation times), in sweeps;
* an equilibration flag from logarithmic binning.

Errors are standard errors of the mean corrected for autocorrelation,
:math:`\sigma / \sqrt{n / \tau}`.
"""

from __future__ import annotations

import numpy as np

N_SIGMA_EQUILIBRATION = 3.0


def autocorrelation_function(series: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation rho(t) of a 1-d series, via FFT."""
    x = np.asarray(series, dtype=np.float64)
    x = x - x.mean()
    n = x.size
    size = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(x, n=size)
    acf = np.fft.irfft(f * np.conj(f), n=size)[:n]
    if acf[0] <= 0:
        return np.r_[1.0, np.zeros(n - 1)]
    return acf / acf[0]


def integrated_autocorrelation_time(series: np.ndarray, window_factor: float = 5.0) -> float:
    r"""Integrated autocorrelation time :math:`\tau = 1 + 2 \sum_{t \ge 1} \rho(t)`, in samples.

    Sokal's automatic window: the sum stops at the first W with
    :math:`W \ge c\,\tau(W)` (c = ``window_factor``). With this convention the
    variance of the mean of n samples is :math:`\sigma^2 \tau / n`; an AR(1)
    series with coefficient :math:`\phi` has :math:`\tau = (1+\phi)/(1-\phi)`.
    A constant series has tau = 1.
    """
    x = np.asarray(series, dtype=np.float64)
    if x.size < 4 or np.ptp(x) == 0:
        return 1.0
    rho = autocorrelation_function(x)
    taus = 2.0 * np.cumsum(rho) - 1.0
    windows = np.arange(taus.size)
    ok = windows >= window_factor * taus
    w = int(np.argmax(ok)) if np.any(ok) else taus.size - 1
    return float(max(taus[w], 1.0))


def mean_and_error(series: np.ndarray) -> tuple[float, float, float]:
    """Mean, autocorrelation-corrected standard error, and tau (in samples)."""
    x = np.asarray(series, dtype=np.float64)
    tau = integrated_autocorrelation_time(x)
    err = float(x.std(ddof=1) * np.sqrt(tau / x.size)) if x.size > 1 else float("nan")
    return float(x.mean()), err, tau


def log_binning_check(series: np.ndarray, n_sigma: float = N_SIGMA_EQUILIBRATION) -> dict:
    """Compare the means of the last two doubling windows, [n/4, n/2) and [n/2, n).

    A series that is still drifting shows different means in successive
    windows; equilibrium means they agree within ``n_sigma`` combined errors.
    """
    x = np.asarray(series, dtype=np.float64)
    n = x.size
    if n < 16:
        return {"equilibrated": False, "drift_sigma": float("nan")}
    early, late = x[n // 4 : n // 2], x[n // 2 :]
    m1, e1, _ = mean_and_error(early)
    m2, e2, _ = mean_and_error(late)
    combined = np.hypot(e1, e2)
    drift = abs(m2 - m1) / combined if combined > 0 else (0.0 if m1 == m2 else np.inf)
    return {"equilibrated": bool(drift <= n_sigma), "drift_sigma": float(drift)}


def binder_cumulant(q2: float, q4: float) -> float:
    """g = (3 - <q^4>/<q^2>^2) / 2: 1 for a single frozen state, 0 for Gaussian q."""
    return 0.5 * (3.0 - q4 / q2**2) if q2 > 0 else float("nan")


def _jackknife(function, *series: np.ndarray, n_blocks: int = 16) -> float:
    """Block-jackknife error of ``function(*means)`` over the first axis of each series."""
    n = series[0].shape[0]
    n_blocks = min(n_blocks, n)
    if n_blocks < 2:
        return float("nan")
    edges = np.linspace(0, n, n_blocks + 1).astype(int)
    totals = [s.sum(axis=0) for s in series]
    estimates = []
    for i in range(n_blocks):
        lo, hi = edges[i], edges[i + 1]
        means = [(t - s[lo:hi].sum(axis=0)) / (n - (hi - lo)) for t, s in zip(totals, series)]
        estimates.append(function(*means))
    estimates = np.asarray(estimates)
    return float(np.sqrt((n_blocks - 1) * np.mean((estimates - estimates.mean()) ** 2)))


def temperature_observables(
    overlaps: np.ndarray,
    energy_per_spin: np.ndarray,
    temperature: float,
    n_spins: int,
    measure_every: int = 1,
    layer_overlaps: np.ndarray | None = None,
) -> dict:
    """Every scalar observable at one temperature; see the module docstring.

    ``overlaps`` has shape (measurements, pairs); ``energy_per_spin`` has shape
    (measurements, replicas); ``layer_overlaps`` (measurements, pairs, layers).
    Times are converted from measurements to sweeps with ``measure_every``.
    """
    q = np.asarray(overlaps, dtype=np.float64)
    e = np.asarray(energy_per_spin, dtype=np.float64)
    abs_q_series = np.abs(q).mean(axis=1)
    q2_series = (q**2).mean(axis=1)
    q4_series = (q**4).mean(axis=1)
    energy_series = e.mean(axis=1)

    Q, Q_err, tau_q = mean_and_error(abs_q_series)
    q2, q2_err, _ = mean_and_error(q2_series)
    q4 = float(q4_series.mean())
    energy, energy_err, tau_e = mean_and_error(energy_series)
    binder = binder_cumulant(q2, q4)
    binder_err = _jackknife(binder_cumulant, q2_series, q4_series)
    # specific heat from per-replica fluctuations, averaged over replicas
    heat = n_spins * float(np.mean(e.var(axis=0, ddof=1))) / temperature**2 if e.shape[0] > 1 else float("nan")
    eq_q = log_binning_check(abs_q_series)
    eq_e = log_binning_check(energy_series)
    out = {
        "temperature": float(temperature),
        "Q": Q,
        "Q_err": Q_err,
        "q2": q2,
        "q2_err": q2_err,
        "q4": q4,
        "binder": binder,
        "binder_err": binder_err,
        "chi_sg": n_spins * q2,
        "energy_per_spin": energy,
        "energy_per_spin_err": energy_err,
        "specific_heat": heat,
        "tau_q_sweeps": tau_q * measure_every,
        "tau_energy_sweeps": tau_e * measure_every,
        "drift_sigma_q": eq_q["drift_sigma"],
        "drift_sigma_energy": eq_e["drift_sigma"],
        "equilibrated": bool(eq_q["equilibrated"] and eq_e["equilibrated"]),
        "n_measurements": int(q.shape[0]),
    }
    if layer_overlaps is not None:
        for k, value in enumerate(np.abs(np.asarray(layer_overlaps, dtype=np.float64)).mean(axis=(0, 1))):
            out[f"Q_layer{k}"] = float(value)
    return out


def overlap_histogram(overlaps: np.ndarray, n_spins: int, bins: int = 41) -> tuple[np.ndarray, np.ndarray]:
    """P(q) as a normalised histogram on [-1, 1]: bin centres and densities."""
    bins = min(bins, n_spins + 1)
    edges = np.linspace(-1.0, 1.0, bins + 1)
    density, _ = np.histogram(np.asarray(overlaps).ravel(), bins=edges, density=True)
    return 0.5 * (edges[:-1] + edges[1:]), density


def curve_summaries(temperatures: np.ndarray, Q: np.ndarray) -> dict:
    r"""Scalar summaries of one Q(T) curve.

    * ``Q_area``: the mean of Q over log T, :math:`\int Q\, d\ln T / \ln(T_{max}/T_{min})`;
    * ``T_half``: the temperature where Q(T) first falls through 1/2
      (interpolated in log T; NaN when the curve never crosses);
    * ``Q_low`` and ``Q_high``: Q at the lowest and highest temperature.
    """
    t = np.asarray(temperatures, dtype=np.float64)
    q = np.asarray(Q, dtype=np.float64)
    order = np.argsort(t)
    t, q = t[order], q[order]
    log_t = np.log(t)
    area = float(np.trapezoid(q, log_t) / (log_t[-1] - log_t[0])) if t.size > 1 else float(q[0])
    t_half = float("nan")
    for i in range(t.size - 1):
        if q[i] >= 0.5 > q[i + 1]:
            frac = (q[i] - 0.5) / (q[i] - q[i + 1])
            t_half = float(np.exp(log_t[i] + frac * (log_t[i + 1] - log_t[i])))
            break
    return {"Q_area": area, "T_half": t_half, "Q_low": float(q[0]), "Q_high": float(q[-1])}
