"""EPA fuel economy label (derived 5-cycle) and the CAFE compliance value.

Equations (units: mpg = mi/galUS; MPGe for a BEV):

* Derived 5-cycle label values from the unadjusted 2-cycle results
  (40 CFR 600.210-08 for MY2008-2016, 40 CFR 600.210-12 for MY2017+)::

      city = 1 / (Ci + Cs / FTP)          hwy = 1 / (Hi + Hs / HFET)

  2008 set: Ci = 0.003259, Cs = 1.1805, Hi = 0.001376, Hs = 1.3466;
  2017 set: Ci = 0.004091, Cs = 1.1601, Hi = 0.003191, Hs = 1.2945.
* MPGe uses 33.705 kWh per gallon equivalent (EPA; printed as 33.7 on the label), the
  value the energy model uses: ``kwh_per_gal`` must match it.
* Electric vehicles: adjusted = max(derived 5-cycle, 0.7 x unadjusted)
  (40 CFR 600.210-12(a)(2); EPA's optional 0.7 multiplier, the same rule as NREL
  FASTSim's ``maxEpaAdj = 0.3``). The max is taken exactly, not smoothed; its partial is
  that of the active branch (the derived branch when the two are equal).
* Combined = 55 % city / 45 % highway, harmonic: ``1 / (0.55/city + 0.45/hwy)``.
* Label CO2 (gasoline) = 8887 g/gal / label combined mpg; 0 for a BEV (tailpipe).
* CAFE compliance value (49 CFR 531.6, 40 CFR 600 subpart F): the *unadjusted* 2-cycle
  55/45 harmonic combination, before credits. For a BEV, 10 CFR 474.3 gives
  ``PEF / (combined Wh/mi)`` with the 55/45-weighted energy consumption; since
  ``MPGe = 1000 * kwh_per_gal / (Wh/mi)`` this equals
  ``unadjusted combined MPGe * PEF / (1000 * kwh_per_gal)``, i.e. x 82049/33705 = 2.434
  with the PEF in force (82,049 Wh/gal, EV without petroleum-powered accessories).

Validity: light-duty gasoline vehicles and BEVs; PHEVs, diesels and flex-fuel vehicles
need other factors (utility factors, other g CO2/gal) not modelled here. The derived
5-cycle method is the one most manufacturers use; vehicles tested on all five cycles get
vehicle-specific values (40 CFR 600.114-12) that may differ by a few percent.

Window sticker and fueleconomy.gov are not the same for MY2011-2016: the sticker of the
day carries the 2008 set (:func:`label_options` picks the set by model year), but
fueleconomy.gov (the ``city08``/``highway08``/``comb08`` the validation compares with)
recomputed its MY2011-2016 estimates with the 2017 calculations "to allow for proper
comparison across all model years"; MY2008-2010 stay on the 2008 method
(fueleconomy.gov, "2017 Ratings Changes", https://fueleconomy.gov/feg/ratings.shtml,
read 4 Dec 2026 [V]; EPA, "Basic Information on Fuel Economy Labeling": the 2017
calculations use test data of MY2011-2016 vehicles, the 2008 ones of MY2004-2006 [V]).
:func:`fueleconomy_gov_set` gives the set of that published value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from geometry import ad
from keidesign import batch
from keidesign.closed_form import DualClosedForm
from keidesign.errors import InputError

__all__ = [
    "CO2_G_PER_GAL",
    "COEFFICIENTS",
    "EV_MIN_FACTOR",
    "FUELECONOMY_GOV_2017_FROM",
    "KWH_PER_GAL",
    "LabelComp",
    "PEF_WH_PER_GAL",
    "co2_g_per_mi",
    "combined_55_45",
    "fueleconomy_gov_set",
    "label_coefficients",
    "label_from_unadjusted",
    "label_options",
    "petroleum_equivalent_mpg",
]

#: Derived 5-cycle coefficient sets, 40 CFR 600.210-08 (2008) and 600.210-12 (2017).
COEFFICIENTS: dict[str, dict[str, float]] = {
    "2008": {"city_intercept": 0.003259, "city_slope": 1.1805,
             "hwy_intercept": 0.001376, "hwy_slope": 1.3466},
    "2017": {"city_intercept": 0.004091, "city_slope": 1.1601,
             "hwy_intercept": 0.003191, "hwy_slope": 1.2945},
}
#: EV floor: adjusted >= 0.7 x unadjusted (40 CFR 600.210-12(a)(2)).
EV_MIN_FACTOR = 0.7
#: g CO2 per gallon of gasoline (EPA).
CO2_G_PER_GAL = 8887.0
#: kWh per gallon of gasoline equivalent used for MPGe (EPA 33.705; label text "33.7").
KWH_PER_GAL = 33.705
#: Petroleum-equivalency factor, Wh/gal, EV without petroleum-powered accessories
#: (10 CFR 474.3(b)(1)); the 2024 DOE revision was vacated (see the cafe packs).
PEF_WH_PER_GAL = 82049.0

#: First model year whose fueleconomy.gov estimates use the 2017 derived 5-cycle set
#: (the MY2011-2016 estimates were recomputed with it; module docstring).
FUELECONOMY_GOV_2017_FROM = 2011

_CITY_W, _HWY_W = 0.55, 0.45
_KEYS = ("city_intercept", "city_slope", "hwy_intercept", "hwy_slope")


#: Label parameters a pack may state but not change: the model combines the label, the EV
#: label range and the CAFE value 55 % city / 45 % highway (40 CFR 600.210-12(c)) and the
#: energy model converts MPGe at 33.705 kWh/gal (:mod:`keidesign.energy`), so another
#: value in a pack would be silently ignored by one of them.
FIXED_LABEL_PARAMS = {"city_weight": _CITY_W, "hwy_weight": _HWY_W, "kwh_per_gal": KWH_PER_GAL}


def check_label_params(fname: str, params: Mapping[str, Any]) -> None:
    """Refuse a pack's ``[params.label]`` value of :data:`FIXED_LABEL_PARAMS` other than
    the model's (one :class:`InputError` line naming ``fname``, the field, the value and
    what is allowed): the policy review of 6 Dec 2026 (s29f) found a pack's
    ``city_weight`` / ``hwy_weight`` never read and its ``kwh_per_gal`` read by the CAFE
    value only, so a pack stating other values was evaluated with the model's."""
    from keidesign.errors import show

    label = params.get("label")
    if not isinstance(label, Mapping):
        return
    for key, fixed in FIXED_LABEL_PARAMS.items():
        if key not in label:
            continue
        value = label[key]
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
              and abs(float(value) - fixed) <= 1e-9 * fixed)
        if not ok:
            raise InputError(
                f"{fname}: params.label.{key} = {show(value)}: keidesign's label, EV range "
                "and CAFE value use 55 % city / 45 % highway (40 CFR 600.210-12(c)) and "
                f"33.705 kWh a gallon throughout, so a pack cannot change it; allowed: {fixed}")


def label_coefficients(pack: Any, set_name: str | None = None) -> dict[str, float]:
    """Coefficient set ``set_name`` (``"2008"``/``"2017"``) from an ``epa-label`` pack.

    ``set_name=None`` uses the pack's ``params.label.default_set``.

    Raises:
        InputError: the set is not in the pack (the message lists the available ones).
    """
    params = pack.params if hasattr(pack, "params") else pack
    name = getattr(pack, "path", "rule pack")
    label = params.get("label", {})
    sets = label.get("coefficients", {})
    key = set_name if set_name is not None else label.get("default_set", "2017")
    if key not in sets:
        raise InputError(f"{name}: params.label.coefficients: no set {key!r}; available "
                         f"sets: {', '.join(sorted(sets)) or 'none'}")
    return {k: float(sets[key][k]) for k in _KEYS}


def fueleconomy_gov_set(model_year: int) -> str:
    """Derived 5-cycle set behind a fueleconomy.gov estimate of ``model_year``: ``"2017"``
    from MY2011 on (the MY2011-2016 estimates recomputed with the 2017 calculations),
    ``"2008"`` before (module docstring; source: fueleconomy.gov "2017 Ratings Changes"
    [V]). Not the window sticker of the day, which :func:`label_options` gives (the 2008
    set before MY2017): the two differ only for MY2011-2016, by 0-2 mpg on the label."""
    return "2017" if int(model_year) >= FUELECONOMY_GOV_2017_FROM else "2008"


def label_options(label_pack: Any = None, cafe_pack: Any = None, model_year: int = 2027,
                  ev: bool = False) -> dict[str, Any]:
    """Keyword options of :class:`LabelComp` from the rule packs of a design.

    Args:
        label_pack: the ``epa-label`` pack (or None: the module constants).
        cafe_pack: a ``cafe-*`` pack whose ``params.pef.bev_wh_per_gal`` sets the BEV
            petroleum-equivalency factor (or None: 82,049 Wh/gal).
        model_year: selects the derived 5-cycle set: ``"2008"`` before MY2017,
            ``"2017"`` from MY2017 on.
        ev: battery electric vehicle.

    Returns:
        ``{"coeffs", "ev", "pef_wh_per_gal", "kwh_per_gal", "co2_g_per_gal",
        "ev_min_factor"}``.
    """
    set_name = "2008" if int(model_year) < 2017 else "2017"
    opts: dict[str, Any] = {"ev": bool(ev), "pef_wh_per_gal": PEF_WH_PER_GAL,
                            "kwh_per_gal": KWH_PER_GAL, "co2_g_per_gal": CO2_G_PER_GAL,
                            "ev_min_factor": EV_MIN_FACTOR}
    if label_pack is None:
        opts["coeffs"] = dict(COEFFICIENTS[set_name])
    else:
        opts["coeffs"] = label_coefficients(label_pack, set_name)
        lab = label_pack.params.get("label", {})
        for key in ("kwh_per_gal", "co2_g_per_gal", "ev_min_factor"):
            if key in lab:
                opts[key] = float(lab[key])
    if cafe_pack is not None:
        pef = cafe_pack.params.get("pef", {}).get("bev_wh_per_gal")
        if pef is not None:
            opts["pef_wh_per_gal"] = float(pef)
    return opts


def _derived(unadj: Any, intercept: float, slope: float) -> Any:
    return 1.0 / (intercept + slope / unadj)


def label_from_unadjusted(city_mpg: Any, hwy_mpg: Any, coeffs: Mapping[str, float] | str,
                          ev: bool = False, ev_min_factor: float = EV_MIN_FACTOR
                          ) -> tuple[Any, Any]:
    """Label city and highway values from unadjusted FTP and HFET results (vectorized).

    Args:
        city_mpg: unadjusted FTP (city) fuel economy, mpg (MPGe for a BEV).
        hwy_mpg: unadjusted HFET (highway) fuel economy, mpg (MPGe for a BEV).
        coeffs: a coefficient dict (``city_intercept``, ``city_slope``,
            ``hwy_intercept``, ``hwy_slope``) or a set name in :data:`COEFFICIENTS`.
        ev: apply the EV rule ``max(derived, ev_min_factor * unadjusted)``.
        ev_min_factor: 0.7 per 40 CFR 600.210-12(a)(2).

    Returns:
        ``(label_city, label_hwy)`` in the units of the inputs.
    """
    k = COEFFICIENTS[coeffs] if isinstance(coeffs, str) else coeffs
    f, h = _array(city_mpg), _array(hwy_mpg)
    city = _derived(f, k["city_intercept"], k["city_slope"])
    hwy = _derived(h, k["hwy_intercept"], k["hwy_slope"])
    if ev:
        city = ad.where(ad.real(city) >= ad.real(ev_min_factor * f), city, ev_min_factor * f)
        hwy = ad.where(ad.real(hwy) >= ad.real(ev_min_factor * h), hwy, ev_min_factor * h)
    if type(city) is not ad.D:
        city = city if np.ndim(city) else city[()]
        hwy = hwy if np.ndim(hwy) else hwy[()]
    return city, hwy


def _array(x: Any) -> Any:
    """``x`` as an array (a dual number stays one)."""
    return x if type(x) is ad.D else np.asarray(x)


def combined_55_45(city: Any, hwy: Any) -> Any:
    """55 % city / 45 % highway harmonic combination, ``1/(0.55/city + 0.45/hwy)``."""
    return 1.0 / (_CITY_W / _array(city) + _HWY_W / _array(hwy))


def co2_g_per_mi(mpg: Any, g_per_gal: float = CO2_G_PER_GAL) -> Any:
    """Tailpipe CO2 in g/mi of a gasoline vehicle, ``8887 / mpg``."""
    return g_per_gal / _array(mpg)


def petroleum_equivalent_mpg(unadj_comb_mpge: Any, pef_wh_per_gal: float = PEF_WH_PER_GAL,
                             kwh_per_gal: float = KWH_PER_GAL) -> Any:
    """10 CFR 474.3 petroleum-equivalent fuel economy of a BEV from its unadjusted
    55/45 combined MPGe: ``PEF / (Wh/mi) = MPGe * PEF / (1000 * kwh_per_gal)``."""
    return _array(unadj_comb_mpge) * pef_wh_per_gal / (1000.0 * kwh_per_gal)


class LabelComp(DualClosedForm):
    """EPA label values and CAFE compliance value from unadjusted 2-cycle results.

    Inputs: ``energy:ftp_mpg``, ``energy:hwfet_mpg`` (unadjusted, mi/galUS; MPGe for a
    BEV). Outputs: ``energy:label_city_mpg``, ``energy:label_hwy_mpg``,
    ``energy:label_comb_mpg`` (derived 5-cycle, 55/45), ``energy:label_co2`` (g/mi,
    8887/label combined; 0 for a BEV), ``energy:unadj_comb_mpg`` (55/45 harmonic of
    the inputs) and ``energy:cafe_mpg`` (= unadjusted combined for an ICE; for a BEV
    the 10 CFR 474.3 value ``unadjusted combined MPGe * pef_wh_per_gal /
    (1000 * kwh_per_gal)``).

    Options: ``coeff_set`` (``"2017"`` or ``"2008"``) or explicit ``coeffs`` (e.g. from
    :func:`label_coefficients`), ``ev``, ``pef_wh_per_gal`` (82,049), ``kwh_per_gal``
    (33.705: must be the value the energy model used to express MPGe), ``co2_g_per_gal``
    (8,887), ``ev_min_factor`` (0.7), ``n`` (points evaluated at once, diagonal
    partials), ``n_cases`` (:mod:`keidesign.batch`: ``(n_cases,)`` arrays, no partials;
    it takes precedence over ``n``).

    Partials by dual numbers through the same functions, diagonal; for a BEV the ``max``
    of the 0.7 floor uses the partial of the active branch (exact piecewise, no
    smoothing).
    """

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("coeff_set", default="2017", values=tuple(COEFFICIENTS),
                             desc="derived 5-cycle coefficient set (40 CFR 600.210-08/-12)")
        self.options.declare("coeffs", default=None, types=dict, allow_none=True,
                             desc="explicit coefficients, overriding coeff_set")
        self.options.declare("ev", types=bool, default=False,
                             desc="battery electric vehicle (inputs are MPGe)")
        self.options.declare("pef_wh_per_gal", types=float, default=PEF_WH_PER_GAL,
                             desc="petroleum-equivalency factor, Wh/gal (10 CFR 474.3)")
        self.options.declare("kwh_per_gal", types=float, default=KWH_PER_GAL,
                             desc="kWh per gallon equivalent used to express MPGe")
        self.options.declare("co2_g_per_gal", types=float, default=CO2_G_PER_GAL,
                             desc="g CO2 per gallon of fuel")
        self.options.declare("ev_min_factor", types=float, default=EV_MIN_FACTOR,
                             desc="EV floor: adjusted >= factor x unadjusted")
        self.options.declare("n", types=int, default=1, lower=1,
                             desc="number of points evaluated at once")

    def _k(self) -> dict[str, float]:
        c = self.options["coeffs"]
        if c is None:
            return COEFFICIENTS[self.options["coeff_set"]]
        missing = [k for k in _KEYS if k not in c]
        if missing:
            raise ValueError(f"LabelComp option coeffs lacks {', '.join(missing)}")
        return c

    def _points(self) -> int:
        return batch.n_cases(self) if batch.batched(self) else self.options["n"]

    def setup(self) -> None:
        self._k()  # fail early on incomplete explicit coefficients
        self._add_variables(
            ["energy:ftp_mpg", "energy:hwfet_mpg"],
            ["energy:label_city_mpg", "energy:label_hwy_mpg", "energy:label_comb_mpg",
             "energy:label_co2", "energy:unadj_comb_mpg", "energy:cafe_mpg"],
            defaults={"energy:ftp_mpg": 45.0, "energy:hwfet_mpg": 60.0},
            out_defaults={"energy:label_city_mpg": 35.0, "energy:label_hwy_mpg": 43.0,
                          "energy:label_comb_mpg": 38.0, "energy:label_co2": 230.0,
                          "energy:unadj_comb_mpg": 50.0, "energy:cafe_mpg": 50.0})

    def _values(self, g: dict) -> dict:
        o = self.options
        f, h = g["energy:ftp_mpg"], g["energy:hwfet_mpg"]
        city, hwy = label_from_unadjusted(f, h, self._k(), ev=o["ev"],
                                          ev_min_factor=o["ev_min_factor"])
        comb = combined_55_45(city, hwy)
        unadj = combined_55_45(f, h)
        if o["ev"]:
            co2 = 0.0 * ad.real(f)
            cafe = petroleum_equivalent_mpg(unadj, o["pef_wh_per_gal"], o["kwh_per_gal"])
        else:
            co2, cafe = co2_g_per_mi(comb, o["co2_g_per_gal"]), unadj
        return {"energy:label_city_mpg": city, "energy:label_hwy_mpg": hwy,
                "energy:label_comb_mpg": comb, "energy:unadj_comb_mpg": unadj,
                "energy:label_co2": co2, "energy:cafe_mpg": cafe}
