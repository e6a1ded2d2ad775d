"""Parametric CadQuery bodies of keidesign (``tallboy``, ``hatch``, ``truck``).

See docs/geometry.md.

Modules (importing this package does not import CadQuery):

* :mod:`geometry.profiles`: the 2D profiles and packaging layout of a body style, written
  once for floats, complex step and dual numbers (:mod:`geometry.ad`);
* :mod:`geometry.params`: design -> checked layout (``InputError`` naming parameters);
* :mod:`geometry.cad`: the named-part ``cq.Assembly`` (cached by parameters);
* :mod:`geometry.checks`: kei envelope and occupant/packaging margins on the solid;
* :mod:`geometry.measure`: derived quantities measured on the solid (the oracle that
  holds the closed form :mod:`geometry.closed_form` to the CAD);
* :mod:`geometry.export`: STEP/STL/GLB + JSON sidecar; :mod:`geometry.commands`: the
  ``keidesign export`` subcommand; :mod:`geometry.render`: pyvista PNG views.
"""
