"""Design review: 3D views, plots, notebooks and a self-contained HTML report.

Review is the end of the data flow (design file -> model -> study -> recorded results ->
review): nothing here changes a model or a result, it re-runs what it shows with the
model's own inputs (as :mod:`keidesign.review.crash_figures` does) and draws it.

Modules (importing this package imports neither pyvista nor matplotlib):

* :mod:`keidesign.review.candidate`: a :class:`Candidate` (design + evaluation, its CAD
  body and crash run built on first use), loaded from a design file or a results folder;
* :mod:`keidesign.review.scene`: pyvista scenes: the assembly coloured by part, the kei
  envelope box as wireframe, the crush budget on the model, side-by-side comparison of
  candidates at the same scale; off-screen PNG, interactive (trame) in JupyterLab with a
  static fallback;
* :mod:`keidesign.review.plots`: matplotlib figures: crash pulse, force-crush, crush
  budget, speed and fuel traces over cycles, optimization history, Pareto front with the
  chosen design, feasibility map with binding-constraint regions, mass/cost breakdown;
* :mod:`keidesign.review.report`: ``keidesign report RESULT_DIR`` writes
  ``RESULT_DIR/report.html`` (images embedded as base64: opens without Python);
* :mod:`keidesign.review.commands`: the CLI plugin; :mod:`keidesign.review.gallery`:
  regenerates ``docs/img/review/*.png``.

See docs/review.md.
"""
