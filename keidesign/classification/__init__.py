"""Where a design may drive and under which federal class (issue 15).

:mod:`.federal`: the class (passenger car, truck, low-speed vehicle, below the LSV band)
from the design's top speed, GVWR and body, and the rules that then apply;
:mod:`.states`: road access state by state from ``keidesign/data/states``, every rule
with its source and date; :mod:`.report`: the classification of a design file (used by
``keidesign classify``).
"""
