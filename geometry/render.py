"""Off-screen PNG renders of a body (pyvista): exterior views and an X-ray packaging view.

Set ``PYVISTA_OFF_SCREEN=true`` on a headless machine (done here if no display is set).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from geometry.cad import PART_COLOURS, Body
from keidesign.outpaths import replace_file, save_screenshot

__all__ = ["XRAY_LEGEND", "draw_legend", "draw_scale_bar", "legend_corner", "legend_size",
           "offscreen_pyvista", "place_legend", "place_scale_bar", "render_views",
           "scale_bar_size", "tessellate", "xray_legend"]

VIEWS = {
    # name: (camera position direction from the car centre, view-up)
    "front34": ((-1.0, -0.85, 0.45), (0, 0, 1)),
    "rear34": ((1.0, -0.85, 0.45), (0, 0, 1)),
    "side": ((0.0, -1.0, 0.0), (0, 0, 1)),
    "front": ((-1.0, 0.0, 0.0), (0, 0, 1)),
}


def tessellate(shape, tol: float = 0.5, angular: float = 0.2):
    """A pyvista PolyData of a CadQuery shape's tessellation."""
    import pyvista as pv

    verts, tris = shape.tessellate(tol, angular)
    pts = np.array([v.toTuple() for v in verts], dtype=float)
    faces = np.hstack([np.full((len(tris), 1), 3), np.array(tris, dtype=np.int64)]).ravel()
    return pv.PolyData(pts, faces)


def _wheel_meshes(solid, r_rim: float):
    """Tyre (dark) and rim (silver) meshes of a wheel solid, split face by face."""
    import pyvista as pv

    tyre, rim = [], []
    for face in solid.Faces():
        bb = face.BoundingBox()
        rad = 0.5 * max(bb.xlen, bb.zlen)   # faces of revolution: their outer radius
        (rim if rad < r_rim + 1.0 else tyre).append(tessellate(face, 0.3, 0.15))
    return (pv.merge(tyre) if tyre else None), (pv.merge(rim) if rim else None)


def _split_liners(solid, lay):
    """The body shell's mesh without, and with only, its wheel-arch faces."""
    import pyvista as pv

    R, yin = float(lay.R_arch), float(lay.y_in)
    body, liners = [], []
    for face in solid.Faces():
        bb = face.BoundingBox()
        arch = False
        if face.geomType() == "CYLINDER":      # arch: axis along y, radius R_arch
            from OCP.BRepAdaptor import BRepAdaptor_Surface

            cyl = BRepAdaptor_Surface(face.wrapped).Cylinder()
            axis = cyl.Axis().Direction()
            arch = abs(abs(axis.Y()) - 1.0) < 1e-6 and abs(cyl.Radius() - R) < 1e-3
        elif face.geomType() == "PLANE" and bb.ylen < 1e-3:
            arch = abs(abs(bb.ymin) - yin) < 1e-3
        (liners if arch else body).append(tessellate(face))
    return pv.merge(body), (pv.merge(liners) if liners else None)


def _plane_quad(lay, a: str, b: str, f0: float, f1: float, y0, y1, offset: float = 2.0):
    """A quad on the side-profile segment between vertices a and b (fractions f0..f1
    along it), from y0 to y1, lifted ``offset`` mm along the outward normal; ``y0`` and
    ``y1`` are numbers or functions of the height z (mm) of each end."""
    import pyvista as pv

    xa, za = (float(v) for v in lay.side_point(a))
    xb, zb = (float(v) for v in lay.side_point(b))
    dx, dz = xb - xa, zb - za
    ln = float(np.hypot(dx, dz))
    # outward normal: forward on the front faces, rearward on the rear faces
    nx, nz = -dz / ln, dx / ln
    rear = not a.startswith(("bumper_front", "hood"))
    if (nx > 0) != rear:
        nx, nz = -nx, -nz
    p0 = (xa + f0 * dx + offset * nx, za + f0 * dz + offset * nz)
    p1 = (xa + f1 * dx + offset * nx, za + f1 * dz + offset * nz)
    def at(y, z: float) -> float:
        return float(y(z)) if callable(y) else float(y)

    pts = np.array([[p0[0], at(y0, p0[1]), p0[1]], [p1[0], at(y0, p1[1]), p1[1]],
                    [p1[0], at(y1, p1[1]), p1[1]], [p0[0], at(y1, p0[1]), p0[1]]])
    return pv.PolyData(pts, np.array([4, 0, 1, 2, 3]))


def decals(lay):
    """Render-only lamps and grille drawn on the envelope's planar faces (not CAD parts):
    [(mesh, rgb)]."""
    W = float(lay.W)
    rf, rr = float(lay.r_plan_f), float(lay.r_plan_r)
    out = []
    lamp = (0.93, 0.95, 0.97)
    tail = (0.75, 0.05, 0.05)
    wl = min(330.0, 0.5 * W - rf - 120.0)

    def edge(sgn: float, inset: float):
        """y of a tail lamp's edge ``inset`` mm inside the flat rear face at height z:
        the face ends at the plan corner (W/2 - r_plan_r) or, higher, where the
        tumblehome has brought the side in (the section's half-width at z)."""
        return lambda z: sgn * (min(float(lay.half_width(z)), 0.5 * W - rr) - inset)

    for sgn in (-1.0, 1.0):
        y0, y1 = sgn * (0.5 * W - rf - 15.0), sgn * (0.5 * W - rf - 15.0 - wl)
        out.append((_plane_quad(lay, "bumper_front_top", "hood_front", 0.35, 0.85, y0, y1),
                    lamp))
        if lay.style == "tallboy":
            q = _plane_quad(lay, "roof_rear", "bumper_rear_top", 0.45, 0.85,
                            edge(sgn, 10.0), edge(sgn, 130.0))
        elif lay.style == "truck":     # on the rear frame below the tail gate
            q = _plane_quad(lay, "bumper_rear_top", "bumper_rear_low", 0.55, 0.75,
                            sgn * (0.5 * W - rr - 10.0), sgn * (0.5 * W - rr - 200.0))
        else:
            q = _plane_quad(lay, "backlight_base", "bumper_rear_top", 0.1, 0.45,
                            edge(sgn, 10.0), edge(sgn, 240.0))
        out.append((q, tail))
    g = 0.5 * W - rf - 40.0
    out.append((_plane_quad(lay, "bumper_front_low", "bumper_front_top", 0.25, 0.75, -g, g),
                (0.12, 0.12, 0.13)))
    return out


def offscreen_pyvista():
    """pyvista, set to render off-screen when no display is set, with VTK's log on
    stderr limited to errors there: VTK tries X first and logs a "bad X server
    connection" warning on every window (``keidesign export --render`` printed it on a
    headless machine, s29b; the review's scenes had it silenced already)."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("PYVISTA_OFF_SCREEN", "true")
        try:
            from vtkmodules.vtkCommonCore import vtkLogger

            vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)
        except ImportError:
            pass
    import pyvista as pv

    return pv


#: the x-ray view's legend, part -> label, in the order shown (parts the body has; the
#: truck bed's five sheet-metal parts are one entry, coloured as its sides); the wheels
#: and the ground need none
XRAY_LEGEND = {
    "crush_zone": "crush zone", "occupant_cell": "occupant cell",
    "powertrain": "powertrain", "battery": "battery", "fuel_tank": "fuel tank",
    "frame": "frame", "bed_side_left": "bed", "body_shell": "body shell (see-through)",
    "greenhouse": "greenhouse (see-through)",
}


def xray_legend(parts) -> list[tuple[str, tuple[float, float, float]]]:
    """``(label, rgb)`` of the x-ray legend for a body of these part names: each part's
    own colour (:data:`geometry.cad.PART_COLOURS`, full strength: the render shades it
    and draws it at 0.75, the shell and glazing at 0.12, opacity)."""
    return [(label, tuple(PART_COLOURS[name][:3])) for name, label in XRAY_LEGEND.items()
            if name in parts]


def _legend_font(img_height: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=max(10, round(img_height / 46)))


def legend_size(img_height: int, items) -> tuple[int, int]:
    """Width and height (pixels) of the legend :func:`draw_legend` draws for ``items`` on
    an image ``img_height`` pixels high (its border included)."""
    from PIL import Image, ImageDraw

    font = _legend_font(img_height)
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    height = font.size
    width = max(draw.textlength(label, font=font) for label, _ in items)
    return (12 + height + 8 + int(width) + 12 + 1,
            10 + round(1.35 * height) * len(items) + 4 + 1)


def legend_corner(shape, boxes, size, margin: int = 8) -> tuple[int, int] | None:
    """The top-left pixel ``(x, y)`` of a legend of ``size`` (w, h) in the first corner of
    an image of ``shape`` (H, W, ...), in the order upper-left, upper-right, lower-left,
    lower-right, ``margin`` pixels in from both edges, that overlaps none of ``boxes``
    (``(x0, y0, x1, y1)`` pixel boxes, the parts' projected extents, inclusive, +1 pixel
    kept clear); None if every corner overlaps one (:func:`place_legend` then puts the
    legend outside the view). Deterministic: it depends on the boxes alone."""
    h_img, w_img = shape[:2]
    w, h = size
    for x, y in ((margin, margin), (w_img - margin - w, margin),
                 (margin, h_img - margin - h), (w_img - margin - w, h_img - margin - h)):
        if x < 0 or y < 0:
            continue
        if not any(x <= b[2] + 1 and b[0] - 1 <= x + w - 1 and y <= b[3] + 1
                   and b[1] - 1 <= y + h - 1 for b in boxes):
            return x, y
    return None


def place_legend(img: np.ndarray, items, boxes, margin: int = 8) -> np.ndarray:
    """``img`` with the legend of ``items`` in the first corner clear of every box of
    ``boxes`` (:func:`legend_corner`); when no corner is clear, on a white band added
    above the view (the image taller by the legend), so the legend never covers a part.
    The x-ray view's legend sat in the upper-left corner whatever the car: the kei
    truck's cab reached under it in one full test run (s34c)."""
    h0 = img.shape[0]
    size = legend_size(h0, items)
    at = legend_corner(img.shape, boxes, size, margin)
    if at is None:
        band = np.full((size[1] + 2 * margin, *img.shape[1:]), 255, dtype=img.dtype)
        img, at = np.concatenate([band, img]), (margin, margin)
    return draw_legend(img, items, at=at, font_height=h0)


def draw_legend(img: np.ndarray, items, margin: int = 8, at: tuple[int, int] | None = None,
                font_height: int | None = None) -> np.ndarray:
    """``img`` (H x W x 3 uint8) with a legend drawn with its top-left corner at ``at``
    (default ``(margin, margin)``, the upper-left corner): per item a filled swatch of its
    exact colour, outlined dark grey, and its label in black, on a white panel with a grey
    border; text height ~1/46 of the image height (PIL's FreeType default font). Drawn
    on the image, not by VTK: VTK's legend box writes each label in its entry's colour
    (the light bed colour was unreadable on white)."""
    from PIL import Image, ImageDraw

    font = _legend_font(img.shape[0] if font_height is None else font_height)
    pil = Image.fromarray(np.ascontiguousarray(img[..., :3]))
    draw = ImageDraw.Draw(pil)
    height = font.size
    row = round(1.35 * height)
    width = max(draw.textlength(label, font=font) for label, _ in items)
    x0, y0 = at if at is not None else (margin, margin)
    x1 = x0 + 12 + height + 8 + int(width) + 12
    y1 = y0 + 10 + row * len(items) + 4
    draw.rectangle((x0, y0, x1, y1), fill=(255, 255, 255), outline=(150, 150, 150))
    for k, (label, rgb) in enumerate(items):
        top = y0 + 10 + k * row
        fill = tuple(int(round(255 * c)) for c in rgb)
        draw.rectangle((x0 + 12, top, x0 + 12 + height, top + height), fill=fill,
                       outline=(60, 60, 60))
        draw.text((x0 + 12 + height + 8, top + 0.5 * height), label, fill=(0, 0, 0),
                  font=font, anchor="lm")
    return np.asarray(pil)


#: the axes named under the scale bar of each parallel-projection view (SAE J1100
#: directions, :data:`geometry.export.COORDINATE_SYSTEM`): in the side view (camera on
#: -y) screen right is +x, in the front view (camera on -x) screen right is -y
SCALE_AXES = {"side": "SAE x (rearward) to the right",
              "front": "SAE y (car's right) to the left"}


def scale_bar_size(img_height: int, px_per_mm: float, text: str) -> tuple[int, int]:
    """Width and height (pixels) of the panel :func:`draw_scale_bar` draws."""
    from PIL import Image, ImageDraw

    font = _legend_font(img_height)
    width = ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(text, font=font)
    return (6 + max(round(1000.0 * px_per_mm), int(width)) + 6 + 1,
            8 + 2 * round(1.35 * font.size) + 10 + 1)


def draw_scale_bar(img: np.ndarray, px_per_mm: float, at: tuple[int, int], text: str,
                   font_height: int | None = None) -> np.ndarray:
    """``img`` with a 1 m scale bar (black, pure (0, 0, 0), ``round(1000 * px_per_mm)``
    pixels long, end ticks) labelled "1 m" above it and ``text`` (the axes) under it, on
    a white panel whose top-left corner is ``at``. Only for a parallel projection, where
    one pixel is the same length everywhere in the view."""
    from PIL import Image, ImageDraw

    font = _legend_font(img.shape[0] if font_height is None else font_height)
    pil = Image.fromarray(np.ascontiguousarray(img[..., :3]))
    draw = ImageDraw.Draw(pil)
    w, h = scale_bar_size(img.shape[0] if font_height is None else font_height,
                          px_per_mm, text)
    x0, y0 = at
    draw.rectangle((x0, y0, x0 + w - 1, y0 + h - 1), fill=(255, 255, 255))
    row = round(1.35 * font.size)
    n = round(1000.0 * px_per_mm)
    bx, by = x0 + 6, y0 + 8 + row
    draw.text((bx + 0.5 * n, by - 4), "1 m", fill=(0, 0, 0), font=font, anchor="mb")
    draw.rectangle((bx, by - 1, bx + n - 1, by + 1), fill=(0, 0, 0))
    for x in (bx, bx + n - 1):
        draw.line((x, by - 6, x, by + 6), fill=(0, 0, 0), width=1)
    draw.text((bx, by + 8), text, fill=(60, 60, 60), font=font, anchor="lt")
    return np.asarray(pil)


def place_scale_bar(img: np.ndarray, px_per_mm: float, text: str,
                    margin: int = 8) -> np.ndarray:
    """``img`` with :func:`draw_scale_bar` in the first corner (upper-left, upper-right,
    lower-left, lower-right) whose pixels, one more all round, are all background white
    (the parts' boxes of :func:`legend_corner` are too coarse here: a side view's box
    fills every corner), else on a white band added below the view. The side and front
    views had no scale (s37j: a CAE user could not read a length off them)."""
    h0, w0 = img.shape[:2]
    w, h = scale_bar_size(h0, px_per_mm, text)
    at = None
    for x, y in ((margin, margin), (w0 - margin - w, margin),
                 (margin, h0 - margin - h), (w0 - margin - w, h0 - margin - h)):
        if x >= 1 and y >= 1 and (img[y - 1:y + h + 1, x - 1:x + w + 1, :3] == 255).all():
            at = (x, y)
            break
    if at is None:
        band = np.full((h + 2 * margin, *img.shape[1:]), 255, dtype=img.dtype)
        at = (margin, h0 + margin)
        img = np.concatenate([img, band])
    return draw_scale_bar(img, px_per_mm, at, text, font_height=h0)


def _screen_box(pl, mesh, shape) -> tuple[int, int, int, int] | None:
    """The pixel box ``(x0, y0, x1, y1)`` (rows from the top, inclusive) of ``mesh``'s
    points seen through the plotter's camera on an image of ``shape`` (H, W, ...), clipped
    to the image; None if the mesh has no points or lies outside the view. Every point is
    projected (the camera's composite projection), so the box is the extent of the part's
    projection, whatever the part's shape."""
    pts = np.asarray(mesh.points, dtype=float) if mesh is not None else np.empty((0, 3))
    if pts.size == 0:
        return None
    h, w = shape[:2]
    m = np.array([[pl.camera.GetCompositeProjectionTransformMatrix(w / h, -1, 1)
                   .GetElement(i, j) for j in range(4)] for i in range(4)])
    q = np.c_[pts, np.ones(len(pts))] @ m.T
    q = q[q[:, 3] > 0]
    if not len(q):
        return None
    ndc = q[:, :2] / q[:, 3:4]
    x = (ndc[:, 0] + 1.0) * 0.5 * w
    y = (1.0 - ndc[:, 1]) * 0.5 * h
    x0, x1 = int(np.floor(x.min())), int(np.ceil(x.max()))
    y0, y1 = int(np.floor(y.min())), int(np.ceil(y.max()))
    if x1 < 0 or y1 < 0 or x0 >= w or y0 >= h:
        return None
    return max(x0, 0), max(y0, 0), min(x1, w - 1), min(y1, h - 1)


def _png_bytes(img: np.ndarray) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


def render_views(body: Body, out_dir: str | Path, stem: str, views=None,
                 size=(1200, 700), legend: bool = True) -> list[Path]:
    """Write ``{stem}_{view}.png`` for each view (and ``{stem}_xray.png``); return paths.

    The x-ray view carries a colour legend (:func:`xray_legend`) in the first corner
    (upper-left, upper-right, lower-left, lower-right) clear of every part's projected
    extent, the ground's included (:func:`place_legend`; above the view if none is); the
    side and front views (parallel projection) a 1 m scale bar with the axes' directions
    (:func:`place_scale_bar`, same placement, below the view if no corner is clear);
    ``legend=False``: neither."""
    pv = offscreen_pyvista()

    pv.OFF_SCREEN = True
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lay = body.layout
    r_rim = 12.7 * float(lay.p["rim"])
    meshes = {}
    for name, solid in body.parts.items():
        if name.startswith("wheel"):
            meshes[name] = _wheel_meshes(solid, r_rim)
        elif name == "body_shell":
            meshes[name], meshes["arch_liners"] = _split_liners(solid, lay)
        else:
            meshes[name] = tessellate(solid)
    L, W, H = float(lay.L), float(lay.W), float(lay.H)
    written = []
    for view in (views or list(VIEWS) + ["xray"]):
        pl = pv.Plotter(off_screen=True, window_size=size)
        pl.set_background("white")
        xray = view == "xray"
        for name, mesh in meshes.items():
            if name.startswith("wheel"):
                tyre, rim = mesh
                pl.add_mesh(tyre, color=(0.08, 0.08, 0.08), smooth_shading=True,
                            opacity=0.35 if xray else 1.0)
                if rim is not None:
                    pl.add_mesh(rim, color=(0.78, 0.78, 0.80), smooth_shading=True,
                                specular=0.6, opacity=0.35 if xray else 1.0)
                continue
            if name == "arch_liners":
                if mesh is not None:
                    pl.add_mesh(mesh, color=(0.1, 0.1, 0.1), opacity=0.12 if xray else 1.0)
                continue
            rgba = PART_COLOURS[name]
            if xray:
                if name in ("body_shell", "greenhouse"):
                    pl.add_mesh(mesh, color=rgba[:3], opacity=0.12)
                else:
                    pl.add_mesh(mesh, color=rgba[:3], opacity=0.75, show_edges=False)
            elif name in ("body_shell", "greenhouse"):
                pl.add_mesh(mesh, color=rgba[:3], smooth_shading=False, specular=0.5,
                            specular_power=20)
        if not xray:
            for mesh, rgb in decals(lay):
                pl.add_mesh(mesh, color=rgb, specular=0.3)
        ground = pv.Plane(center=(0.5 * L, 0, -1.0), direction=(0, 0, 1),
                          i_size=L * 1.6, j_size=W * 2.5)
        pl.add_mesh(ground, color=(0.86, 0.86, 0.84))
        direction, up = VIEWS.get(view, VIEWS["front34"])
        flat = view in ("side", "front")
        centre = np.array([0.5 * L, 0.0, (0.5 if flat else 0.42) * H])
        d = np.array(direction, dtype=float)
        d /= np.linalg.norm(d)
        dist = 2.15 * L
        pl.camera_position = [tuple(centre + dist * d), tuple(centre), up]
        pl.camera.view_angle = 24.0
        if flat:
            pl.enable_parallel_projection()
            aspect = size[1] / size[0]
            span = W if view == "front" else L
            pl.camera.parallel_scale = max(0.56 * H, 0.55 * span * aspect)
        path = out_dir / f"{stem}_{view}.png"
        if (xray and legend) or (flat and legend):
            img = pl.screenshot(return_img=True)
            if xray:
                boxes = [_screen_box(pl, pv.wrap(a.GetMapper().GetInput()), img.shape)
                         for a in pl.renderer.actors.values() if a.GetMapper() is not None]
                img = place_legend(img, xray_legend(body.parts), [b for b in boxes if b])
            else:       # parallel projection: the view is 2 * parallel_scale mm high
                img = place_scale_bar(img, img.shape[0] / (2.0 * pl.camera.parallel_scale),
                                      SCALE_AXES[view])
            replace_file(path, _png_bytes(img))     # atomic, as save_screenshot
        else:
            save_screenshot(pl, path)   # atomic replace: never through a link (s32g)
        pl.close()
        written.append(path)
    return written
