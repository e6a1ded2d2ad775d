"""Parametric CadQuery bodies of keidesign (``tallboy``, ``hatch``).

The geometry issue builds here the named-part ``cq.Assembly`` of each body style, the
kei-envelope and packaging checks on the solid, and the STEP/STL/GLB export. The
optimizer uses the closed-form layer in :mod:`keidesign.body`, which the CAD solid
holds to a stated tolerance in the tests.
"""
