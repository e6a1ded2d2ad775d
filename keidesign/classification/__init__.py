"""Where a design may drive and under which federal class (issue 15).

:mod:`.federal`: the class (passenger car, truck, low-speed vehicle, below the LSV band)
from the design's top speed, GVWR and body, and the rules that then apply;
:mod:`.states`: road access state by state from ``keidesign/data/states``, every rule
with its source and date; :mod:`.report`: the classification of a design file (used by
``keidesign classify``); :mod:`.interior`: SAE J1100-type interior volumes and the EPA
size class (a trial, task s35d, not used by the report: docs/classification.md).
"""
