"""CAFE footprint targets: passenger cars (49 CFR 531.5(c)) and light trucks (49 CFR 533.5(a)).

Equation (49 CFR 531.5(c), Figure 2 / Table 3; the same for light trucks, 533.5(a))::

    TARGET [mpg] = 1 / min( max( c * FP + d, 1/a ), 1/b )

with ``a``, ``b`` in mpg (the targets of the smallest and the largest footprints),
``c`` in gal/mi/ft2 (slope), ``d`` in gal/mi (intercept) and ``FP`` the footprint
(wheelbase x average track width, 49 CFR 523.2) in ft2, rounded to the nearest 0.1 ft2.
The curve is flat at ``a`` below about 41 ft2 and at ``b`` above about 56 ft2 (every
Table 3 row MY2012-2031), so a kei car (34-35 ft2) sits on the flat, strictest end.

Light trucks (49 CFR 533.5(a), Figure 4 / Table 7): Figure 4 (an image in the eCFR text,
not transcribed) combines such an ``a``-``d`` curve with a second ``e``-``h`` one, which
Table 7 prints "NA" for MY2021-2026; for those years (and the derived MY2027-2031 rows
below) the light-truck target is taken as the formula above with the light-truck
``a``-``d`` [assumed: Figure 4 itself not read].
The MY2021-2026 rows are those of ``keidesign/data/regs/light_truck_targets_added.csv``
(held equal to the ``[[params.cafe.light_truck]]`` rows by ``tests/test_cafe.py``);
``cafe-2024`` adds MY2027-2031 rows with ``status = "derived"`` (the 2024 rule's
amended Table 7 was not found: the MY2026 row carried forward by the rule's stated
light-truck stringency, 0 %/yr MY2027-2028 and 2 %/yr MY2029-2031, 89 FR 52540, curve
shape unchanged [assumed]; recomputed by ``tests/test_cafe.py``). The table is
chosen by ``fleet`` (``"passenger_car"``, the default, or ``"light_truck"``) in every
row function here.

Coefficients come from a rule pack (``[[params.cafe.passenger_car]]`` rows). The built-in
``cafe-2022`` (MY2012-2026) and ``cafe-2024`` (MY2012-2031) packs carry the Table 3 values
as codified (eCFR text, amendment note 87 FR 26070, 89 FR 12756, 89 FR 52945,
89 FR 60833); their MY2021-2031 rows are those of
``keidesign/data/regs/us_fe_ghg_targets.csv`` (``tests/test_model_years.py`` keeps them
equal), every row has ``status = "verified"`` and its source in ``basis``.

Validity and assumptions:
    * Light trucks: the ``cafe-2022`` pack carries Table 7 MY2021-2026 and ``cafe-2024``
      MY2021-2031, its MY2027-2031 rows derived (above; an evaluation on them reports
      ``verification`` ``derived``); a truck of another year, or under a pack without a
      light-truck table (``safe-iii``), has no target and is reported not-applicable,
      never extrapolated from another year.
    * The standard is a fleet average; the target of one model is what this model
      contributes, not a pass/fail limit for it alone.
    * A model year without a row in the pack's table (MY2011, whose 531.5(b) Table 2
      uses a different, logistic curve; a year after the pack's last rule) has no target:
      :func:`cafe_not_applicable` gives the reason and the evaluation reports the pack's
      constraints "not-applicable" (never a pass, a fail or an error).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from geometry import ad
from keidesign import batch
from keidesign.closed_form import DualClosedForm
from keidesign.errors import InputError, show
from keidesign.targetrows import FLEETS, KEYS, check_row

__all__ = [
    "FLEETS",
    "CafeTargetComp",
    "cafe_coefficients",
    "cafe_not_applicable",
    "cafe_row",
    "cafe_target_mpg",
    "cafe_years",
    "has_table",
    "no_table_reason",
    "round_footprint",
    "table_not_applicable",
    "year_rows",
]




def _check_fleet(fleet: str) -> str:
    if fleet not in FLEETS:
        raise ValueError(f"fleet {fleet!r}: expected one of {', '.join(FLEETS)}")
    return fleet


def has_table(pack: Any, program: str, fleet: str) -> bool:
    """Whether ``pack`` has a ``params.<program>.<fleet>`` entry (rows or not)."""
    params = pack.params if hasattr(pack, "params") else pack
    section = params.get(program) if isinstance(params, Mapping) else None
    return isinstance(section, Mapping) and _check_fleet(fleet) in section


def round_footprint(footprint_ft2: Any) -> np.ndarray:
    """Footprint rounded to the nearest 0.1 ft2, halves away from zero (49 CFR 531.5(c)).

    Works on the real part only: the imaginary part of a complex-step perturbation is
    kept (and a dual number's gradient), so the derivative seen through rounding is that
    of the unrounded value.
    """
    if type(footprint_ft2) is ad.D:
        return ad.D(round_footprint(footprint_ft2.v), footprint_ft2.g)
    fp = np.asarray(footprint_ft2)
    re = np.real(fp)
    rounded = np.sign(re) * np.floor(np.abs(re) * 10.0 + 0.5) / 10.0
    if np.iscomplexobj(fp):
        return rounded + 1j * np.imag(fp)
    return rounded


def _gpm(footprint_ft2: Any, a: float, b: float, c: float, d: float) -> np.ndarray:
    """Target fuel consumption in gal/mi, complex-step safe (clamps on the real part;
    numbers, arrays or dual numbers)."""
    fp = footprint_ft2 if type(footprint_ft2) is ad.D else np.asarray(footprint_ft2)
    g = c * fp + d
    g = ad.where(ad.real(g) > 1.0 / a, g, 1.0 / a + 0.0 * g)
    return ad.where(ad.real(g) < 1.0 / b, g, 1.0 / b + 0.0 * g)


def cafe_target_mpg(footprint_ft2: Any, a: float, b: float, c: float, d: float) -> Any:
    """Passenger-car CAFE target in mpg for a footprint (vectorized, no rounding).

    ``TARGET = 1 / min(max(c*FP + d, 1/a), 1/b)`` (49 CFR 531.5(c)).

    Args:
        footprint_ft2: footprint(s) in ft2. Round with :func:`round_footprint` first to
            reproduce the regulation exactly.
        a, b: targets of the smallest / largest footprints, mpg (a > b).
        c: slope, gal/mi/ft2.
        d: intercept, gal/mi.

    Returns:
        Target(s) in mpg (a float for a scalar input).
    """
    out = 1.0 / _gpm(footprint_ft2, a, b, c, d)
    return out if np.ndim(out) else out[()]


def year_rows(pack: Any, program: str, label: str, fleet: str = "passenger_car",
              ) -> list[Mapping[str, Any]]:
    """The ``[[params.<program>.<fleet>]]`` rows of ``pack`` (``fleet`` one of
    :data:`FLEETS`), each checked as a pack's rows are when it is read
    (:func:`keidesign.targetrows.check_row`: known keys, an integer ``model_year``, each
    coefficient a number in its band); one :class:`InputError` line naming the field
    (``params.cafe.light_truck[2].c``) otherwise."""
    params = pack.params if hasattr(pack, "params") else pack
    table = f"params.{program}.{_check_fleet(fleet)}"
    name = getattr(pack, "path", "rule pack")
    try:
        rows = params[program][fleet]
    except (KeyError, TypeError):
        keys = ", ".join(KEYS[program])
        raise InputError(f"{name}: {table}: missing; a {label} pack needs [[{table}]] rows "
                         f"with model_year, {keys}") from None
    if not isinstance(rows, list):
        raise InputError(f"{name}: {table} = {show(rows)}: not an array of tables; "
                         f"allowed: [[{table}]] rows")
    for i, row in enumerate(rows, start=1):
        check_row(f"{name}: {table}[{i}]", row, program)
    return rows


def _rows(pack: Any, fleet: str = "passenger_car") -> list[Mapping[str, Any]]:
    return year_rows(pack, "cafe", "CAFE", fleet=fleet)


def cafe_years(pack: Any, fleet: str = "passenger_car") -> list[int]:
    """Model years with a ``[[params.cafe.<fleet>]]`` row in ``pack``, sorted."""
    return sorted({int(r["model_year"]) for r in _rows(pack, fleet)})


def table_not_applicable(pack: Any, program: str, fleet: str, model_year: int,
                         years_of: Callable[[Any, str], list[int]], past_table: bool) -> str:
    """The not-applicable reason shared by the CAFE and GHG tables (``""`` when a row
    applies). A passenger-car reason reads ``"no MY2011 row in cafe-2024 (MY2012-2031)"``;
    a light-truck one names the table: ``"no MY2027 row in cafe-2022 light-truck table
    (params.cafe.light_truck: MY2021-2026)"``; a pack without a table of a fleet other
    than passenger cars sets no target of it for any year (:func:`no_table_reason`).
    ``years_of(pack, fleet)`` gives the table's model years."""
    if fleet != "passenger_car" and not has_table(pack, program, fleet):
        return no_table_reason(pack, program, fleet)
    years = years_of(pack, fleet)
    year = int(model_year)
    if year in years or (years and year > years[-1] and past_table):
        return ""
    name = getattr(pack, "id", "rule pack")
    avail = f"MY{years[0]}-{years[-1]}" if years else "no rows"
    if years and len(years) != years[-1] - years[0] + 1:
        avail = "MY" + ", ".join(str(y) for y in years)
    if fleet == "passenger_car":
        return f"no MY{year} row in {name} ({avail})"
    return (f"no MY{year} row in {name} light-truck table "
            f"(params.{program}.{fleet}: {avail})")


def no_table_reason(pack: Any, program: str, fleet: str) -> str:
    """Reason for a pack without a ``params.<program>.<fleet>`` table at all."""
    kind = fleet.replace("_", "-")
    return (f"{getattr(pack, 'id', 'rule pack')} has no {kind} table "
            f"(params.{program}.{fleet}): it sets no {kind} target")


def _covers_past_table(pack: Any) -> bool:
    params = pack.params if hasattr(pack, "params") else pack
    return params.get("cafe", {}).get("years_past_table") == "last-row"


def cafe_not_applicable(pack: Any, model_year: int, fleet: str = "passenger_car") -> str:
    """Why ``pack`` sets no CAFE target for ``model_year`` (``""`` when it sets one).

    The reason names the year, the pack and the years its table covers, e.g.
    ``"no MY2011 row in cafe-2024 (MY2012-2031)"``; for ``fleet="light_truck"`` it names
    the light-truck table, ``"no MY2027 row in cafe-2022 light-truck table
    (params.cafe.light_truck: MY2021-2026)"``, and a pack without that table (``safe-iii``)
    is not-applicable for every year. A pack that says ``years_past_table = "last-row"``
    covers every year after its last row (see :func:`cafe_row`). A pack without a
    passenger-car table raises (as before); see :func:`year_rows`.
    """
    return table_not_applicable(pack, "cafe", fleet, model_year, cafe_years,
                                _covers_past_table(pack))


def cafe_coefficients(pack: Any, model_year: int,
                      fleet: str = "passenger_car") -> dict[str, float]:
    """Target coefficients ``{a, b, c, d}`` of ``fleet`` for ``model_year``.

    See :func:`cafe_row` for the row selection rules and errors.
    """
    row = cafe_row(pack, model_year, fleet)
    return {k: float(row[k]) for k in ("a", "b", "c", "d")}


def cafe_row(pack: Any, model_year: int, fleet: str = "passenger_car") -> dict[str, Any]:
    """The ``[[params.cafe.<fleet>]]`` row that applies to ``model_year``.

    Args:
        pack: a :class:`~keidesign.rulepacks.RulePack` (or its ``params`` dict) with
            ``[[params.cafe.passenger_car]]`` (and/or ``light_truck``) rows.
        model_year: model year of the design.
        fleet: ``"passenger_car"`` (49 CFR 531.5(c) Table 3) or ``"light_truck"``
            (49 CFR 533.5(a) Table 7).

    Returns:
        A copy of the row: ``a`` (mpg), ``b`` (mpg), ``c`` (gal/mi/ft2), ``d`` (gal/mi),
        ``model_year`` (the row's year, which differs from the requested one past the
        table), ``status`` and ``basis`` (verification status and what it rests on).

    A model year after the last row uses the last row only when the pack says
    ``years_past_table = "last-row"`` (an assumption a user pack may make; the built-in
    packs do not: 49 CFR 531.5(c) sets targets for listed model years only). A year
    before the first row, inside a gap, or past the table of a pack without that
    setting raises; check :func:`cafe_not_applicable` first to report such a year as
    not-applicable instead.

    Raises:
        InputError: naming the table, the model year and the available years.
    """
    rows = _rows(pack, fleet)
    by_year = {int(r["model_year"]): r for r in rows}
    years = sorted(by_year)
    name = getattr(pack, "path", "rule pack")
    avail = f"{years[0]}-{years[-1]}" if years else "none"
    year = int(model_year)
    row = by_year.get(year)
    if row is None:
        if years and year > years[-1] and _covers_past_table(pack):
            row = by_year[years[-1]]
        else:
            raise InputError(
                f"{name}: params.cafe.{fleet}: no coefficients for model year "
                f"{year}; available model years: {avail}")
    return dict(row)


class CafeTargetComp(DualClosedForm):
    """CAFE footprint target (49 CFR 531.5(c); light trucks: 533.5(a)).

    Input ``body:footprint`` (ft**2, wheelbase x mean track, unrounded); output
    ``cafe:target_mpg`` (mi/galUS) = ``1 / min(max(c*FP + d, 1/a), 1/b)``.

    Options ``a``, ``b`` (mpg), ``c`` (gal/mi/ft2), ``d`` (gal/mi) are one row of the
    pack's Table 3, or of its light-truck Table 7 (see :func:`cafe_coefficients`). With
    ``round_footprint=True`` the footprint is rounded to 0.1 ft2 as the CFR does; the
    partials are then those of the *unrounded* curve evaluated at the rounded footprint
    (rounding is a step function whose true derivative is zero almost everywhere,
    useless to an optimizer).

    Partials by dual numbers through the same function: ``-c * TARGET**2`` on the sloped
    part, 0 on the flat parts (at a kink the flat side's 0 is used). ``n`` evaluates
    that many footprints at once (diagonal Jacobian); ``n_cases``
    (:mod:`keidesign.batch`) as many cases of the batched model (``(n_cases,)`` arrays,
    rounding included, no partials; it takes precedence over ``n``).
    """

    DEPENDS = {"cafe:target_mpg": ("body:footprint",)}  # flat parts hide the slope

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("a", types=float, desc="target at the smallest footprints, mpg")
        self.options.declare("b", types=float, desc="target at the largest footprints, mpg")
        self.options.declare("c", types=float, desc="slope, gal/mi/ft2")
        self.options.declare("d", types=float, desc="intercept, gal/mi")
        self.options.declare("round_footprint", types=bool, default=False,
                             desc="round the footprint to 0.1 ft2 as 49 CFR 531.5(c) does")
        self.options.declare("n", types=int, default=1, lower=1,
                             desc="number of footprints evaluated at once")

    def _points(self) -> int:
        return batch.n_cases(self) if batch.batched(self) else self.options["n"]

    def setup(self) -> None:
        self._add_variables(["body:footprint"], ["cafe:target_mpg"],
                            defaults={"body:footprint": 35.0},
                            out_defaults={"cafe:target_mpg": 50.0})

    def _values(self, g: dict) -> dict:
        o = self.options
        fp = g["body:footprint"]
        fp = round_footprint(fp) if o["round_footprint"] else fp
        return {"cafe:target_mpg": 1.0 / _gpm(fp, o["a"], o["b"], o["c"], o["d"])}
