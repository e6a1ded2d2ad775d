"""Regulatory drive cycles as weighted sets of 1 Hz speed-trace phases.

The traces ship with the package (``keidesign/data/cycles/*.csv``, columns ``time_s``,
``speed_mps``; sources in that folder's README) and are read with
:mod:`importlib.resources`, so an installed wheel carries them.

A *drive test* (:class:`DriveTest`) is a list of :class:`Phase` objects, each a speed
trace with a weight. A test's result per distance is the weighted sum of the phase
results over the weighted sum of the phase distances,

    C_test = sum_k w_k * Y_k / sum_k w_k * D_k,

which is the form of the EPA FTP-75 composite (40 CFR 86.144 / 40 CFR 1066.605 via
40 CFR 600.113):

    Y_FTP/mi = 0.43 (Y_1 + Y_2)/(D_1 + D_2) + 0.57 (Y_3 + Y_2)/(D_3 + D_2)
             = (0.43 Y_1 + Y_2 + 0.57 Y_3) / (D_1 + D_2)      (since D_3 = D_1)

with bag 1 = UDDS 0-505 s (cold transient), bag 2 = UDDS 505-1369 s (stabilised) and
bag 3 = the bag-1 trace driven again after a 10 min hot soak (hot transient). Here bag 3
is a separate phase carrying the bag-1 trace, so a later cold-start model can act on
bag 1 alone. The HWFET (40 CFR 600 App. I) is one phase of weight 1.

Japan's JC08 figure (kei catalogues before 2018; MLIT, fully phased in from October 2011:
DieselNet / TransportPolicy.net "Japan: Light-duty: JC08") weights a cold-start run and a
hot-start run of the same 1204 s trace 0.25 / 0.75. The weights are on the per-distance
results (g/km, so L/km: the figure is the "weighted harmonic mean" of the cold and hot
km/L, cold : hot = 0.25 : 0.75, MLIT / METI joint council report on WLTP, 25 Mar 2016,
section (1), status V), and both runs cover the same distance, so

    C_JC08 = (0.25 Y_cold + 0.75 Y_hot) / D = (Y_hot + 0.25 E_cs) / D

with ``E_cs`` the cold-start extra fuel of the cold run (the FTP bag-1 term): :func:`jc08`
has the two phases, the energy model runs the trace once and adds 0.25 ``E_cs``
(:data:`JC08_COLD_WEIGHT`).

Distances are integrated with the trapezoid rule on the 1 Hz trace (the same interval
mean speed the road-load model uses): UDDS 7.45 mi, HWFET 10.26 mi, as the README says.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

__all__ = [
    "METRES_PER_MILE",
    "DriveTest",
    "Phase",
    "TESTS",
    "ftp75",
    "ftp_composite",
    "get_test",
    "hwfet",
    "jc08",
    "JC08_COLD_WEIGHT",
    "load_trace",
    "udds",
    "us06",
    "wltc",
    "SegmentSet",
    "segments",
]

METRES_PER_MILE = 1609.344

#: UDDS bag boundary (s): bag 1 = [0, 505], bag 2 = [505, 1369] (40 CFR 86.144).
UDDS_BAG_SPLIT_S = 505.0

#: FTP-75 bag weights on the bag results (cold 0.43 / stabilised 1 / hot 0.57).
FTP_WEIGHTS = (0.43, 1.0, 0.57)



def ftp_composite(y1: Any, y2: Any, y3: Any, distance: Any) -> Any:
    """FTP-75 composite per unit distance of bag results ``y1`` (cold bag 1), ``y2``,
    ``y3`` (hot bag 3): ``(0.43 Y1 + Y2 + 0.57 Y3) / (D1 + D2)`` (:data:`FTP_WEIGHTS`,
    module docstring), ``distance`` = ``D1 + D2``; numbers, arrays or dual numbers."""
    w1, w2, w3 = FTP_WEIGHTS
    return (w1 * y1 + w2 * y2 + w3 * y3) / distance


#: Weight of the cold-start run in Japan's JC08 figure (0.25 cold + 0.75 hot, MLIT from
#: October 2011; module docstring).
JC08_COLD_WEIGHT = 0.25

#: JC08 duration (s): 1204 s (DieselNet / TransportPolicy.net; the cycles README).
JC08_DURATION_S = 1204.0

#: WLTC phase boundaries (s) from the cycles README (UN GTR No. 15).
WLTC_PHASES = {"low": (0.0, 589.0), "medium": (589.0, 1022.0), "high": (1022.0, 1477.0),
               "extra_high": (1477.0, 1800.0)}


@dataclass(frozen=True)
class Phase:
    """One phase of a drive test: a 1 Hz speed trace and its weight.

    Attributes:
        name: phase name (``"bag1"``).
        time: time stamps (s), strictly increasing.
        speed: vehicle speed (m/s) at the time stamps.
        weight: weight of this phase in the test composite (dimensionless).
    """

    name: str
    time: np.ndarray
    speed: np.ndarray
    weight: float = 1.0

    @property
    def duration(self) -> float:
        """Phase duration (s)."""
        return float(self.time[-1] - self.time[0])

    @property
    def distance(self) -> float:
        """Phase distance (m), trapezoid rule."""
        dt = np.diff(self.time)
        return float(np.sum(dt * 0.5 * (self.speed[1:] + self.speed[:-1])))


@dataclass(frozen=True)
class DriveTest:
    """A drive test: weighted phases (see the module docstring for the composite)."""

    name: str
    phases: tuple[Phase, ...]
    description: str = ""

    @property
    def weights(self) -> np.ndarray:
        return np.array([p.weight for p in self.phases])

    @property
    def phase_distances(self) -> np.ndarray:
        """Distance of each phase (m)."""
        return np.array([p.distance for p in self.phases])

    @property
    def phase_durations(self) -> np.ndarray:
        """Duration of each phase (s)."""
        return np.array([p.duration for p in self.phases])

    @property
    def distance(self) -> float:
        """Weighted distance sum_k w_k D_k (m): the divisor of the composite."""
        return float(self.weights @ self.phase_distances)

    @property
    def duration(self) -> float:
        """Weighted duration sum_k w_k T_k (s)."""
        return float(self.weights @ self.phase_durations)


@cache
def load_trace(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Read ``keidesign/data/cycles/<name>.csv``; return (time s, speed m/s) arrays."""
    ref = resources.files("keidesign").joinpath("data", "cycles", f"{name}.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    t = np.array([float(r["time_s"]) for r in rows])
    v = np.array([float(r["speed_mps"]) for r in rows])
    if np.any(np.diff(t) <= 0.0) or np.any(v < 0.0):
        raise ValueError(f"cycle {name!r}: time must increase and speed be >= 0")
    t.setflags(write=False)
    v.setflags(write=False)
    return t, v


def _segment(t: np.ndarray, v: np.ndarray, t0: float, t1: float) -> tuple[np.ndarray, ...]:
    m = (t >= t0) & (t <= t1)
    return t[m] - t0, v[m]


def udds() -> DriveTest:
    """EPA UDDS (bags 1 + 2 of the FTP-75), hot, unweighted: 1369 s, 7.45 mi."""
    t, v = load_trace("udds")
    return DriveTest("udds", (Phase("udds", t, v, 1.0),), "EPA UDDS, 40 CFR 86 App. I")


def ftp75() -> DriveTest:
    """FTP-75 composite: bag 1 (w 0.43), bag 2 (w 1), bag 3 = bag-1 trace (w 0.57)."""
    t, v = load_trace("udds")
    t1, v1 = _segment(t, v, 0.0, UDDS_BAG_SPLIT_S)
    t2, v2 = _segment(t, v, UDDS_BAG_SPLIT_S, float(t[-1]))
    w1, w2, w3 = FTP_WEIGHTS
    phases = (Phase("bag1", t1, v1, w1), Phase("bag2", t2, v2, w2), Phase("bag3", t1, v1, w3))
    return DriveTest("ftp", phases, "EPA FTP-75 (40 CFR 86.144, 600.113); bag 3 = bag 1 trace")


def hwfet() -> DriveTest:
    """EPA Highway Fuel Economy Test: 765 s, 10.26 mi, one phase."""
    t, v = load_trace("hwfet")
    return DriveTest("hwfet", (Phase("hwfet", t, v, 1.0),), "EPA HWFET, 40 CFR 600 App. I")


def wltc(cls: str = "3b", phases: tuple[str, ...] = ("low", "medium", "high")) -> DriveTest:
    """WLTC class 3a/3b from the named phases, each weight 1 (distance-weighted mean).

    The default (low + medium + high, no extra-high) is Japan's "WLTC mode" figure.
    Not an EPA test: used only for cross-checks against kei catalogue values.
    """
    t, v = load_trace(f"wltc_class{cls}")
    out = []
    for name in phases:
        a, b = WLTC_PHASES[name]
        ts, vs = _segment(t, v, a, b)
        out.append(Phase(name, ts, vs, 1.0))
    return DriveTest(f"wltc{cls}", tuple(out), f"WLTC class {cls} ({'+'.join(phases)})")


def jc08() -> DriveTest:
    """Japan JC08: the 1204 s trace driven cold (weight 0.25) and hot (weight 0.75).

    Not an EPA test: used for kei catalogue values before 2018 (module docstring).
    """
    t, v = load_trace("jc08")
    w = JC08_COLD_WEIGHT
    return DriveTest("jc08", (Phase("cold", t, v, w), Phase("hot", t, v, 1.0 - w)),
                     "Japan JC08 (MLIT): 0.25 cold start + 0.75 hot start")


def us06() -> DriveTest:
    """EPA US06 Supplemental FTP (aggressive, high speed): 600 s, 8.01 mi, one phase."""
    t, v = load_trace("us06")
    return DriveTest("us06", (Phase("us06", t, v, 1.0),), "EPA US06, 40 CFR 86 App. I")


#: Drive tests the OpenMDAO energy model can run (their outputs are registered).
TESTS = {"ftp": ftp75, "hwfet": hwfet}


@dataclass(frozen=True)
class SegmentSet:
    """Several trace segments concatenated on one time axis, for one vectorized pass.

    Interval ``i`` runs from sample ``v0[i]`` to ``v1[i]`` over ``dt[i]`` s; segment ``k``
    owns intervals ``starts[k] .. starts[k+1]-1``. The kernels reduce per segment with
    :func:`numpy.add.reduceat` on ``starts``.
    """

    names: tuple[str, ...]
    starts: np.ndarray  # (n_seg,) int
    dt: np.ndarray  # (n,) s
    v0: np.ndarray  # (n,) m/s
    v1: np.ndarray  # (n,) m/s
    distance: np.ndarray  # (n_seg,) m, trapezoid
    duration: np.ndarray  # (n_seg,) s

    @property
    def vb(self) -> np.ndarray:
        """Interval mean speed (m/s)."""
        return 0.5 * (self.v0 + self.v1)

    @property
    def dv(self) -> np.ndarray:
        return self.v1 - self.v0

    def index(self, name: str) -> int:
        return self.names.index(name)

    @property
    def seg_of(self) -> np.ndarray:
        """Segment number of each interval."""
        out = np.zeros(len(self.dt), dtype=int)
        out[self.starts[1:]] = 1
        return np.cumsum(out)


#: The segments the energy model simulates. FTP bag 3 is the bag-1 trace driven hot: its
#: fuel is bag 1's without the cold-start term, so it is not simulated twice.
SEGMENT_TRACES = {
    "udds_bag1": ("udds", 0.0, UDDS_BAG_SPLIT_S),
    "udds_bag2": ("udds", UDDS_BAG_SPLIT_S, 1369.0),
    "hwfet": ("hwfet", 0.0, 765.0),
    "us06": ("us06", 0.0, 600.0),
    "jc08": ("jc08", 0.0, JC08_DURATION_S),
    **{f"wltc3b_{k}": ("wltc_class3b", a, b) for k, (a, b) in WLTC_PHASES.items()
       if k != "extra_high"},
    **{f"wltc3a_{k}": ("wltc_class3a", a, b) for k, (a, b) in WLTC_PHASES.items()
       if k != "extra_high"},
}


@cache
def segments(names: tuple[str, ...]) -> SegmentSet:
    """Concatenate the named segments of :data:`SEGMENT_TRACES` (cached, read-only)."""
    dts, v0s, v1s, starts, dist, dur = [], [], [], [], [], []
    n = 0
    for name in names:
        trace, a, b = SEGMENT_TRACES[name]
        t, v = load_trace(trace)
        ts, vs = _segment(t, v, a, b)
        dt = np.diff(ts)
        starts.append(n)
        n += len(dt)
        dts.append(dt)
        v0s.append(vs[:-1])
        v1s.append(vs[1:])
        dist.append(float(np.sum(dt * 0.5 * (vs[1:] + vs[:-1]))))
        dur.append(float(ts[-1] - ts[0]))
    arrs = [np.concatenate(x) for x in (dts, v0s, v1s)]
    out = SegmentSet(tuple(names), np.array(starts), *arrs, np.array(dist), np.array(dur))
    for a in (out.starts, out.dt, out.v0, out.v1, out.distance, out.duration):
        a.setflags(write=False)
    return out


@cache
def get_test(name: str) -> DriveTest:
    """Return the drive test ``name`` (one of :data:`TESTS`), cached."""
    try:
        return TESTS[name]()
    except KeyError:
        raise KeyError(f"unknown drive test {name!r}; known: {sorted(TESTS)}") from None
