"""Trial (task s36h, 7 Dec 2026): the front seat height H30 by the body height, judged on
the published EPA passenger volumes, leave-one-family-out.

Why: the s35d trial (``benchmarks/interior_volumes.py``, docs/classification.md "EPA size
class and the cargo-van test: tried, not shipped") gives every imported car the
registry's seat height H30 = 270 mm; its passenger-volume error grows with the body height
(mean error +5.4 / +10.7 / +13.8 ft^3 by height third). A taller car seats its occupants
more upright, higher above the floor (a higher H30 at a given H-point-to-heel L53), which
takes head room H61/H63 from the roof.

Published packaging first: the stored public pages, docs and code were searched for
per-generation J1100 head and leg room (H61, H63, L34, L51) or H30 of the imported small
cars (``search`` code/docs, ``find_string`` "front_headroom", "Head Room (in.) Front");
no table covering the imports' generations was found (single-car scrapes of unknown
generation only), so the law below is tried instead.

Law (one line, two parameters, mm): ``H30 = a + b (H_body - 1500)``, where ``H_body`` is
the published body height of the import; every other key the import's rule (L53 = 850 mm
the registry's). The interior volumes are :func:`keidesign.classification.interior.
interior` of the imported layout with that H30 (no other change).

Fit: ``a``, ``b`` by least squares on the passenger-carrying volume error (model minus
published ``hpv``/``pv4`` of ``interior_volumes.run``'s generations, ft^3), each
generation weighted one. Judged leave-one-family-out (family = make + model): for every
family the law is refitted on the other families and that family's volumes predicted
with the refit; S1 is computed on those held-out predictions only.

Ship rule (written 7 Dec 2026 before the first run of the law; task s36h):

* R1 = the s35d S1 on the held-out predictions: MAE <= 10 % of the published mean and
  the mean error within +-10 % of it, over at least five families;
* R2 (physics, guards against the intercept absorbing unrelated biases such as the
  unmodelled hip-room variant): the all-data fit's ``b >= 0`` (taller car, higher seat)
  and the law's H30 over the data's height range within 200-450 mm [A: passenger-car to
  small-SUV seat heights; the registry's 270 mm inside];
* if R1 and R2 hold the law is the candidate for the next session to wire into the
  import's seat height (then re-check S2/S3 and the other users of ``seat_height``);
  else nothing ships and the numbers go to docs/classification.md under "tried".
  Nothing is wired into ``classify`` / ``evaluate`` in this task either way.

Run: ``PYTHONPATH=. OPENMDAO_REPORTS=0 python benchmarks/interior_seat_height.py``.
"""
