"""The Willans line's marginal efficiency ``e`` fitted on the EPA gasoline rows (issue 13,
task s33c, 6 Dec 2026; not shipped: docs/validation.md, "The gasoline (a) errors against
the spec sheet").

    python benchmarks/validation_probes.py willans_e   # ~12 min on the shared 2 cores

Why (``benchmarks/gasoline_residuals.py``): after the published compression ratio the
variable the FTP hold-out error follows most is the road-load power per test mass at
50 mph (partial r +0.34 FTP / +0.24 HWFET given the ratio, +0.30 / +0.13 within
families): the model is optimistic where the engine works at higher load. In the Willans
line ``P_fuel = (P_b + P_0) / e`` (docs/energy.md section 3; Guzzella & Sciarretta,
*Vehicle Propulsion Systems*, 2013, sec. 4.2: ``e`` the marginal (indicated) efficiency,
about 0.35-0.45 for SI engines, R as recalled, not re-read) ``e`` fixes how much more
fuel each kW of load costs; it is assumed 0.40, not fitted (its 0.36 / 0.45 refits were
tried only on the MY2022 fit of 12 cars, docs/energy.md). A lower fitted ``e`` would
charge the high-load configurations more, with the friction and standing terms refitted
around it.

The trial: ``e`` added to the fitted names (:data:`E_TRIAL` start and bounds; one
constant, fitted on every family), the shipped ``FIT_NAMES`` refitted with it, judged
against the shipped arm in the same run on the probes' footing (the grid of
``validation_probes.RATIO_GRID``, one Gauss-Newton step per held-out family,
``ice_lofo(exact=False)``) and with the kei WLTC check (the all-data fit, kei not
fitted). Ship rule: ``gasoline_residuals``'s module docstring (committed before this
trial was run); the label from specs alone is run only if (1)-(4) hold.

Result (6 Dec 2026, 16:13-16:25 UTC): ``e`` fits at 0.4037 (the assumed 0.40), ``pme0``
1.108 -> 1.158 bar, ``alpha`` 0.794 -> 0.787; held out FTP 5.48 % (+0.30 %) -> 5.51 %
(+0.28 %), HWFET 4.19 -> 4.20 %, every class row within 0.05 point, kei WLTC 5.09 ->
5.07 %: item (1) fails, not shipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np

from keidesign.energy import calibration as cal
from keidesign.validation import fueleconomy as fe

#: Start and bounds of the fitted Willans efficiency (the assumed 0.40 the start; the
#: bounds the SI range of Guzzella & Sciarretta widened by 0.05 each way).
E_TRIAL = {"x0": 0.40, "lb": 0.30, "ub": 0.50}
#: The fitted names of the trial: the shipped ones and ``e``.
E_FIT_NAMES = (*cal.FIT_NAMES, "e")
#: The shipped ``fit_vectors`` (taken at import; held in a namespace, out of the swap's
#: reach, which rebinds every module-level name bound to the shipped function).
SHIPPED = SimpleNamespace(fit_vectors=cal.fit_vectors)


def extended_fit_vectors(names: tuple[str, ...], extra: dict[str, dict[str, float]]
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration's ``fit_vectors`` of ``names`` where the trial names of ``extra``
    (``{name: {"x0", "lb", "ub"}}``) take their start and bounds from it."""
    rows = [(extra[n]["x0"], extra[n]["lb"], extra[n]["ub"]) if n in extra
            else tuple(float(v[0]) for v in SHIPPED.fit_vectors((n,))) for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration's ``fit_vectors`` that also knows ``e`` (:data:`E_TRIAL`)."""
    return extended_fit_vectors(names, {"e": E_TRIAL})


def check_effect() -> None:
    """Raise unless an ``e`` in the fit moves calibration's predicted FTP of an EPA row
    (the fit reaches the kernel through ``ice_section``)."""
    from keidesign.energy import testcars as tc

    car = next(car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES)
    check_fit_reaches(car, "e", 0.36)


def check_fit_reaches(car, name: str, value: float) -> None:
    """Raise unless the fit constant ``name`` at ``value`` lowers calibration's predicted
    FTP of the EPA row ``car`` by more than 1 % (a trial's constant must reach the kernel
    it is fitted for; shared by the trials that extend the fit)."""
    c, fit, _ = cal.stored_fits()
    base = cal.predict_ice([car], c, fit)["ftp"][0]
    moved = cal.predict_ice([car], c, {**fit, name: value})["ftp"][0]
    if not moved < base * 0.99:
        raise RuntimeError(f"the trial's {name} does not reach predict_ice ({base:.3f} -> "
                           f"{moved:.3f} mpg)")


@contextmanager
def active() -> Iterator[None]:
    """Calibration with ``e`` fittable for the ``with`` block (undone on exit)."""
    from transmission_trials import swapped_in

    with swapped_in(((SHIPPED.fit_vectors, fit_vectors),), check_effect):
        yield


def main() -> dict:
    """Both arms fitted and held out in this run; prints the ship-rule items (1)-(4)."""
    import validation_probes as vp  # benchmarks/validation_probes.py

    cars, kei = vp._ratio_data()
    c = cal.fixed_constants()
    out = {}
    with active():
        for name, names in (("shipped: e 0.40 assumed", cal.FIT_NAMES),
                            ("trial: e fitted", E_FIT_NAMES)):
            g = fe.ice_grid(cars, c, vp.RATIO_GRID, names=names)
            lofo = fe.ice_lofo(cars, c, g, exact=False)
            out[name] = vp._ratio_report(name, cars, kei, g, lofo, c, False)
    verdict(cars, out["shipped: e 0.40 assumed"], out["trial: e fitted"])
    return out


def verdict(cars: list, ship: dict, trial: dict) -> dict[str, bool]:
    """Items (1)-(4) of the ship rule; (5), the label from specs, not run here."""
    def mae(e: np.ndarray) -> float:
        return 100 * float(np.mean(np.abs(e)))
    ok = {"1 FTP -0.3 point, |bias| <= 1 %":
          mae(trial["epa"]["ftp"]) <= mae(ship["epa"]["ftp"]) - 0.3
          and abs(100 * np.mean(trial["epa"]["ftp"])) <= 1.0,
          "2 HWFET at most +0.1 point":
          mae(trial["epa"]["hwfet"]) <= mae(ship["epa"]["hwfet"]) + 0.1,
          "3 no class row +0.3 point": all(
              mae(trial["epa"][t][m]) <= mae(ship["epa"][t][m]) + 0.3
              for cls in fe.ICE_CLASSES for t in fe.TESTS
              for m in [np.array([car.cls == cls for car in cars])]),
          "4 kei WLTC ICE <= 6 %": mae(trial["kei"]) <= 6.0}
    print("\nShip rule (gasoline_residuals docstring), trial against shipped:")
    for k, v in ok.items():
        print(f"  {k}: {'pass' if v else 'FAIL'}")
    return ok
