"""pyvista scenes of candidates: parts coloured by role, kei envelope, crush budget.

What a scene shows (frame of :mod:`geometry`: x rearward from the front bumper face,
y to the right, z up; mm):

* the assembly tessellated part by part (:func:`geometry.render.tessellate`), coloured
  by role: **crush zone** orange, **occupant cell** blue, **powertrain** grey,
  **battery / fuel tank** green (:data:`geometry.cad.PART_COLOURS`), wheels dark; the
  body shell and glazing translucent so the packaging volumes show through ("x-ray",
  the default) or opaque (``style="exterior"``);
* the **kei envelope** (the ``body:length/width/height`` limits of the candidate's rule
  packs, 3400 x 1480 x 2000 mm for ``kei-japan``) as a black wireframe box;
* the **crush budget** on the model: two rulers on the ground along the driver's side
  from the bumper face, magenta = crush available before the tolerated dash intrusion,
  red (or blue when it fits) = the crush past the powertrain stack at 56 km/h
  (``crash:front:crush_past_stack``, the quantity ``fmvss208.crush_space`` compares with
  the available; the total dynamic crush including the stack's own compression is in
  the title), and translucent planes
  across the crush zone at both depths, so "used vs available" reads on the car;
* :func:`compare` puts two or more candidates side by side, each in its own viewport
  with the *same* camera (same scale: the cars share the frame origin at the bumper face).

Output: :func:`screenshot` (off-screen PNG for reports and CI) or :func:`show` (JupyterLab:
the trame backend when ``trame-pyvista`` is installed and ``PYVISTA_JUPYTER_BACKEND`` does
not say otherwise, else a static image).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from keidesign.review.candidate import Candidate, kei_limits

__all__ = ["ROLE_COLOURS", "add_candidate", "candidate_plotter", "compare", "render",
           "screenshot", "show"]

#: Colours of the roles (RGB), after :data:`geometry.cad.PART_COLOURS`.
ROLE_COLOURS = {
    "crush zone": (1.00, 0.65, 0.00),
    "occupant cell": (0.20, 0.60, 0.90),
    "powertrain": (0.35, 0.35, 0.38),
    "battery / fuel tank": (0.15, 0.65, 0.25),
    # magenta, not green: a green reserve read as the battery / fuel tank in the legend
    "crush available": (0.75, 0.20, 0.75),
    "crush used (over budget)": (0.85, 0.10, 0.10),
    "crush used (fits)": (0.15, 0.30, 0.80),
}
LEGEND = {
    "crush zone, used at 56 km/h": "crush zone",
    "crush beyond the available": "crush used (over budget)",
    "crush reserve / available": "crush available",
    "crush past stack (ruler)": "crush used (fits)",
    "occupant cell": "occupant cell",
    "powertrain": "powertrain",
    "battery / fuel tank": "battery / fuel tank",
}
VIEWS = {
    # camera direction from the car centre, view-up (as geometry.render.VIEWS)
    "front34": (-1.0, -0.85, 0.45),
    "rear34": (1.0, -0.85, 0.45),
    "side": (0.0, -1.0, 0.0),
    "top": (0.0, 0.0, 1.0),
    "front": (-1.0, 0.0, 0.0),
}
_MESH_TOL = 1.0   # mm chordal tolerance of the tessellation (views, not measurement)


def _pv():
    from geometry.render import offscreen_pyvista

    return offscreen_pyvista()


def part_meshes(cand: Candidate) -> dict[str, Any]:
    """``{part name: pv.PolyData}`` of the candidate's CAD body (cached on it)."""
    if "meshes" not in cand._cache:
        from geometry.render import tessellate

        cand._cache["meshes"] = {name: tessellate(solid, _MESH_TOL, 0.3)
                                 for name, solid in cand.body.parts.items()}
    return cand._cache["meshes"]


def _slab(pv, x0: float, x1: float, y0: float, y1: float, z0: float, z1: float):
    return pv.Box(bounds=(x0, x1, y0, y1, z0, z1))


def _xband(mesh, x0: float, x1: float):
    """The part of a closed surface between the planes x = x0 and x = x1 (closed)."""
    m = mesh
    try:
        if x0 > m.bounds[0]:
            m = m.clip_closed_surface(normal=(1.0, 0.0, 0.0), origin=(x0, 0.0, 0.0))
        if x1 < m.bounds[1]:
            m = m.clip_closed_surface(normal=(-1.0, 0.0, 0.0), origin=(x1, 0.0, 0.0))
    except (RuntimeError, ValueError):  # not a closed manifold: open cut faces
        m = mesh.clip(normal="x", origin=(x0, 0.0, 0.0), invert=False)
        m = m.clip(normal="x", origin=(x1, 0.0, 0.0), invert=True)
    return m


def add_candidate(pl, cand: Candidate, *, style: str = "xray", envelope: bool = True,
                  crush: bool = True, labels: bool = True, offset=(0.0, 0.0, 0.0)) -> None:
    """Add one candidate to the active renderer of plotter ``pl``.

    With ``crush`` the crush zone is split at the crush available and the crush used
    (from the bumper face; used = the crush past the powertrain stack,
    :meth:`Candidate.crush_budget`): used within the budget orange, used beyond it red, unused
    reserve magenta, the rest of the zone (powertrain block, dash) pale; rulers on the
    ground along the driver's side give both lengths.
    """
    from geometry.cad import PART_COLOURS

    pv = _pv()
    off = np.asarray(offset, dtype=float)
    xray = style == "xray"
    meshes = part_meshes(cand)
    b = cand.crush_budget() if crush else None

    def add(mesh, **kw):
        if mesh.n_points == 0:  # a band outside the part (e.g. a cab-over's short zone)
            return
        pl.add_mesh(mesh.translate(off, inplace=False) if off.any() else mesh, **kw)

    for name, mesh in meshes.items():
        if name.startswith("wheel"):
            add(mesh, color=(0.08, 0.08, 0.08), smooth_shading=True,
                opacity=0.55 if xray else 1.0)
            continue
        rgba = PART_COLOURS[name]
        if name in ("body_shell", "greenhouse"):
            add(mesh, color=rgba[:3], opacity=0.10 if xray else 1.0,
                specular=0.0 if xray else 0.4)
        elif not xray:
            continue
        elif name == "crush_zone" and b is not None:
            clean = mesh.clean()
            cav, used = b["available"], b["used"]
            lo, hi = min(cav, used), max(cav, used)
            add(_xband(clean, -1.0, lo), color=ROLE_COLOURS["crush zone"], opacity=0.6)
            add(_xband(clean, lo, hi), opacity=0.8,
                color=ROLE_COLOURS["crush used (over budget)" if used > cav
                                   else "crush available"])
            add(_xband(clean, hi, clean.bounds[1] + 1.0), color=ROLE_COLOURS["crush zone"],
                opacity=0.15)
        else:
            opacity = {"crush_zone": 0.45, "occupant_cell": 0.30}.get(name, 1.0)
            add(mesh, color=rgba[:3], opacity=opacity)
    lay = cand.body.layout
    W = float(lay.W)
    if envelope:
        lx, wy, hz = kei_limits(cand)
        add(_slab(pv, 0.0, lx, -0.5 * wy, 0.5 * wy, 0.0, hz), style="wireframe",
            color="black", line_width=2.0)
    if b is not None:
        cav, used = b["available"], b["used"]
        c_used = ROLE_COLOURS["crush used (fits)" if used <= cav
                              else "crush used (over budget)"]
        y_r = -0.5 * W - 80.0          # rulers on the ground, driver's (-y) side
        add(_slab(pv, 0.0, cav, y_r - 100.0, y_r, 0.0, 40.0), color=ROLE_COLOURS[
            "crush available"])
        add(_slab(pv, 0.0, used, y_r - 220.0, y_r - 120.0, 0.0, 40.0), color=c_used)
        # the available depth as a line around the crush zone's section
        z_top = float(lay.z_top(min(cav, float(lay.x_dash))))
        ring = _slab(pv, cav - 3.0, cav + 3.0, -0.5 * W, 0.5 * W, float(lay.gc), z_top)
        add(ring, style="wireframe", color=ROLE_COLOURS["crush available"], line_width=3.0)
        if labels:
            pts = np.array([[cav, 0.5 * W, z_top + 60.0],
                            [used, y_r - 170.0, 45.0]]) + off
            pl.add_point_labels(
                pts, [f"available {cav:.0f} mm", f"past stack {used:.0f} mm"],
                font_size=12, point_size=1, shape_opacity=0.8, text_color="black",
                shape_color="white", always_visible=True, show_points=False)


def _camera(pl, view: str, span: tuple[float, float, float], size: tuple[int, int]) -> None:
    """The same camera for every viewport: centred on the largest car of the scene."""
    L, W, H = span
    d = np.array(VIEWS[view], dtype=float)
    d /= np.linalg.norm(d)
    flat = view in ("side", "front", "top")
    centre = np.array([0.5 * L, -150.0 if view != "front" else 0.0,
                       (0.53 if flat else 0.40) * H])
    up = (1, 0, 0) if view == "top" else (0, 0, 1)
    pl.camera_position = [tuple(centre + 2.75 * L * d), tuple(centre), up]
    pl.camera.view_angle = 24.0
    if flat:
        pl.enable_parallel_projection()
        aspect = size[1] / size[0]
        across = W if view == "front" else L
        pl.camera.parallel_scale = max(0.60 * (H if view != "top" else W + 600.0),
                                       0.60 * across * aspect)


def _span(cands: Sequence[Candidate]) -> tuple[float, float, float]:
    """Largest length, width, height over the cars and their kei envelopes (mm)."""
    L = W = H = 0.0
    for c in cands:
        lay = c.body.layout
        lx, wy, hz = kei_limits(c)
        L = max(L, float(lay.L), lx)
        W = max(W, float(lay.W), wy)
        H = max(H, float(lay.H), hz)
    return L, W, H


def _title(cand: Candidate) -> str:
    b = cand.crush_budget()
    mass = cand.value("mass:curb")
    lines = [cand.label]
    if np.isfinite(mass):
        lines.append(f"curb {mass:.0f} kg, crush past the stack {b['used']:.0f} / "
                     f"{b['available']:.0f} mm (total incl. stack {b['total']:.0f} mm)")
    return "\n".join(lines)


def candidate_plotter(cands: Candidate | Sequence[Candidate], *, view: str = "front34",
                      style: str = "xray", size: tuple[int, int] = (900, 560),
                      off_screen: bool | None = None, titles: bool = True,
                      legend: bool = True, **kw: Any):
    """A plotter with one viewport per candidate (side by side, same camera and scale).

    ``size`` is the size of one viewport; ``off_screen`` defaults to True without a
    display. Keywords go to :func:`add_candidate`.
    """
    pv = _pv()
    cands = [cands] if isinstance(cands, Candidate) else list(cands)
    n = len(cands)
    if off_screen is None:
        off_screen = bool(pv.OFF_SCREEN) or not os.environ.get("DISPLAY")
    pl = pv.Plotter(shape=(1, n), window_size=(size[0] * n, size[1]), off_screen=off_screen,
                    border=n > 1, border_color="lightgrey")
    span = _span(cands)
    for i, c in enumerate(cands):
        pl.subplot(0, i)
        pl.set_background("white")
        add_candidate(pl, c, style=style, **kw)
        ground = pv.Plane(center=(0.5 * span[0], 0.0, -2.0), direction=(0, 0, 1),
                          i_size=span[0] * 1.3, j_size=span[1] * 1.9)
        pl.add_mesh(ground, color=(0.90, 0.90, 0.88))
        if titles:
            pl.add_text(_title(c), position="upper_left", font_size=11, color="black")
        if legend and i == n - 1:
            items = [[k, ROLE_COLOURS[v]] for k, v in LEGEND.items()]
            pl.add_legend(items + [["kei envelope", "black"]], bcolor="white", border=True,
                          size=(0.30, 0.30), loc="lower right", face="rectangle")
        _camera(pl, view, span, size)
    if n > 1:
        pl.link_views()
    return pl


def screenshot(pl, path: str | Path) -> Path:
    """Write the plotter's image to ``path`` (PNG, by atomic replace:
    :func:`keidesign.outpaths.save_screenshot`) and close it."""
    from keidesign.outpaths import save_screenshot

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        save_screenshot(pl, path)
    finally:
        pl.close()
    return path


def render(cands: Candidate | Sequence[Candidate], path: str | Path, **kw: Any) -> Path:
    """Off-screen PNG of one candidate or of several side by side (see
    :func:`candidate_plotter` for the keywords)."""
    return screenshot(candidate_plotter(cands, off_screen=True, **kw), path)


def compare(cands: Sequence[Candidate], path: str | Path, **kw: Any) -> Path:
    """Side-by-side PNG of two or more candidates at the same scale."""
    if len(cands) < 2:
        raise ValueError("compare() needs two or more candidates")
    return render(cands, path, **kw)


def show(cands: Candidate | Sequence[Candidate], *, backend: str | None = None,
         **kw: Any):
    """Show candidates in a notebook: interactive (trame) when available, else static.

    ``backend``: a pyvista Jupyter backend; default ``PYVISTA_JUPYTER_BACKEND`` or
    ``trame``. Without ``trame-pyvista`` (``pip install "pyvista[jupyter]"``) or a
    virtual frame buffer the static image is shown instead.
    """
    pv = _pv()
    backend = backend or os.environ.get("PYVISTA_JUPYTER_BACKEND") or "trame"
    pl = candidate_plotter(cands, off_screen=True, **kw)
    try:
        return pl.show(jupyter_backend=backend)
    except ImportError:  # trame-pyvista missing: the static fallback
        pl = candidate_plotter(cands, off_screen=True, **kw)
        return pl.show(jupyter_backend="static")
    finally:
        pv.close_all()
