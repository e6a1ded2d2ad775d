"""stack_path_sources.csv (issue 14, task s17h4): what published lumped-mass crash models
and measurements give for the powertrain stack's path into the body (``pulse.K_STACK``,
``pulse.K_DASH``). Every row sourced, statuses V / R / N with a value exactly when V or
R, no stiffness found (so no constant may be set from it), the Neon's rows equal to
overload_force_crush.csv, and a bad row refused in one line naming row, field, value and
what is allowed."""

from __future__ import annotations

from importlib.resources import files

import pytest

from keidesign.crash import validation as val

TEXT = (files("keidesign") / "data" / "crash" / "stack_path_sources.csv").read_text()


def test_file_reads_with_sources_and_statuses():
    rows = val.load_stack_path_sources()
    assert len(rows) == 23
    assert {r["status"] for r in rows} <= {"V", "R", "N"}
    assert all(r["source"].strip() and r["element"].strip() for r in rows)
    for r in rows:
        assert (r["value"] is None) == (r["status"] == "N"), r["source"]
    shares = [r for r in rows if r["quantity"] == "energy_share"]
    assert len(shares) == 5 and all(0.0 < r["value"] <= 1.0 for r in shares)
    # Ofochebe et al.'s three shares are of one model's impact energy: at most the whole
    ofo = [r["value"] for r in shares if r["source"].startswith("Ofochebe")]
    assert ofo == pytest.approx([0.45, 0.25, 0.20]) and sum(ofo) <= 1.0


def test_no_source_gives_a_stack_stiffness():
    """The rule (nothing set on fewer than five cars): no car gives K_STACK or K_DASH, so
    both stay assumed (docs/crash.md, "The stack path against published lumped-mass
    models")."""
    support = val.stack_stiffness_support()
    assert support == {"K_STACK": 0, "K_DASH": 0}
    assert all(n < val.MIN_CARS_TO_FIT for n in support.values())


def test_neon_rows_are_those_of_the_overload_file():
    rows = val.load_stack_path_sources()
    over = val.load_overload_force_crush()
    neon = {r["quantity"]: r["value"] for r in rows if "Neon" in r["vehicle"]}
    assert neon["peak_force"] == max(r["value"] for r in over if r["test"] == "NHTSA 4429"
                                     and r["quantity"] == "peak_force_kn")
    assert neon["slope_bound"] == next(r["value"] for r in over
                                       if r["quantity"] == "slope_bound_mn_per_m")
    assert neon["unloading_slope"] == next(r["value"] for r in over
                                           if r["quantity"] == "unloading_stiffness_mn_per_m")


@pytest.mark.parametrize(("edit", "message"), [
    ((",spring_named,,,N,", ",spring_named,,,A,"), "status: 'A'; allowed: V, R or N"),
    ((",spring_named,,,N,", ",spring_named,5,MN/m,N,"), "value: '5'; allowed with status N: "
                                                       "blank"),
    ((",spring_named,,,N,", ",stiffness,,MN/m,N,"), "quantity: 'stiffness'; allowed with "
                                                   "status N: spring_named"),
    ((",spring_named,,,N,", ",stiffness,5,N/m,R,"), "units: 'N/m'; allowed for stiffness: "
                                                   "MN/m"),
    ((",spring_named,,,N,", ",stiffness,5000,MN/m,R,"), "value: '5000'; allowed: 0.01 to "
                                                       "1000"),
    ((",spring_named,,,N,", ",stiffness,stiff,MN/m,R,"), "value: 'stiff'; allowed: a number "
                                                        "or blank"),
    ((",spring_named,,,N,", ",spring_rate,5,MN/m,R,"), "quantity: 'spring_rate'; allowed "
                                                      "with status R: stiffness"),
    (("(not named in the stored copy)\",,", "(not named in the stored copy)\",90,"),
     "vehicle_mass_kg: '90'; allowed: 300 to 5000 or blank"),
])
def test_a_bad_row_is_refused_in_one_line(edit, message):
    bad = TEXT.replace(*edit, 1)
    assert bad != TEXT
    with pytest.raises(val.InputError, match="stack_path_sources.csv line 2 "
                       + message.replace("(", r"\(")):
        val.load_stack_path_sources(bad)


def test_a_row_without_source_is_refused():
    lines = TEXT.splitlines()
    lines[1] = "\"\"" + lines[1][lines[1].index(",\"Kamal three-mass"):]
    with pytest.raises(val.InputError, match="stack_path_sources.csv line 2 source: empty"):
        val.load_stack_path_sources("\n".join(lines))
