"""A CAE engineer's pass on ``keidesign export`` (s37j, 7 Dec 2026): what a mesher or
crash-solver user found on re-importing the files, each fixed and checked here."""

from __future__ import annotations

import json
import struct

import pytest
from conftest import DESIGNS

from keidesign.cli import main


def _glb_json(path) -> dict:
    data = path.read_bytes()
    assert data[:4] == b"glTF"
    n = struct.unpack("<I", data[12:16])[0]
    return json.loads(data[20:20 + n])


def _glb_extent(doc: dict) -> tuple[list[float], list[float]]:
    """Min and max of every VEC3 POSITION accessor, in the file's own (node) frame:
    the root node's rotation and scale are applied to the corners (as a viewer does)."""
    import numpy as np

    pos = {p["attributes"]["POSITION"] for m in doc["meshes"] for p in m["primitives"]}
    lo = np.min([doc["accessors"][i]["min"] for i in pos], axis=0)
    hi = np.max([doc["accessors"][i]["max"] for i in pos], axis=0)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])])
    for node in doc["nodes"]:          # the root (a node that is no one's child)
        if any(node is not n and doc["nodes"].index(node) in n.get("children", ())
               for n in doc["nodes"]):
            continue
        if "scale" in node:
            corners = corners * np.asarray(node["scale"])
        if "rotation" in node:
            from scipy.spatial.transform import Rotation

            corners = Rotation.from_quat(node["rotation"]).apply(corners)
        break
    return corners.min(axis=0).tolist(), corners.max(axis=0).tolist()


def test_glb_is_in_metres_and_y_up(tmp_path):
    """glTF 2.0 is metres, +Y up (Khronos glTF 2.0 spec, 3.4 "Coordinate System and
    Units"); the sidecar said "glb": "m" but the GLB held millimetres (a 3,395 m long
    N-Box in every viewer): CadQuery's exportGLTF rotates Z-up to Y-up and does not
    scale. The car's length (x, rearward) must be 3.395 m, its height on +y."""
    glb = tmp_path / "n.glb"
    assert main(["export", str(DESIGNS / "nbox_class.toml"), "--glb", str(glb)]) == 0
    lo, hi = _glb_extent(_glb_json(glb))
    side = json.loads(glb.with_suffix(".json").read_text())
    length = side["parameters"]["body:length"]["value"] / 1000.0
    height = side["parameters"]["body:height"]["value"] / 1000.0
    assert hi[0] - lo[0] == pytest.approx(length, abs=2e-3)
    assert hi[1] - lo[1] == pytest.approx(height, abs=2e-3)      # up is +y in glTF
    assert lo[1] == pytest.approx(0.0, abs=2e-3)                 # ground at y = 0
    assert side["units"]["glb"] == "m"
