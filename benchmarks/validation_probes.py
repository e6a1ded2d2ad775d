"""Probes behind the "what the numbers say" notes of docs/validation.md (issue 13).

    python benchmarks/validation_probes.py              # all probes (about 45 minutes)
    python benchmarks/validation_probes.py ev_motors    # one of them (~3 min)

* ``flags``: the label file's start-stop and turbo flags and the specific power / N/V
  joined to the (a) errors of the gasoline configurations (shipped constants): is any of
  them a lever a spec sheet gives?
* ``hybrids``: the full hybrids' (a) errors with the ICE's zero-load mean effective
  pressure scaled and the Willans efficiency raised (is an Atkinson engine the lever?),
  engines at the reference ratio (the model before 4 Dec 2026).
* ``hybrid_compression`` (~10 min): the 28 EPA hybrids (a) and label combined, shipped and
  leave-one-family-out, mild and full, with every engine at the reference ratio (before
  4 Dec 2026) and at its published one (``hybrid_systems.csv``; an Atkinson engine's
  expansion ratio, through ``powertrains.compression_efficiency``), and tried: the ratio
  taken relative to the US NA class default 11.0 instead of 12.0; asserts the non-hybrid
  rows bit-identical to docs/validation.json.
* ``over_expanded`` (instant): the ideal over-expanded (Atkinson) cycle at effective
  compression ratios 8-11 against the Otto cycle at the expansion ratio (how much of
  ``compression_efficiency(r_e)`` an Atkinson engine's cycle keeps).
* ``ev_motors``: the EV levers of issue 13, each judged by the leave-one-family-out
  FTP/HWFET error of the EPA EV rows (loss scale and regenerative share refitted without
  the family) and the kei EV WLTC check (fit on every EPA EV, nothing on kei cars):
  published motor torque and power (``keidesign/data/vehicles/ev_motors.csv``; shipped)
  against the EPA hp and 320 N m, a larger loss map for induction machines, the gear
  efficiency and the accessory load.
* ``ev_torque``: the rated torque of every EPA EV row from its rated power (T = k P,
  T ~ P^0.5) instead of 320 N m, on the previous map and on the shipped map.
* ``ev_shapes``: the motor + inverter loss-map shapes tried (``EV_SHAPES``: the previous
  map, Larminie & Lowry's, the similarity law per mechanism, flux weakening, an
  inverter term, a size-independent constant, the iron-loss speed exponent), judged as
  ``ev_motors``; for the shipped map and the previous one also the 28 EPA hybrids and a
  Sakura-class car at 30 / 47 / 80 kW (~5 min).
* ``ev_motors``, ``ev_torque`` and ``ev_shapes`` run on the EV model before the
  induction magnetising loss and the charging load (``HOLD_BEFORE``: those constants
  held at 0, the accessory load at 0.25 kW), the model the figures of docs/validation.md
  they back were made with; they, ``ev_charging`` and ``ev_levers`` (accessory load held
  at 0.25 kW, ``HOLD_AUX``) run with the pack heater off (``_no_heater``).
* ``newuser`` (~10 s): the spec files of ``tests/data/newuser/`` (car families not in
  the shipped data, sources in their comments) through ``keidesign import spec
  --predict`` and ``keidesign evaluate``: exit codes, messages of the refused ones, and
  the predicted curb mass, label, WLTC / JC08, range and 0-60 against the published
  figures of ``tests/data/newuser/published.csv`` (``benchmarks/newuser.py``), and the
  MAE and bias per quantity of the first pass, the second, the third and all.
* ``absent_families`` (~45 s): the label from specs on 25 configurations (22 gasoline, 3
  BEVs) of 14 small-car families of fueleconomy.gov's MY2011-2023 small classes that
  keidesign/data/epa does not hold (``keidesign/data/vehicles/absent_families.csv``, rule
  in its README), each written
  as a new user's spec file and run through ``import spec --predict`` and ``evaluate``:
  label city / highway / combined against the unrounded label, MAE, bias, worst, by
  transmission, size class and family, at the record's published curb mass, and taken
  apart with the EPA test car's measured ETW and target coast-down where the Test Car
  List has the configuration (``benchmarks/absent_families.py``).
* ``absent_bevs`` (~2 min): the BEVs of the absent families (the 3 of
  ``absent_families.csv`` and the 4 of ``keidesign/data/vehicles/absent_bevs.csv``)
  taken apart: the label from specs split into test mass, road load, the rest (both
  measured settings in) and the label formula (the published label against 0.7 x the test
  car's measured), beside the in-data EVs' powertrain model (a) held out by family; the
  import's inputs variant and the pack-resistance trial (shipped on 7 Dec 2026, s42b: its lines
  now equal the shipped ones)
  (``benchmarks/absent_bevs.py``).
* ``gasoline_label_parts`` (seconds with ``label_split``'s cache current, else ~12-25
  min, then ~1 min): the gasoline label combined from specs, held out (``label_split``'s
  rows), split per configuration into test mass, road load, powertrain (both measured
  settings in; the import's inputs and the (a) kernel beside it) and the label formula
  (the published label against the derived 5-cycle formula on the measured FTP / HWFET),
  MAE and bias of each part and of the whole by transmission class and model-year band,
  and the same on the absent stand-in's gasoline rows with an EPA test car
  (``benchmarks/gasoline_label_parts.py``; task s41c).
* ``ratio_reference`` (~15-30 min): tried, not shipped (task s41c): the design's
  compression-ratio factor taken against 11.0, the US NA default the ICE constants'
  engines sit at, in place of 12.0; judged by the rule in its module's docstring on the
  label from specs (``label_split``'s footing), the kei WLTC check and the absent stand-in
  (``benchmarks/ratio_reference_trial.py``; docs/validation.md, "The gasoline label from
  specs taken apart").
* ``grip_tyre`` (~20-40 min): tried, not shipped (task s42c): the grip-tyre rolling term,
  ``road:crr`` x (1 + k max(P/m - 75 W/kg, 0) / 10 W/kg) on combustion-engined cars,
  judged by the rule of docs/validation.md, "The road load of the overshooting families
  from specs", on (e), the label from specs, the kei WLTC check and the absent stand-in
  (``benchmarks/grip_tyre_trial.py``); ``grip_ratio`` (~20-40 min, after it): the joint
  compression-ratio fit on top of it, tried, not shipped (``benchmarks/grip_ratio_trial.py``).
  Its variants (task s42f, trial, not shipped; run the script directly): ``--below`` (the
  pair fitted on the grip-free cases, ``k`` alone above the hinge) and ``--hinge 60`` /
  ``--hinge 90``, each also against every kei row's bound in tests/test_energy_validation.py.
* ``throttle`` (~20-40 min): tried, not shipped (task s43b): a throttling (pumping) term
  at light load, ``P_pump = k_p p_amb V_d w / (4 pi) clip(1 - (P_b + P_0) / (P_NA + P_0),
  0, 1)`` added to the Willans friction power, ``k_p`` fitted with the ICE constants
  (``--fixed 0.65`` when run directly: variant B, fixed); judged by the rule of
  docs/validation.md, "A throttling (pumping) term at light load", on (a) held out by
  family, the kei WLTC check, the label from specs (``label_split``'s footing) and the
  absent stand-in, with the shape against the stored engine maps
  (``benchmarks/throttle_trial.py``; ``--no-chain`` when run directly: (a), kei, maps;
  ``--mlit RESULTS.json [--hev]``: a stored run's fits on ``mlit_kei`` and the kei WLTC
  check, with the term in the mild hybrids' engines too with ``--hev``, task s43g).
* ``absent_roadload`` (~30 s): the absent rows' road load taken apart against their EPA
  test car's target coefficients at its ETW (20 / 50 / 70 mph, the rolling level A / (m
  g), the drag area C implies against Cd x the CAD area), by make beside the in-data
  makers' held-out road-load errors; the BEVs' reduction, launch force and motor speed
  against the EPA BEV rows the loss map was fitted on, the default-reduction rules held
  out by family, and the Spark EV at the fixed 8.0, the bounded default and its published
  3.87 (``benchmarks/absent_families.py``, :func:`roadload_parts`).
* ``absent_mass`` (~3-4 min): the curb mass of the same configurations taken apart (the
  model's mass groups, the envelope volume against the fitted volumes, the predicted
  curb against the autoevolution and the US figures, the test mass and the published
  curb + 136 kg against the ETW), then candidate terms of the mass size law (held at
  zero or above, rated power, brake energy, power + turbo, footprint) and the fit's US
  BEVs at their sourced packs, refitted on the 97 fit cars and judged
  leave-one-family-out there, and, as an independent check, their curb, test mass and
  label on the absent configurations (``benchmarks/absent_mass.py``).
* ``power_parts`` (~30 s): a power-sized mass part with a source: the engine twins of
  the autoevolution archive (``keidesign/data/mass/engine_twins.csv``: variants of one
  model page, drive and transmission family) give the curb step per kW beyond the
  build-up's own power-sized laws; that part, ``c_P P`` at the twins' coefficient, with
  the size law refitted, judged leave-one-family-out on the 97 fit cars by the rule in
  its docstring, then checked on the absent configurations: not kept; and the
  design-speed chassis (the chassis fraction grown with the FMVSS 135 brake test speed
  of the rated power, beta from the same twins): passes the rule, not shipped (the MLIT
  kei check worse) (``benchmarks/power_parts.py``).
* ``newuser_kei`` (~30 s): the second pass's kei misses (Jimny JB64 5MT, Move Canbus
  2022 turbo and 2016 NA) before -> after their published gearing, tyre and
  stop-before-standstill idle stop, the Jimny's parts and what-if Cd, where the model
  stops the engine on the WLTC and JC08 traces, and the stop speed as a what-if on the
  kei data's idle-stop rows (``benchmarks/newuser_kei.py``).
* ``newuser_kei3`` (~20 s): the third new-user pass (13 kei configurations of six
  families not in the data: Wagon R Smile, Spacia MK94S, Roox 2020, Copen LA400K, Move
  2025, Mira Tocot) against their published WLTC / JC08, before -> after the kei
  mild-hybrid import defaults (1.9 kW ISG, 0.036 kWh), and the worst misses taken apart
  (``benchmarks/newuser_kei3.py``).
* ``kei_paths`` (~35 s): the kei WLTC check's 13 ICE rows written as a new user's spec
  files (``import spec --predict``, ``evaluate``) against the check, per car, with what
  each input the check has and the spec has not is worth; idle stop in MLIT's passenger
  kei WLTC lists (``mlit_kei_wltc.csv``) and the import's kei idle-stop default before ->
  after on the check, the new-user path and the three new-user passes; the kei ISG's
  mass against MLIT's hybrid / non-hybrid twins and in the held-out mass calibration
  (``benchmarks/kei_paths.py``).
* ``kei_import_gap`` (~15 s): the kei WLTC check's 13 ICE rows against the same rows
  imported (``import vehicle``, ``evaluate``): the gap taken apart by swapping each input
  of the import's design into the check (frontal area, tyre, rated speed), and the check
  with the body model's frontal area of each row, tried against the task s45e ship rule
  (docs/validation.md) and not shipped (``benchmarks/kei_import_gap.py``).
* ``power_parts_held`` (~5 min): ``power_parts``' design-speed chassis with the size
  law's offset held, above a kei's 47 kW only, or both, judged by a rule written first:
  MLIT's kei curb mass and unseen-family WLTC (each configuration run once, the variants
  in closed form and the WLTC at their curb mass), then the US cars held out by family
  and the absent families' test mass; tried, not kept (``benchmarks/power_parts_held.py``).
* ``mass_union`` (~1 min): MLIT's passenger kei configurations (curb target: the middle
  of the list's mass range) put into the mass size law's fit beside the 97 cars (each
  MLIT body family weighing one average fit family, repeats of kei.csv rows dropped),
  judged held out by family over the union (the 97, the MLIT rows, the union) and on the
  absent families' test mass, then ``power_parts_held``'s variants refitted on the
  union; not kept (``benchmarks/mass_union.py``).
* ``kei_mass`` (~8 min): the light kei mass build-up against published component masses
  (``keidesign/data/mass/component_masses.csv``: kei and 1.0-2.0 L engines, the kei
  CVT, kei lightweighting deltas): the engine law fitted on the published engines and
  the kei CVT at its published mass, each with the size law refitted and judged
  leave-one-family-out (all, kei, US, EV, the light kei hatches), and the new-user kei
  passes under each; tried, not kept (``benchmarks/kei_mass.py``).
* ``mlit_kei`` (~2 min): MLIT's passenger kei WLTC lists (``mlit_kei_wltc.csv``) as a
  check set of many families: each resolved configuration (one per chassis, transmission,
  drive, turbo, hybrid, idle stop; the chassis and engine tables
  ``mlit_kei_families.csv`` / ``mlit_kei_engines.csv``) written as a new user's spec file
  and run from specs alone and at the published curb mass; MAE / bias by builder, family,
  transmission, drive, hybrid, turbo, in-data vs unseen family, and the largest
  class-wide biases (``benchmarks/mlit_kei.py``).
* ``ev_charging`` (~3 min): the SAE J1634 charging load (wall energy x (1 + P_par /
  P_chg), on-board charger ratings of ``ev_chargers.csv`` and kei.csv) and the induction
  machine's magnetising loss ``c_mag``, each fitted or held, judged as ``ev_motors``.
* ``ev_levers`` (~4 min): the fixed-torque doubt: iron (and windage) loss from the active
  volume (~ rated torque) at the absolute speed, before and with the shipped terms, with
  the hybrids and the Sakura-class sizes.
* ``ev_packs`` (~1 min): per EV configuration of the specs-only chain, the battery
  energy ``keidesign import epa`` writes and where it comes from (the ev_batteries.csv
  pack, the label-range estimate or the class default), the on-board charger, and the
  FTP / HWFET errors from specs alone (shipped constants).
* ``ev_outliers`` (~14 min): issue 13's worst EV rows (CODA, Bluecar, MX-30, 2012 Focus,
  2015 e-Golf) and the EV label bias: the lithium-metal-polymer pack heater
  (``powertrains.PACK_HEATER_KW``, Bluecar) off, at 0.1 / 0.2 / 0.3 kW, the accessory
  load ``aux_kw`` fitted with and without it; judged as ``ev_charging`` plus the label
  from specs (all-EV fit and BEV constants refitted without the family), the hybrids,
  and the constant load that would close each worst row's FTP error.
* ``ev_bias_parts`` (~5 min): the EV label bias from specs alone, leave-one-family-out
  (BEV loss constants, road-load pair and mass build-up refitted without the family, as
  ``benchmarks/validation.py``), taken apart by swapping the EPA test car's measured ETW
  and target coast-down coefficients into the specs-only design one at a time: the
  parts of the test mass, the road load and the import's powertrain inputs, and the
  powertrain model's own (a) hold-out error; the road load against the targets at 20 /
  50 / 70 mph, the kei EV WLTC check, per configuration. Before and with the motor's
  coast-down drag (``powertrains.coastdown_drag``, 4 Dec 2026).
* ``ev_twins`` (~10 s): the motor's coast-down drag checked on the EV / ICE twins of the
  EPA data (same body and generation; ``keidesign.validation.evtwins``): per pair the
  EV-minus-ICE target force at 20 / 50 / 70 mph against the model's mass, aero and drag
  parts, and the drag the pairs show (mean residual with its standard error, its speed
  growth with one offset per pair, each with a pair left out), and the pairs against the
  ICE rows of one transmission class at a time.
* ``ev_label``: the EV configurations through the specs-only chain (shipped constants:
  FTP, HWFET, label combined) with the shipped model, the model before the magnetising
  loss and the charging load (its stored constants), and the previous map and its fit
  (the hold-out figures are ``benchmarks/validation.py``'s).
* ``floor``: how low a per-family correction could take the (a) error (each family's
  mean hold-out error removed, in sample: the forbidden correction at its best), and
  the transmission classes' offsets within a family, from docs/validation.json: what the
  3 % FTP target asks of information below the family level; the same for the EVs (their
  hold-out errors computed with the shipped EV model).
* ``spec_floor`` (seconds, no model run): ``floor`` by configuration: the gasoline
  FTP / HWFET hold-out error of docs/validation.json with the mean error of the other
  configurations of a group removed, for nested spec-sheet groupings (family, + engine,
  + transmission class, + gears, + drive, + model year; also in sample and with the
  group mean known), the repeatability of the EPA tests of one configuration, with and
  without the analytically derived rows (``benchmarks/spec_floor.py``).
* ``chain``: the specs-only chain (every 3rd configuration, shipped constants) split by
  whether the generation has a published Cd: where the label bias sits.
* ``compression``: how many gasoline configurations (and families) have their engine's
  published compression ratio (``us_specs.csv``), and the engines without one, ranked by
  configuration count (make, family, displacement, turbo flag, years, rated hp, the
  us_specs.csv generation row or ``-`` where the car has none).
* ``ratio_fit`` (~5 min): the compression ratio in the ICE fit with the kei WLTC rows
  (``ice_fit_trials.ICE_FIT_DATA``): the shipped mode, the EPA published ratios alone, the
  kei rows with the EPA rows at 12.0 or at their ratios, and a fitted share of the
  fuel-air-cycle gain, each judged leave-one-family-out on the EPA rows (FTP, HWFET, per
  class and turbo) and on the kei rows (WLTC). It reads whatever ratios
  ``us_specs.csv`` holds. ``ratio_fit_more`` (~7 min): the equal-family weighting, the
  kei hold-outs refitted exactly and held out by maker. ``ratio_fit_specs`` (~6 min):
  the label from specs alone with the shipped-mode and the joint all-data constants.
* ``cylinder_friction`` (~2 min a trial): engine friction by cylinder size (issue 13,
  s21h2; ``ice_fit_trials.cylinder_volume``, the bore scaling of Sandoval & Heywood's
  friction terms): the shipped ``V_d^alpha`` against ``V_d [(1 - phi) + phi (v_ref /
  v_c)^(2/3)]`` with ``phi`` fitted in place of ``alpha`` or fixed, at 12.0 and at the
  published ratios, and in the fit with the kei rows; held out by family (EPA, by class
  and cylinder count; kei rows when fitted) with the kei WLTC check.
  ``cylinder_friction_kei`` (~5 min a trial): those fits on the kei WLTC check, MLIT's
  passenger kei lists (in-data and unseen families, transmission, turbo) and the JC08
  check and the kei trucks' WLTC check. Tried, not kept (docs/validation.md).
* ``ratio_ship`` (~15 min; ``ratio_ship_exact`` ~30 min): the joint ratio fit (EPA rows
  at their published ratio + the kei WLTC rows, ``epa_family``) against the shipped
  mode, both fitted in one run and judged by the ship rule of its docstring (task s25e,
  written before the run): EPA FTP / HWFET and kei WLTC held out, the gasoline label
  from specs held out, MLIT's unseen kei families, the kei trucks, the hybrids; prints
  the verdict (FAIL, 5 Dec 2026; FAIL again on the model of 7 Dec 2026 with
  ``at_spin_nm`` fitted in both arms, task s37b, label from specs 5.73 -> 5.91 %:
  docs/validation.md). ``ratio_ship_exact``: every hold-out refitted exactly, without
  the model-path kei checks (reported, not judged).
* ``transmission`` (~15 min): the transmission physics behind ``floor``'s class offsets
  within a family (issue 13), each refitted on every gasoline configuration and judged
  leave-one-family-out with the kei WLTC check: one layshaft efficiency for manuals and
  dual clutches, separate manual and DCT efficiencies, a manual upshift speed of its own
  (held out as a grid dimension), an open torque converter below 25 mph (speed ratio
  fitted), a higher bound on the automatic's efficiency (also with the manual and DCT
  efficiencies fitted), and a load-independent spin
  loss per family; the trial physics and fit names are ``benchmarks/
  transmission_trials.py``'s, swapped into the shipped kernel for the run. None kept
  (docs/validation.md).
* ``roadload`` (~8 min): the road-load figures of docs/validation.md (e) and "What the
  numbers say": the targets' low-speed term by make, the hold-out error against tyre and
  body features, the tyre / body / area levers and the default-Cd rules judged
  leave-one-family-out, and the specs-only chain's road-load error taken apart
  (``benchmarks/roadload_probe.py``).
* ``roadload_chain`` (~10 min): those levers through the specs-only chain to the label.
* ``roadload_label`` (~10 min): the specs-only chain's road-load bias at 50 mph on the
  gasoline label set of ``ratio_ship`` taken apart (test mass, area, held-out pair, Cd
  source, class, drive, family; the classes within families): why the joint ratio fit's
  label bias is not the chain's road load to fix (docs/validation.md).
* ``roadload_drag`` (~6 min): the road-load pair (e) fitted with the EV motors'
  coast-down drag in its model of the BEV rows (shipped since 4 Dec 2026) against
  without: the pair, the road load at 20 / 50 / 70 mph in sample and held out by family
  (all, gasoline, EV rows) and the specs-only chain's road load, label, FTP and HWFET.
* ``roadload_parasitic`` (~1 min): issue 13's candidates for the physics the road load
  from specs misses (parasitic force in F0, SAE J2452 load and speed laws, transmission
  class, rear/all-wheel drive, tyre diameter), leave-one-family-out, and the target minus
  set coefficients by drive. ``roadload_parasitic_chain`` (~15 min): the one that helps
  the hold-out, through the specs-only chain to the label; ``ratio_fit_specs_rwd``
  (~15 min): ``ratio_fit_specs`` with and without it.

* ``manual_residuals`` (~12 min; ``benchmarks/manual_residuals.py``): why the sporty
  manuals are optimistic (issue 13): the gasoline hold-out errors of
  docs/validation.json against the published rated speed (``us_engine_speeds.csv``),
  specific power, displacement, N/V, the gear rule's engine speed at 20-30 mph, test
  weight per power, model year and the manual / turbo flags; the error by rated-speed
  band and bag; and the hold-out trials of the rated speed (full-load curve, a
  valve-train friction law, the upshift speed in the engine's speed range).

* ``gasoline_residuals`` (seconds, no cycle run but one in-sample pass over the rows with
  bag results; ``benchmarks/gasoline_residuals.py``): the gasoline (a) hold-out errors
  of docs/validation.json against the spec sheet (displacement, per test mass, power per
  mass, specific power, published compression ratio, turbo, cylinders, model year,
  direct injection, start-stop, ETW, N/V, target A / B / C, road load per mass), all /
  within families / between family means; by class, model year and make; the FTP-HWFET
  error correlation; the in-sample bound of one term in each variable; and where the
  FTP error sits by bag, with the most any cold-start term could remove (task s33c,
  docs/validation.md, "The gasoline (a) errors against the spec sheet").
  ``willans_e`` (~12 min; ``benchmarks/willans_trial.py``): the Willans line's
  marginal efficiency ``e`` fitted with the ICE constants, the lead of that analysis,
  against the shipped arm (not shipped).
  ``coastdown_a`` (~10 s; ``benchmarks/coastdown_a.py``): that analysis's open lead, the
  target's A / (m g), against the EPA file's set coefficients (target minus set, the
  car's own loss on the rolls, measured per configuration): correlations, the in-sample
  and held-out line screens, the model's elasticity to A and to the own loss (task
  s34b; no term passes the screen). ``coastdown_a_trial`` (~15 min): the driveline
  reading, the own loss in gear larger by a fitted ``k_own``, refitted and held out
  against the shipped arm (not shipped).

* The EV probes of the steps before 4 Dec 2026 (``ev_motors``, ``ev_torque``,
  ``ev_shapes``, ``ev_label``, ``ev_packs``, ``ev_charging``, ``ev_levers``,
  ``ev_outliers``) run without the motor's coast-down drag in a BEV's road load from
  specs (``_before_drag``), the model their figures in docs/validation.md were made with.
* ``technology`` (~15 min per trial on 2 cores, then seconds from the cache in
  ``benchmarks/results/``; ``benchmarks/technology.py``): the engine and transmission
  descriptors of the fueleconomy.gov record (``eng_dscr`` direct injection, dual
  injection, stop-start, PZEV, mild hybrid, i-ELOOP, cylinder deactivation, guzzler,
  turbo and supercharger flags, ``trany`` kinds, premium fuel) against the gasoline
  hold-out errors: label combined from specs, FTP / HWFET from the measured road load
  (mean, MAE, per transmission class, the most MAE each could explain); then the
  direct-injection trial (EPA rows' injection in the fit, the imports' flag) against the
  shipped model on the same footing, with the kei WLTC check.

* ``jc08`` (~1 min): docs/validation.md (g), JC08: the kei JC08 check
  (``calibration.kei_jc08_check``: the kei.csv rows with a JC08 figure, the kei trucks of
  the WLTC truck check and the Minicab MiEV Truck's 120 Wh/km) with the WLTC error of
  the same vehicle, the catalogue's and the model's JC08 / WLTC ratio per vehicle, and
  the trucks' JC08 at the goods-vehicle WLTC test mass (curb + 200.8 kg) instead of
  curb + 110 kg (the goods JC08 loading was not found in a source).

* ``full_hybrid`` (seconds): why the full hybrids come out too thirsty (issue 13): per
  EPA full-hybrid row the engine-on share of moving time, engine speed, power and
  P_0 / P_e when on, electric drive and regenerated against braking energy (FTP bags
  1 + 2 as simulated, HWFET), per-bag errors and the cold-start fuel against the
  measured bags; FTP / HWFET with ``full_rule="willans"`` and ``"exact"`` (the default
  since 4 Dec 2026; asserts the 19 mild IMA rows unmoved); the 2021 Aqua's WLTC as
  imported and with each rule; the traction motor's gearing (a published reduction
  to the wheels, ``hybrid_systems.csv`` ``motor_reduction``; a P2 motor on the selected
  gear) against the motor at the engine's top-gear ratio (before 4 Dec 2026), its two
  parts apart, the 28 hybrids as a class both ways (asserts the mild rows unmoved);
  what-if (not an option): the engines' published 40 % peak efficiency.
* ``hybrid_hwfet`` (~7 min, the per-row part seconds): why the hybrids' HWFET is
  pessimistic (issue 13): per EPA hybrid row (full and mild) the HWFET / FTP errors and
  where the model's HWFET fuel goes (engine-on share, speed and load, brake efficiency
  at the operating points against the Willans peak and the published peak, the fuel
  shares of friction, transmission, slip, accessories and charge balance, electric
  drive, regeneration, tank-to-wheel efficiency with the model's and the measured
  fuel), the layout means, and three what-ifs (not options): a power split's engine
  speed free of the vehicle speed, a power split's 30 % electrical path, the Willans
  ``e`` scaled to the published peak efficiency; shipped and leave-one-family-out.
* ``isg_pairs`` (~1 min): the kei mild hybrids' ISG gain against catalogue twins
  (``keidesign/data/vehicles/isg_pairs.csv``, ``keidesign.validation.isgpairs``): per
  pair the catalogue gain against the model's (twin without and with idle stop), the
  model's gain in parts (idle stop, the HEV's engine-off rule beyond it, regeneration)
  and the regenerated energy per WLTC; then the mild-layout engine rules tried
  (``mild_engine_trial.MILD_ENGINE_RULES``) and the conventional car's idle stop given the
  HEV's whole standing saving, each with the pair gains, the kei WLTC check and the 19
  EPA crankshaft-motor (Honda IMA) hybrid configurations.
* ``open_body`` (~20 s): the open body's extra mass (``keidesign.mass.open_body``): the
  published open / closed twins of ``keidesign/data/mass/open_body_pairs.csv``, the
  candidate terms (wheelbase, constant, closed mass, constant + wheelbase) fitted
  make-weighted and judged leave-one-make-out on the open cars' curb mass; the S660 spec
  of ``tests/data/newuser/`` imported and evaluated with ``roof`` fixed and open (the
  term's effect on the new-user figure; the S660 is not in the fit).
* ``open_body_twins`` (~3 min): the open two-seaters' curb mass against the open-body
  term (``benchmarks/open_body_twins.py``): the designed-open twins of
  ``keidesign/data/mass/open_body_twins.csv`` (Boxster / Cayman, Z3 / Z4 roadster /
  coupe) beside the closed-first twins, the law ``a L_wb`` fitted on each set and on
  both, held out by pair and by make; each law's ``a_open`` through the 97-car mass
  calibration held out by family (the MX-5 NC / ND) and MLIT's 126 kei configurations
  (the ``mlit_kei`` curb figure, the kei roadsters against their mass range and its
  midpoint), with the ``a_open`` the kei roadsters would ask for as a what-if; then the
  size law held inside its fitted volumes (the kei roadsters are the only open cars below
  them) by the same criteria, with the roadsters' WLTC at each curb: the twin laws tried,
  not kept; the held size law shipped on 5 Dec 2026 (the probe prints the extrapolated
  law before it against the shipped one).

* ``open_body_cd`` (~1 s): the Cd the import gives an open two-seater without a published Cd
  (``keidesign.specs.build.open_body_cd``): the open two-seaters of
  ``keidesign/data/vehicles/open_body_cd.csv`` (quoted Cd, top closed) with their median
  and its leave-one-family-out error against the closed-roof defaults it replaces (kei
  hatch 0.32, the median of ``us_specs.csv``); the closed twins' open / closed ratio;
  soft against retractable hard tops.

* ``one_box_cd`` (~1 s): the Cd of a one-box (cab-over) or van body from published values
  (issue 13): the van generations of ``keidesign/data/vehicles/one_box_cd.csv`` (quoted
  Cd, one row per generation) by front (cab-over, short nose, car-derived) and engine
  position, their median held out by family against the import's defaults for such a
  body (kei tall-boy 0.38, the median of ``us_specs.csv``, the truck style's one-box
  0.50); the ship rule on the cab-over front class (:func:`one_box_class_rule`: at least
  3 families, the class median held out by family against the current 0.38; the
  unseen_parts 5-car clause beside it; the engine-under-the-floor rows the import's
  ``vehicle.layout = "underfloor"`` would give the value to), and the Cd the kei cab-over
  wagons' road-load gap would need against the published range (docs/validation.md,
  "A one-box body's Cd").
* ``offroad_cd`` (~10 s): the Cd the import gives a ladder-frame passenger body with the
  engine ahead of the cabin without a published Cd (issue 13;
  ``keidesign.specs.build.offroad_cd``): the ladder-frame SUV generations of
  ``keidesign/data/vehicles/offroad_cd.csv`` (quoted Cd, one row per generation), their
  median and spread, by length, held out by family against the import's defaults they
  replace (kei tall-boy 0.38, kei hatch 0.32, the median of ``us_specs.csv``); the
  Jimny JB64 rows of the new-user pass and of ``mlit_kei`` before (tall-boy 0.38) ->
  after, and at the short bodies' median as a what-if (not shipped; docs/validation.md,
  "A ladder-frame body's Cd").
* ``cab_over`` (~20 s, ``benchmarks/cab_over.py``): the cab-over kei wagons of MLIT's
  lists (Every Wagon and twins 4AT / CVT, Atrai Wagon 4AT) taken apart at their published
  curb mass: one import input changed at a time (the one-box Cd 0.50, an LT tyre's rolling
  resistance, a hypoid rear axle's loss, the high roof, the tyre sizes, a heavier grade,
  shorter gearing, the selectable 4WD in its 2WD mode) and the kei trucks' WLTC check
  under the same changes. Nothing shipped (docs/validation.md, "The cab-over wagons taken
  apart").
* ``unseen_parts`` (~5 min, ``benchmarks/unseen_parts.py``): the MLIT unseen-family error
  of ``mlit_kei`` taken apart per configuration into the curb mass, the list's own
  one-attribute twins (4-speed automatic against CVT / manual, 4WD against 2WD, turbo
  against NA, each step the model's miss on it) and the body class's base, with the bias
  budget of the unseen and in-data families, the road-load elasticities of the
  non-mainstream bases (the Cd x A or crr each would need), the cab-over wagons at the
  trucks' Cd 0.50 against the ship rule, and the 4WD driveline efficiency refitted on the
  in-data 2WD / 4WD pairs, held out by family. Nothing shipped (docs/validation.md, "The
  unseen-family error taken apart").
* ``kei_wltc_phases`` (~1 min, ``benchmarks/kei_wltc_phases.py``): the 13 kei ICE rows
  of the kei WLTC check at the rolling coefficient 0.0079 and 0.00765, each split by
  WLTC phase (model figure, fuel share, the published phase figures where kei.csv has
  them) and, for the non-hybrid rows, by driving mode (standing, accelerating,
  cruising, decelerating), with the engine speed and BMEP of each phase's traction
  intervals against NREL ADVISOR's Geo Metro 1.0 L three-cylinder map. Analysis only,
  nothing shipped (docs/validation.md, "The kei WLTC optimism by phase").
* ``kei_4at_phases`` (~2.5 min, ``benchmarks/kei_4at_phases.py``): the kei automatics
  of ``kei_automatics.csv`` against their twins per WLTC phase (engine speed, gear
  shares, drivetrain efficiency with the converter's speed ratio, the model's fuel
  step), what the published step asks for as an input drag torque or a drivetrain
  efficiency against Kluger & Long's 4AT figure, two what-ifs (the open converter's
  stall speed, 3000 and 3500 rpm; the Suzuki 4AT's published intermediate ratios), the
  trial of the deceleration fuel cut lost through an open converter, each also on
  MLIT's 4AT rows, and the kei roadsters with their published tyres. Nothing shipped
  (docs/validation.md, "The kei 4ATs by WLTC phase").
* ``kei_at_gearing`` (~6 min, ``benchmarks/kei_at_gearing.py``): the published gear
  ratios of small 3-4 speed automatics (``at_gearing.csv``: the Suzuki kei 4AT, the
  Sambar 3AT and five non-kei 4ATs) against the model's geometric spacing and default
  4AT spread, and their median rule (positions, spread) and a kei top-gear what-if run
  on MLIT's kei automatics, the unseen families, the kei WLTC check and
  ``kei_automatics.csv``, against a ship rule written first; ``kei_at_gearing_fit``
  (~3 min): the EPA side, the ICE constants refitted with each rule and held out by
  family. Shipped: the 4AT default spread 3.73 -> 4.03; the published step tried, not
  kept (docs/validation.md, "Kei automatics' published gear ratios").

* ``ev_mass_factor`` (~2 min): the EVs of the 0-60 mph check (docs/validation.md, "0-60
  mph against published tests") with Wong's engine mass factor against the traction-motor
  rotor's, the rotor inertia halved and doubled, the launch's traction limit and the
  gasoline rows' bit-identity (``benchmarks/ev_accel_probe.py``).

* ``ev_launch`` (~3 min): the EVs of the 0-60 mph check taken apart (phases 0-30 and
  30-60 mph, launch force against the traction limit, base speed) and task s40c's
  candidates: T1 the import's motor from the EPA test car's ``ev_motors.csv`` join
  (shipped 7 Dec 2026), T2 the traction limit with Gillespie's longitudinal load
  transfer (not shipped), against the model before (``benchmarks/ev_launch_trial.py``;
  docs/validation.md, "0-60 mph: the EVs' launch").

* ``transmission_mass`` (~2.5 min): curb mass by transmission class
  (``benchmarks/transmission_mass.py``): the transmission's mass step on the twins of
  the EPA test-car data (same year, model, engine and drive behind a manual and another
  gearbox; ETW difference, family means) against the build-up's step, the trim class of
  the published curb each specs-only configuration is set against, and the specs-only
  curb error per class, per reference-trim class and per family (docs/mass_cost.md,
  "Curb mass by transmission class").

* ``converter_lockup`` (~5 min): the four-speed automatic's lock-up rule on every EPA
  3-4 speed automatic (top gear only; ``benchmarks/kei_automatic_trials.py``:
  ``trial_lockup``, ``constant_speed_ratio``; the capacity law is the shipped
  ``powertrains.converter_speed_ratio``), with a constant open-converter speed ratio and
  with the capacity law's slip (stall speed fitted), against the converter locked in
  every gear: refitted, held out by family, FTP / HWFET per group (all gasoline,
  automatics, 4-speed, 5+-speed) and the kei WLTC check. Not kept for the EPA rows
  (docs/validation.md); shipped as a design choice (``powertrain.converter_lockup``).
* ``at_lockup`` (~5-10 min, ``benchmarks/at_lockup.py``): stepped automatics' converter
  lock-up from the published lock-up ranges of ``keidesign/data/vehicles/at_lockup.csv``
  (rules (A) locked from the median engaged gear, 3rd, and (B) the top gear only, on
  every 5+-speed EPA automatic; 3-4 speed: top), refitted and held out by family against
  the converter locked in every gear (docs/validation.md, "Stepped automatics' lock-up
  range from published data").
* ``at_lockup_absent`` (~5 min, ``at_lockup.absent_check``): rule (A)'s criterion (3),
  ``absent_families``' gasoline rows with the shipped constants, the locked converter's
  and rule (A)'s grid fits (6 Dec 2026: 8.0 / 8.0 / 8.1 %; not shipped).
* ``at_lockup_top`` (~10 min, ``at_lockup.top_trial``), ``at_lockup_top_checks`` (~10
  min, ``at_lockup.top_checks``), ``at_lockup_top_label`` (~20 min, ``at_lockup.
  top_label``): the s31i rule, a 3-4 speed automatic locked in its top gear only (5+
  speeds in every gear), refitted and held out by family against the converter locked
  in every gear; its checks on ``absent_families``' gasoline rows, the automatics of
  ``kei_automatics.csv`` and ``mlit_kei``'s automatics, and the label from specs on the
  probes' footing (docs/validation.md, "A 3-4 speed automatic's converter locked in its
  top gear only": 6 Dec 2026, not shipped).
* ``at_spin`` (~10 min), ``at_spin_checks`` (~10 min), ``at_spin_label`` (~20 min): the
  same three with the s32c rule (``at_lockup._trials(spin=True)``): the s31i top-gear
  rule and an input spin torque on every 3-4 speed automatic, fitted with the ICE
  constants, held out by family; the checks add the kei WLTC check (docs/validation.md,
  "A 3-4 speed automatic's pump and drag torque": 6 Dec 2026, 1.86 N m fitted; the kei
  automatics 27.65 -> 22.53 %, but ``absent_families`` 7.96 -> 8.22 %: not shipped).
* ``at_spin_viscous`` (~10 min), ``at_spin_viscous_checks`` (~15 min),
  ``at_spin_viscous_label`` (~20 min): the same three for task s45c's trial
  (``at_lockup._trials(law="viscous")``): the shipped model's spin torque made
  proportional to engine speed (``at_spin_law = "viscous"``, the value at 2000 rpm
  fitted with the ICE constants) against the shipped constant law, each refitted; the
  checks add the whole ``mlit_kei`` run with each arm's all-car fit and print the rule's
  verdicts (docs/validation.md, "The 3-4 speed automatics' spin loss growing with engine
  speed").
* ``at_tc_multiplication`` (~10 min), ``at_tc_multiplication_checks`` (~15 min),
  ``at_tc_multiplication_label`` (~20 min): the same three for task s45f's trial
  (``at_lockup._trials(law="multiplication")``): the shipped model with the torque
  converter's multiplication range on (``[ice] tc_stall_tr`` 2.0,
  ``powertrains.converter_torque_ratio``) against the shipped model, each refitted
  (docs/validation.md, "A torque converter through its multiplication range").
* ``jimny_sierra`` (~1 min, ``benchmarks/jimny_sierra.py``): the Jimny JB64 (0.66 L
  turbo) and Jimny Sierra JB74 (1.5 L) 4AT / 5MT twins by WLTC phase against their
  published phase figures (``keidesign/data/vehicles/jimny_sierra.csv``; task s45c).
* ``kei_goods`` (~30 s): kei vans and trucks as goods vehicles (``body.use = "goods"``,
  ``benchmarks/kei_automatic.py: goods_vehicles``): the WLTC goods test mass against the
  passenger car's on MLIT's goods rows of ``kei_automatics.csv``, the N-VAN e: of the kei
  check, the new-user N-VAN turbo, the what-if of the cab-over vans at the one-box Cd
  0.50 and the N-VAN e: import as a goods vehicle (mass, crash, cost; not shipped)
  (docs/validation.md, "Kei vans are goods vehicles").
* ``kei_automatic_idle`` (~2 min, ``benchmarks/kei_automatic.py: idle_trial``): the kei
  automatics' second round: the standing fuel the shipped model gives an automatic, the
  converter's load at idle in Drive (``kei_automatic_trials.converter_idle_torque``), a 3-4
  speed automatic's later upshift (``kei_automatic_trials.shift_speed``), the data's part of
  each step (the automatic's mass and idle stop on its twin) and the Carry 3AT (``at3``)
  in the table and through the kei-truck design.
* ``kei_automatic_idle_fit`` (~20 min, ``idle_fit_trial``): the same constants with the
  ICE constants refitted on the EPA gasoline rows, held out by family (all gasoline,
  automatics, 4-speed, 5+-speed), the kei WLTC check and the kei automatics with each
  all-car fit. Not kept (docs/validation.md, "Kei automatics, second round").

* ``label_parts`` (~12 min): the gasoline label combined from specs alone, held out
  (probe footing), taken apart: the EPA test car's measured ETW and coast-down swapped
  into the specs-only design one at a time, the (a) kernel on the measured dynamometer
  settings, the label formula on the measured FTP / HWFET and on the label file's own
  unadjusted values; MAE (bias) per class with the derived 5-cycle set fueleconomy.gov
  uses (2017 from MY2011 on; the comparison since 4 Dec 2026) and the window sticker's
  (2008 before MY2017; before), the bias in parts, and the error by model year,
  displacement, power-to-weight, aspiration, transmission and gears; the test mass,
  curb and road load from specs by power-to-weight. ``roadload_power`` (~5 min): tried,
  not kept: a rolling term growing with the rated power per test mass (a proxy for
  grip-oriented tyres), judged as (e) and through the specs-only chain to the label.
  ``roadload_tyre`` (~10 min): tried, not kept: the rolling resistance from the
  published tyre size (TU Munich's width-radius relation,
  ``benchmarks/roadload_probe.py: tyre_rrc``), as published and with its strength
  fitted, judged as (e) (all, >= 85 W/kg, EV rows, by family), on the kei WLTC check and
  through the specs-only chain to the label.
* ``label_split`` (~12 min on idle cores, then seconds from its cache
  ``benchmarks/results/label_split.json``): ``label_parts``' chain per configuration,
  the label error from specs split into test mass, road load, the import's powertrain
  inputs, the (a) kernel and the label formula (bias of each part and the MAE it
  costs), by transmission and gear count, model year, drive, power per ETW and family.
* ``twin_ratio`` (~7 min; ``benchmarks/twin_ratio.py``): the automatic (CVT, DCT) /
  manual twin ratio, the transmission isolated from body and engine (issue 13): on the
  EPA test-car twins (same year, model, engine, drive) the measured FTP / HWFET /
  combined ratio against the model's at the measured settings (shipped, held out by
  family, and with the other twin at the manual's ETW and coast-down) and from specs
  alone, by class, gear count, model year and make; the fueleconomy.gov label twins'
  published ratios; the ``absent_families`` twins from specs. Nothing fitted.
* ``engine_maps`` (a few seconds): published small-engine fuel maps
  (``keidesign/data/energy/engine_maps/``, NREL ADVISOR data) against the shipped
  Willans line for the same displacement: efficiency against BMEP at 1500 / 2000 / 2500
  rpm, each map's own Willans and quadratic fits, the full-load departure, and the fuel
  at road-load points (``benchmarks/engine_maps.py``); nothing fitted or shipped.
* ``ev_torque_size`` (~6 min): the EV FTP error held out by family (issue 13) correlated
  per configuration and per family with the motor's torque and power per test mass, its
  ratio and per-unit speed on the UDDS, the regenerated share, the accessory share, the
  pack (ev_batteries.csv) and its UDDS C-rate, the charger, mass and model year; then the
  loss map's magnitude from the rated torque, ``(T_r / T_ref)^(3/4)``, instead of the rated
  power (``benchmarks/ev_torque_size_trial.py``; rule in its module) judged leave-one-
  family-out with the EV range, the label from specs, the kei EVs, the hybrids, the
  Sakura-class sizes and the absent Spark EV at its published reduction; tried, not kept.
* ``ev_charger`` (~2 min): the EPA EV rows of the families with a published measured
  on-board charging efficiency (five: e-Golf, Soul 64 kWh, Kona, i3 120 Ah, Model 3 Long
  Range; ``benchmarks/ev_charger_trial.py``, sources in its module) given that figure
  instead of the assumed 0.90, judged leave-one-family-out by the rule written first in
  docs/validation.md, and the model's whole-car charging ratio against the 2021 Model Y's
  EPA certification figures; tried, not kept (issue 13).
* ``ev_standing`` (~12 min): the two worst EV rows' standing load from published
  figures (issue 13, s27g; ``benchmarks/ev_standing_trial.py``, sources in its module):
  (A) the Bluecar's lithium-metal-polymer pack at its measured parked draw scaled to the
  J1634 cell, while driving, charging and over the test's key-off soaks, (B) the CODA's
  recharge ratio from its EPA label range and published usable energy; held out by family
  by the rule written first in docs/validation.md, then the kei EV WLTC check and the
  label from specs (all-EV fit and lofo) for (A).
* ``ev_pack`` (~9 min): the traction pack's internal resistance from its published
  energy, ``R = tau V^2 / E`` (issue 13, s32f; ``benchmarks/ev_pack_trial.py``, the form
  and ``tau`` in its module) on the 26 EPA EV configurations with an ``ev_batteries.csv``
  pack and on the designs, held out by family by the rule written first in
  docs/validation.md (``tau`` x 0.5 and x 2 reported), and the SAE J1634 apportioning
  side check (the pack's internal loss spread over the multi-cycle test by terminal
  energy); tried, not kept then; shipped on 7 Dec 2026 (task s42b, the absent BEVs'
  rule), so the probe's "shipped" baseline is now the pack law.
* ``ev_ftp`` (~8 min): the EV FTP residuals held out by family (per family, and the
  Pearson r of the FTP, HWFET and FTP - HWFET errors with the candidate variables) and
  two trials judged by the rule written first in ``benchmarks/ev_ftp_trial.py`` (issue
  13, s33b): T1 the motor rotor's reflected inertia in the cycles' effective mass, T2 the
  motor's open-circuit spin loss counted once (in the targets, not again in the loss
  map); tried, not kept.
* ``ev_losses`` (~8 min): where the EVs' energy goes on the measured road load (issue
  13; ``benchmarks/ev_losses.py``): the basis of the EPA test-car EV results (AC, wall,
  against fueleconomy.gov's unadjusted values), the model's wall energy term by term
  per configuration and cycle with the constants held out by family, the model-free
  HWFET wall-to-wheel efficiency against its component bound, the worst rows' gap as a
  constant power, force or share, and the charging efficiency held at the published
  level-2 range's ends and fitted (tried, not kept).
* ``cvt_cruise`` (~15 min; ``benchmarks/cvt_cruise.py``, issue 13): the CVT / manual
  twins' HWFET split as kinematics: the CVTs' engine speed at 50 / 60 mph and on the
  HWFET's cruise against the top-ratio floor (N/V), their manuals' FTP upshift speeds
  against the makers' recommended ones (40 CFR 86.128-79), then the CVT operating line
  fitted and the manual shifted by those speeds (every interval; accelerations only;
  x 0.85 / x 1.15; the scale held out per family) refitted and held out by family, with
  MLIT's kei manuals under the shipped and accelerations-only fits. The
  accelerations-only schedule x 0.85, scoped to the EPA cycles, shipped on 5 Dec 2026
  (``powertrains.scheduled_gear_index``): since then the "shipped" rows are that model
  and the trials run on top of it (the trial key ``manual_schedule_trial_mph``).
  ``cvt_cruise_exact`` (~12 min): the accelerations-only trial with the exact hold-out.
  ``cvt_cruise_scaled_exact`` (~25 min): the schedule's scale (x 0.85 / x 1.0) chosen
  inside each held-out family's fit, with the exact hold-out, the schedule on the
  driver-shifted manuals only (``mt5``, ``mt6``); the kei WLTC check and MLIT's kei
  manuals with the schedule on every cycle and scoped to the EPA cycles.
  ``cvt_cruise_scope`` (~1 min): the manual's gears on the WLTC and JC08, the shipped
  rule and the schedule against UN GTR No. 15 Annex 2's initial gear rule.
* ``plausibility`` (~2-3 min; ``benchmarks/plausibility.py``, issues 13/14): the
  reference designs and their variants at the edges of what ``keidesign check`` accepts
  against physical bounds written before the first run (cycle ratios, engine speed
  within 1.1 x rated, top speed below the power-limited speed, monotonic responses,
  signs, no NaN); prints every violation (docs/validation.md, "Plausibility at the edges
  of the design space").
* ``later_years`` (~1-2 min; ``benchmarks/later_years.py``, task s42e): a model-year
  hold-out stand-in. The MY2024-2026 EPA files were not found where the project can take
  data from, so the newest model years of the shipped data (MY2023, and MY2019-2023) split
  into new families (no configuration of an earlier year) and new years of seen families,
  by class: (a) FTP / HWFET shipped and held out by family (``docs/validation.json``), the
  label from the test car, the label, test mass and road load from specs (shipped), the
  road-load model at 50 mph in-sample and held out; beside the in-data figures. These rows
  were in the fit: not a refit hold-out.
* ``ev_misses`` (~1 min; ``benchmarks/ev_misses.py``, task s43c): the EVs the model
  misses taken apart. The road load from specs per row split into the rolling coefficient
  the target leaves at 20 mph and the drag area of its 50-70 mph growth (the model's own
  terms taken off), EV rows beside their ICE / hybrid twins and the class medians; the
  held-out 50 mph error against model-side features (EV and gasoline rows apart); three
  diagnostic levers held out by family (one EV rolling factor, no motor drag, the Kona
  Electric at its twin's N/V). The four FTP outlier families' (a) gap held out by family
  as a power, a force and a share on the UDDS and the HWFET. Nothing fitted or shipped.

Prints its findings; nothing is written, and only ``hybrid_compression`` (the
non-hybrid rows unchanged), ``full_hybrid`` (the mild hybrid rows unchanged) and
``kei_goods`` (the passenger rows unchanged) assert.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack, nullcontext
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any
from unittest import mock

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import absent_bevs  # noqa: E402  (benchmarks/absent_bevs.py)
import absent_families  # noqa: E402  (benchmarks/absent_families.py)
import absent_mass  # noqa: E402  (benchmarks/absent_mass.py)
import at_lockup  # noqa: E402  (benchmarks/at_lockup.py)
import cab_over  # noqa: E402  (benchmarks/cab_over.py)
import cvt_cruise  # noqa: E402  (benchmarks/cvt_cruise.py)
import cvt_losses  # noqa: E402  (benchmarks/cvt_losses.py)
import engine_maps  # noqa: E402  (benchmarks/engine_maps.py)
import ev_accel_probe  # noqa: E402  (benchmarks/ev_accel_probe.py)
import ev_charger_trial  # noqa: E402  (benchmarks/ev_charger_trial.py)
import ev_cmag_trial  # noqa: E402  (benchmarks/ev_cmag_trial.py)
import ev_ftp_trial  # noqa: E402  (benchmarks/ev_ftp_trial.py)
import ev_induction_trial  # noqa: E402  (benchmarks/ev_induction_trial.py)
import ev_launch_trial  # noqa: E402  (benchmarks/ev_launch_trial.py)
import ev_light_load_trial  # noqa: E402  (benchmarks/ev_light_load_trial.py)
import ev_losses  # noqa: E402  (benchmarks/ev_losses.py)
import ev_misses  # noqa: E402  (benchmarks/ev_misses.py)
import ev_pack_trial  # noqa: E402  (benchmarks/ev_pack_trial.py)
import ev_regen_trial  # noqa: E402  (benchmarks/ev_regen_trial.py)
import ev_standing_trial  # noqa: E402  (benchmarks/ev_standing_trial.py)
import ev_torque_size_trial  # noqa: E402  (benchmarks/ev_torque_size_trial.py)
import gasoline_label_parts  # noqa: E402  (benchmarks/gasoline_label_parts.py)
import grip_ratio_trial  # noqa: E402  (benchmarks/grip_ratio_trial.py)
import grip_tyre_trial  # noqa: E402  (benchmarks/grip_tyre_trial.py)
import hybrid_trials as hyt  # noqa: E402  (benchmarks/hybrid_trials.py)
import ice_fit_trials as ift  # noqa: E402  (benchmarks/ice_fit_trials.py)
import jimny_sierra  # noqa: E402  (benchmarks/jimny_sierra.py)
import kei_4at_phases  # noqa: E402  (benchmarks/kei_4at_phases.py)
import kei_at_gearing  # noqa: E402  (benchmarks/kei_at_gearing.py)
import kei_automatic  # noqa: E402  (benchmarks/kei_automatic.py)
import kei_automatic_trials as kat  # noqa: E402  (benchmarks/kei_automatic_trials.py)
import kei_import_gap  # noqa: E402  (benchmarks/kei_import_gap.py)
import kei_mass  # noqa: E402  (benchmarks/kei_mass.py)
import kei_paths  # noqa: E402  (benchmarks/kei_paths.py)
import kei_wltc_phases  # noqa: E402  (benchmarks/kei_wltc_phases.py)
import later_years  # noqa: E402  (benchmarks/later_years.py)
import mass_union  # noqa: E402  (benchmarks/mass_union.py)
import mild_engine_trial  # noqa: E402  (benchmarks/mild_engine_trial.py)
import mlit_kei  # noqa: E402  (benchmarks/mlit_kei.py)
import newuser  # noqa: E402  (benchmarks/newuser.py)
import newuser_kei  # noqa: E402  (benchmarks/newuser_kei.py)
import newuser_kei3  # noqa: E402  (benchmarks/newuser_kei3.py)
import numpy as np  # noqa: E402
import open_body_twins  # noqa: E402  (benchmarks/open_body_twins.py)
import plausibility  # noqa: E402  (benchmarks/plausibility.py)
import power_parts  # noqa: E402  (benchmarks/power_parts.py)
import power_parts_held  # noqa: E402  (benchmarks/power_parts_held.py)
import probe_cli  # noqa: E402  (benchmarks/probe_cli.py)
import ratio_reference_trial  # noqa: E402  (benchmarks/ratio_reference_trial.py)
import result_cache  # noqa: E402  (benchmarks/result_cache.py)
import roadload_probe as rp  # noqa: E402  (benchmarks/roadload_probe.py)
import spec_floor  # noqa: E402  (benchmarks/spec_floor.py)
import testcar_id  # noqa: E402  (benchmarks/testcar_id.py)
import throttle_trial  # noqa: E402  (benchmarks/throttle_trial.py)
import transmission_trials as tt  # noqa: E402  (benchmarks/transmission_trials.py)
import twin_ratio  # noqa: E402  (benchmarks/twin_ratio.py)
import unseen_parts  # noqa: E402  (benchmarks/unseen_parts.py)
from scipy.optimize import least_squares  # noqa: E402

from geometry import ad as D  # noqa: E402
from keidesign.energy import calibration as cal  # noqa: E402
from keidesign.energy import powertrains as pt  # noqa: E402
from keidesign.energy import testcars as tc  # noqa: E402
from keidesign.energy.cycles import segments  # noqa: E402
from keidesign.energy.powertrains import US_COMPRESSION_RATIO_DEFAULT  # noqa: E402
from keidesign.specs.sources import us_specs_for  # noqa: E402
from keidesign.validation import fueleconomy as fe  # noqa: E402
from keidesign.validation import specsonly as so  # noqa: E402


def _pct(x: float) -> str:
    return f"{100 * x:+.1f} %"


def flags() -> None:
    cars = [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]
    c, fit, _ = cal.stored_fits()
    p, m = cal.predict_ice(cars, c, fit), fe._measured(cars)
    labels = [tc.label_for(car) for car in cars]
    known = np.array([lab is not None for lab in labels])
    stop = np.array([bool(lab and lab.start_stop) for lab in labels])
    turbo = np.array([bool(lab and lab.turbo) for lab in labels])
    print(f"{len(cars)} gasoline configurations, {known.sum()} joined to a label row")
    for t in ("ftp", "hwfet"):
        e = p[t] / m[t] - 1.0
        for name, mask in (("start-stop", stop), ("no start-stop", known & ~stop),
                           ("turbo", turbo), ("NA", known & ~turbo)):
            print(f"  {t} {name:14s} n={mask.sum():3d} bias {_pct(e[mask].mean())}, "
                  f"MAE {100 * np.abs(e[mask]).mean():.1f} %")
    e = p["ftp"] / m["ftp"] - 1.0
    sp = np.array([car.hp / car.vd for car in cars])
    nv = np.array([car.nv for car in cars])
    print(f"  FTP error vs hp/L (NA): r = {np.corrcoef(sp[~turbo], e[~turbo])[0, 1]:.2f}; "
          f"vs N/V (NA): r = {np.corrcoef(nv[~turbo], e[~turbo])[0, 1]:.2f}")
    bagged = [(car, t) for car, t, k in zip(cars, turbo, known, strict=True)
              if car.bags and k]
    d1 = segments(cal.SEG_EPA).distance[0] / 1609.344
    lhv = c["fuel"]["lhv_kwh_per_galUS"]
    for name, want in (("turbo", True), ("NA", False)):
        sub = [car for car, t in bagged if t == want]
        extra = np.array([lhv * d1 * (1 / car.bags[0] - 1 / car.bags[2]) for car in sub])
        vd = np.array([car.vd for car in sub])
        print(f"  cold start (bag 1 - bag 3 fuel) per litre, {name}: "
              f"{extra @ vd / (vd @ vd):.3f} kWh/L (n={len(sub)})")


def hybrids() -> None:
    c, fit, bev = cal.stored_fits()
    cars = [car for car in tc.test_cars() if car.cls == "hybrid"]
    pairs = [(car, h) for car in cars if (h := tc.hybrid_system(car)) and h.layout == "full"]
    hc, hs = [p[0] for p in pairs], [p[1] for p in pairs]
    print(f"{len(hc)} full-hybrid configurations")
    for k in (1.0, 0.8, 0.6, 0.4):
        for e_w in (0.40, 0.42, 0.44):
            p = hyt.predict_hev(hc, {**c, "ice": {**c["ice"], "e": e_w}},
                                {**fit, "pme0_bar": fit["pme0_bar"] * k}, bev, hs,
                                compression="reference")
            ef = p["ftp"] / np.array([car.tests["ftp"] for car in hc]) - 1
            eh = p["hwfet"] / np.array([car.tests["hwfet"] for car in hc]) - 1
            print(f"  pme0 x {k:.1f}, e {e_w:.2f}: FTP MAE {100 * np.abs(ef).mean():.1f} % "
                  f"({_pct(ef.mean())}), HWFET MAE {100 * np.abs(eh).mean():.1f} % "
                  f"({_pct(eh.mean())})")


def _hybrid_line(name: str, comp: fe.Comparison, mask: np.ndarray) -> str:
    """FTP / HWFET MAE (bias) of ``comp`` over ``mask`` and the label combined of its
    label-joined rows."""
    e = {t: comp.predicted[t][mask] / comp.measured[t][mask] - 1.0 for t in fe.TESTS}
    sub = fe.Comparison([car for car, m in zip(comp.cars, mask, strict=True) if m],
                        {t: v[mask] for t, v in comp.measured.items()},
                        {t: v[mask] for t, v in comp.predicted.items()}, comp.how)
    lab = fe.compare_labels(sub)
    el = lab.predicted["comb"] / lab.measured["comb"] - 1.0
    return (f"    {name:28s} n={mask.sum():2d}: FTP {np.mean(np.abs(e['ftp'])):.1%} "
            f"({np.mean(e['ftp']):+.1%}), HWFET {np.mean(np.abs(e['hwfet'])):.1%} "
            f"({np.mean(e['hwfet']):+.1%}), label comb {np.mean(np.abs(el)):.1%} "
            f"({np.mean(el):+.1%}, n={len(el)})")


def _non_hybrids_as_stored(cars: list, c: dict, fit: dict, bev: dict) -> int:
    """Assert the shipped FTP / HWFET of every non-hybrid EPA row equal, bit for bit, the
    ``shipped`` rows of docs/validation.json; returns their number."""
    import json
    from pathlib import Path

    rows = json.loads((Path(__file__).resolve().parents[1] / "docs" / "validation.json")
                      .read_text(encoding="utf-8"))
    stored = sorted((r["car"], r["ftp_model"], r["hwfet_model"]) for r in rows["cars"]
                    if r["constants"] == "shipped" and r["class"] != "hybrid")
    ice = [car for car in cars if car.cls in fe.ICE_CLASSES]
    ev = [car for car in cars if car.cls == "ev"]
    now = []
    for group, p in ((ice, cal.predict_ice(ice, c, fit)), (ev, cal.predict_bev(ev, c, bev))):
        now += [(car.key, float(f), float(h))
                for car, f, h in zip(group, p["ftp"], p["hwfet"], strict=True)]
    assert sorted(now) == stored, "a non-hybrid EPA row moved"
    return len(now)


def _over_expanded(r_c: float, r_e: float, q: float, g: float = pt.FUEL_AIR_GAMMA) -> float:
    """Efficiency of the ideal over-expanded (Atkinson) cycle (Heywood 1988, ch. 5): ideal
    gas, isentropic compression over ``r_c``, heat ``q`` (in units of c_v T_1) added at
    constant volume, isentropic expansion over ``r_e`` >= ``r_c``, heat rejected at
    constant volume down to the intake pressure, then at constant pressure back to the
    intake state (T_5 = T_1 r_e / r_c)."""
    t3 = r_c ** (g - 1.0) + q
    t4 = t3 * r_e ** (1.0 - g)
    t5 = r_e / r_c
    return 1.0 - ((t4 - t5) + g * (t5 - 1.0)) / q


def over_expanded() -> None:
    """How much of the Otto cycle's gain at the expansion ratio an Atkinson engine keeps:
    the ideal over-expanded cycle at effective compression ratios 8-11 against the Otto
    cycle at the expansion ratio 13 and 13.5 (gamma 1.3, heat 6-12 c_v T_1: a
    stoichiometric charge diluted by residuals and EGR), and against the reference 12."""
    g = pt.FUEL_AIR_GAMMA
    otto = {r: 1.0 - r ** (1.0 - g) for r in (12.0, 13.0, 13.5)}
    for r_e in (13.0, 13.5):
        for r_c in (8.0, 9.0, 10.0, 11.0):
            etas = [_over_expanded(r_c, r_e, q) for q in (6.0, 9.0, 12.0)]
            print(f"  r_e {r_e:g}, r_c {r_c:g}: over-expanded / Otto(r_e) "
                  + " / ".join(f"{e / otto[r_e]:.4f}" for e in etas)
                  + " (q 6 / 9 / 12); / Otto(12) "
                  + " / ".join(f"{e / otto[12.0]:.4f}" for e in etas)
                  + f"; the model's f(r_e) = {pt.compression_efficiency(r_e, False):.4f}")


def _hybrid_rows(cars: list) -> tuple[list, list, dict]:
    """The EPA hybrid rows with a ``hybrid_systems.csv`` system, their systems and the
    layout masks of :func:`_hybrid_line`."""
    hyb = [car for car in cars if car.cls == "hybrid" and tc.hybrid_system(car)]
    hs = [tc.hybrid_system(car) for car in hyb]
    masks = {"all": np.ones(len(hyb), bool),
             "full (power split, P2, two-motor)": np.array([h.layout == "full" for h in hs]),
             "mild (Honda IMA)": np.array([h.layout == "mild" for h in hs])}
    return hyb, hs, masks


def _hybrid_lofo_fits(cars: list, hyb: list) -> tuple[dict, dict]:
    """The fixed constants and the refits of ``fe.hybrid_lofo``: the ICE grid refitted
    without each hybrid family (``fe.ice_lofo(only=...)``, as ``benchmarks/validation.py``)
    and the EV fits held out (several minutes)."""
    ice = [car for car in cars if car.cls in fe.ICE_CLASSES]
    ev = [car for car in cars if car.cls == "ev"]
    cf = cal.fixed_constants()
    grid = fe.ice_grid(ice, cf)
    fams = sorted({car.family for car in hyb} & {car.family for car in ice})
    res = {"ice_fit": fe.best_fit(grid), "ice_lofo": fe.ice_lofo(ice, cf, grid, only=fams)}
    res["ev_lofo"], res["bev_fit"] = fe.bev_lofo(ev, cf)
    return cf, res


def hybrid_compression() -> None:
    """The 28 EPA hybrids with their engines at the reference ratio (before 4 Dec 2026)
    and at their published ratio (``hybrid_systems.csv``), shipped and leave-one-family-
    out (the ICE grid refitted, the hybrid families held out: ``fe.ice_lofo(only=...)``,
    as ``benchmarks/validation.py``), per layout; the non-hybrid rows asserted unchanged."""
    c, fit, bev = cal.stored_fits()
    cars = tc.test_cars()
    print(f"non-hybrid EPA rows bit-identical to docs/validation.json: "
          f"{_non_hybrids_as_stored(cars, c, fit, bev)}")
    hyb, hs, masks = _hybrid_rows(cars)
    for car, h in sorted({(f"{car.make} {car.model} {car.year}", h.compression_ratio)
                          for car, h in zip(hyb, hs, strict=True)}):
        print(f"  {car}: {'published ' + format(h, 'g') if h else 'none published'}")
    cf, res = _hybrid_lofo_fits(cars, hyb)
    na = US_COMPRESSION_RATIO_DEFAULT[False]
    trials = [(how, f"engines at the {how} ratio", {}) for how in hyt.HEV_COMPRESSION]
    # tried, not kept: the ratio taken relative to the US NA class default (11.0, the
    # average published ratio of the engines the conventional EPA rows stand for), and
    # 11.0 where none is published, instead of relative to the fit's 12.0
    trials.append(("published", f"tried: published ratio relative to {na:g} (none: {na:g})",
                   {"COMPRESSION_RATIO_REF": na,
                    "COMPRESSION_RATIO_DEFAULT": {**pt.COMPRESSION_RATIO_DEFAULT, False: na}}))
    for how, title, patch in trials:
        with mock.patch.multiple(pt, **patch) if patch else nullcontext():
            comps = {"shipped": fe.Comparison(hyb, fe._measured(hyb),
                                              hyt.predict_hev(hyb, c, fit, bev, hs, how),
                                              "shipped"),
                     "lofo": hyt.hybrid_lofo(hyb, hs, cf, res, how)}
        print(f"  {title}:")
        for const, comp in comps.items():
            for name, m in masks.items():
                print(_hybrid_line(f"{const} {name}", comp, m))


#: Published peak brake thermal efficiency of full-hybrid engines (``full_hybrid``
#: what-if; status R, manufacturers' claims as reported): Toyota 2ZR-FXE of the 2016
#: Prius 40 % (automotivepowertraintechnologyinternational.com, "New Prius has most
#: thermally efficient gasoline engine", 24 Nov 2015); Hyundai Kappa 1.6 GDi of the
#: Ioniq hybrid 40 % (wardsauto.com, "Hyundai introduces new engine in Ioniq, Niro
#: hybrids", 5 Apr 2017). None found for the Prius c's 1NZ-FXE, the Insight's 1.5 or
#: the 2021 Elantra's Smartstream 1.6 in the stored sources.
PEAK_BTE = {("TOYOTA", "PRIUS Eco", 2016): 0.40, ("HYUNDAI", "IONIQ", 2017): 0.40,
            ("HYUNDAI", "IONIQ", 2021): 0.40}


def _hev_run(car: Any, h: Any, c: dict, fit: dict, bev: dict,
             rule: str = "willans", reduction: bool = True) -> tuple[dict, dict]:
    """(FTP / HWFET mpg, the US-segment ``hev_cycle`` result) of one EPA hybrid row."""
    runs: list = []
    orig = pt.hev_cycle

    def spy(seg: Any, *a: Any, **k: Any) -> dict:
        r = orig(seg, *a, **k)
        runs.append((seg, r))
        return r
    with hyt.full_rule(rule), mock.patch.object(pt, "hev_cycle", spy):
        p = cal.predict_hev([car], c, fit, bev, [h], reduction=reduction)
    seg, r = next((s, r) for s, r in runs if len(s.starts) == 4)
    return {t: float(p[t][0]) for t in fe.TESTS}, {"seg": seg, **r}


def _hev_shares(r: dict, parts: tuple[int, ...]) -> str:
    """Engine-on share of moving time, mean engine speed (rpm) and brake power (kW) when
    on, P_0 / P_e, electric-drive share of the positive wheel energy and regenerated
    energy (the negative part of the chemical battery power) against the wheels'
    braking energy (Wh) over the segments ``parts`` of ``r``."""
    seg = r["seg"]
    tr = pt.Trace.of(seg)
    b = list(seg.starts) + [len(tr.dt)]
    idx = np.concatenate([np.arange(b[i], b[i + 1]) for i in parts])
    dt, mv = tr.dt[idx], tr.vb[idx] > 0.0
    on = np.asarray(r["engine_on"])[0, idx]
    val = {k: np.real(D.value(r[k]))[0, idx] for k in ("w", "p_e", "p_0", "p_batt", "p_m")}
    t_on = float(np.sum(dt * on))
    e_on = float(np.sum(val["p_e"] * on * dt))
    ev_pos = float(np.sum(np.maximum(val["p_m"], 0.0) * dt))
    brake = -float(np.sum(np.minimum(val["p_m"], 0.0) * dt))
    return (f"on {t_on / np.sum(dt * mv):.0%} of moving time, "
            f"{np.sum(val['w'] * on * dt) / max(t_on, 1.0) / pt.RPM:.0f} rpm, "
            f"{e_on / max(t_on, 1.0) / 1e3:.1f} kW, P0/Pe "
            f"{np.sum(val['p_0'] * on * dt) / max(e_on, 1.0):.2f}, EV drive "
            f"{ev_pos / 3.6e3:.0f} Wh, regen "
            f"{-np.sum(np.minimum(val['p_batt'], 0.0) * dt) / 3.6e3:.0f} Wh of "
            f"{brake / 3.6e3:.0f} Wh braking at the wheels")


def _bag_line(car: Any, r: dict, c: dict) -> str:
    """Per-bag FTP errors (model / measured - 1: bag 1 with the cold start, bag 2, bag 3;
    each model bag charge-balanced on its own, the measured ones not) and the cold-start
    fuel, ``LHV d_1 (1 / mpg_1 - 1 / mpg_3)`` (kWh), measured and modelled (the same
    505 s run cold and hot, so the battery's net change largely cancels)."""
    lhv = c["fuel"]["lhv_kwh_per_galUS"]
    d = segments(cal.SEG_EPA).distance[:2] / 1609.344
    f = np.real(D.value(r["fuel"]))[0] / 3.6e6
    cold = float(np.real(D.value(r["cold"]))[0, 0]) / 3.6e6
    model = (lhv * d[0] / (f[0] + cold), lhv * d[1] / f[1], lhv * d[0] / f[0])
    errs = ", ".join(f"bag {i + 1} {_pct(m / b - 1.0)}"
                     for i, (m, b) in enumerate(zip(model, car.bags, strict=True)))
    meas = lhv * d[0] * (1.0 / car.bags[0] - 1.0 / car.bags[2])
    return (f"bags (measured {'/'.join(f'{b:.1f}' for b in car.bags)} mpg): {errs}; "
            f"cold-start fuel measured {meas:.3f} kWh, model {cold:.3f} kWh")

def _model_peak_bte(car: Any, c: dict, c_ice: dict, cr: float) -> float:
    """Peak brake efficiency of the model's Willans line for an EPA row's engine: NA
    full-load torque ``torque_nm_per_l x V_d`` (bmep = 4 pi T / V_d) at the CVT floor
    speed (``cvt_min_rpm``, where p_me0 is least), ``e f(r) bmep / (bmep + p_me0
    V_eff / V_d)``."""
    t = c["epa_rows"]["torque_nm_per_l"] * car.vd
    bmep = 4.0 * np.pi * t / (car.vd * 1e-3)
    n = c_ice["cvt_min_rpm"] / 1000.0
    pme0 = (c_ice["pme0_bar"] + c_ice["pme2_bar"] * n * n) * 1e5
    scale = pt.effective_volume({"vd": car.vd}, c_ice) / (car.vd * 1e-3)
    e = c_ice["e"] * pt.compression_efficiency(cr, False)
    return float(e * bmep / (bmep + pme0 * scale))


def _aqua_wltc() -> str:
    """The 2021 Aqua (tests/data/newuser) WLTC km/L: as imported (the import writes a
    ``full`` layout from its 59 kW motor since 4 Dec 2026), then with each
    ``full_rule``."""
    import json
    import tempfile
    from pathlib import Path

    out = []
    with tempfile.TemporaryDirectory() as d:
        run = newuser.run_spec(newuser.SPECS / "toyota_aqua_2021.toml", Path(d))
        assert 'hev_layout = "full"' in run.design_text
        out.append(f"as imported (full) {run.outputs['energy:wltc_km_per_l']['value']:.1f}")
        full = Path(d) / "full.toml"
        full.write_text(run.design_text, encoding="utf-8")
        for rule in hyt.FULL_RULES:
            with hyt.full_rule(rule):
                code, txt, err = newuser._call(["evaluate", "--json", str(full)])
            assert code == 0, err
            v = json.loads(txt)["outputs"]["energy:wltc_km_per_l"]["value"]
            out.append(f"full, {rule} {v:.1f}")
    return "; ".join(out) + " km/L (published 33.6-35.8)"


def _motor_gearing_text(h: Any) -> str:
    """How a hybrid system's traction motor is geared in the HEV model."""
    if h.motor_reduction is not None:
        rpm = f", max {h.motor_max_rpm:g} rpm" if h.motor_max_rpm else ""
        return f"motor reduction {h.motor_reduction:g} on {h.motor_tyre}{rpm}"
    if h.architecture in cal.MOTOR_ON_GEARBOX:
        return "motor on the gearbox input (selected gear)"
    return "motor at the engine's top-gear ratio (no reduction published)"


def _hev_errors(cars: list, systems: list, c: dict, fit: dict, bev: dict,
                rule: str = hyt.FULL_RULES[-1], reduction: bool = True) -> dict:
    """FTP / HWFET relative errors of EPA hybrid rows with ``full_rule`` ``rule``."""
    with hyt.full_rule(rule):
        p = cal.predict_hev(cars, c, fit, bev, systems, reduction=reduction)
    return {t: p[t] / np.array([car.tests[t] for car in cars]) - 1.0 for t in fe.TESTS}


def _mae_text(es: dict) -> str:
    return ", ".join(f"{t} MAE {np.mean(np.abs(v)):.1%} ({np.mean(v):+.1%})"
                     for t, v in es.items())


def full_hybrid() -> None:
    """Why the full hybrids come out too thirsty (issue 13): per EPA full-hybrid row the
    engine-on share, speed and load when on, electric drive and regeneration over the
    FTP (bags 1 + 2 as simulated) and HWFET; the FTP / HWFET errors with the shipped
    electric-drive rule and ``full_rule="exact"``, with the traction motor's gearing
    (``calibration.hev_motor_gearing``: a published reduction, a P2 motor on the selected
    gear) and without it (the motor at the engine's top-gear ratio, before 4 Dec 2026;
    the mild IMA rows asserted unmoved by either); the 28 hybrids as a class (shipped
    constants); the Aqua's WLTC; the model's peak brake efficiency against the
    published 40 %, and what the published figure would give (a what-if: the Willans
    ``e`` scaled, not an option)."""
    c, fit, bev = cal.stored_fits()
    c_ice = cal.ice_section(c["ice"], fit)
    cars = [car for car in tc.test_cars() if car.cls == "hybrid"]
    pairs = [(car, h) for car in cars if (h := tc.hybrid_system(car))]
    full = [(car, h) for car, h in pairs if h.layout == "full"]
    err: dict[str, list] = {}
    for car, h in full:
        print(f"  {car.make} {car.model} {car.year} ({car.vd:g} L, motor {h.motor_kw:g} kW,"
              f" CR {h.compression_ratio or 'none'}; {_motor_gearing_text(h)}):")
        for rule, red in [(r, True) for r in hyt.FULL_RULES] + [(hyt.FULL_RULES[-1], False)]:
            p, r = _hev_run(car, h, c, fit, bev, rule, red)
            e = {t: p[t] / car.tests[t] - 1.0 for t in fe.TESTS}
            name = rule if red else f"{rule}, motor at the engine's top gear (before)"
            err.setdefault(name, []).append(e)
            print(f"    {name:7s} FTP {_pct(e['ftp'])}, HWFET {_pct(e['hwfet'])}; FTP "
                  f"{_hev_shares(r, (0, 1))}; HWFET {_hev_shares(r, (2,))}")
            if rule == "willans" and car.bags:
                print(f"    {_bag_line(car, r, c)}")
    for rule, es in err.items():
        for t in fe.TESTS:
            v = np.array([e[t] for e in es])
            print(f"  {rule}: full (n={len(v)}) {t} MAE {np.mean(np.abs(v)):.1%} "
                  f"({np.mean(v):+.1%})")
    mild = [(car, h) for car, h in pairs if h.layout == "mild"]
    mc, ms = [p[0] for p in mild], [p[1] for p in mild]
    base = cal.predict_hev(mc, c, fit, bev, ms)
    for rule, red in [(r, True) for r in hyt.FULL_RULES] + [(hyt.FULL_RULES[-1], False)]:
        alt = _hev_errors(mc, ms, c, fit, bev, rule, red)
        assert all(np.array_equal(base[t] / np.array([car.tests[t] for car in mc]) - 1.0,
                                  alt[t]) for t in fe.TESTS), "a mild row moved"
    print(f"  mild IMA rows (n={len(mild)}) bit-identical with either full_rule, with and "
          "without the motor gearing")
    hc, hs = [p[0] for p in full], [p[1] for p in full]
    from dataclasses import replace
    no_red = [replace(h, motor_reduction=None, motor_max_rpm=None) for h in hs]
    with mock.patch.object(cal, "MOTOR_ON_GEARBOX", ()):
        only_red = _hev_errors(hc, hs, c, fit, bev)
    print(f"  full (n={len(hc)}), exact, parts of the motor gearing: published reduction "
          f"only: {_mae_text(only_red)}")
    print(f"  full (n={len(hc)}), exact, parts of the motor gearing: P2 on the selected "
          f"gear only: {_mae_text(_hev_errors(hc, no_red, c, fit, bev))}")
    allc, alls = [p[0] for p in pairs], [p[1] for p in pairs]
    for red in (False, True):
        print(f"  all hybrids (n={len(allc)}), shipped constants, "
              f"{'with' if red else 'without (before)'} the motor gearing: "
              + _mae_text(_hev_errors(allc, alls, c, fit, bev, reduction=red)))
    print(f"  Aqua 2021 WLTC: {_aqua_wltc()}")
    for car, h in full:
        key = (car.make, car.model, car.year)
        peak = _model_peak_bte(car, c, c_ice, cal.hev_compression_ratio(h))
        if key not in PEAK_BTE:
            print(f"  {' '.join(map(str, key))}: model peak {peak:.1%}, none published")
            continue
        k = PEAK_BTE[key] / peak
        p = cal.predict_hev([car], {**c, "ice": {**c["ice"], "e": c["ice"]["e"] * k}}, fit,
                            bev, [h])
        print(f"  {' '.join(map(str, key))}: model peak {peak:.1%}, published "
              f"{PEAK_BTE[key]:.0%}; what-if e x {k:.3f}: FTP "
              f"{_pct(p['ftp'][0] / car.tests['ftp'] - 1.0)}, HWFET "
              f"{_pct(p['hwfet'][0] / car.tests['hwfet'] - 1.0)} (willans)")


def _mild_ima_errors() -> dict[str, np.ndarray]:
    """(a) FTP / HWFET errors of the EPA hybrid rows with a ``mild`` system (Honda IMA)."""
    c, fit, bev = cal.stored_fits()
    pairs = [(car, h) for car in tc.test_cars() if car.cls == "hybrid"
             and (h := tc.hybrid_system(car)) and h.layout == "mild"]
    cars, systems = [p[0] for p in pairs], [p[1] for p in pairs]
    p = cal.predict_hev(cars, c, fit, bev, systems)
    return {t: p[t] / np.array([car.tests[t] for car in cars]) - 1.0
            for t in ("ftp", "hwfet")}


def _whole_standing_idle(x: dict, c: dict) -> Any:
    """The conventional car's idle-stop saving as the HEV's: the whole fitted standing
    term (stands in for :func:`keidesign.energy.powertrains.willans_idle`)."""
    return c["idle_kw"] * 1e3 * (pt.effective_volume(x, c) * 1e3)


def isg_pairs() -> None:
    """The ISG gain of the kei mild hybrids against catalogue twins (issue 13;
    :mod:`keidesign.validation.isgpairs`), then the engine rules tried for the mild
    layout with the kei WLTC check and the EPA IMA hybrids."""

    from keidesign.energy import vehicle as ev
    from keidesign.validation import isgpairs as ip

    res = ip.pair_results()
    print(f"{len(res)} catalogue pairs (isg_pairs.csv); WLTC gain = FE_ISG / FE_twin - 1; "
          "model against the twin without / with idle stop; parts: idle stop, engine-off "
          "rule beyond it, regeneration")
    for x in res:
        pr = x.parts
        print(f"  {x.pair.pair:11s} [{x.pair.status}] catalogue {_pct(x.pair.catalogue_gain)}"
              f" ({x.pair.twin_wltc:.1f} -> {x.pair.hybrid_wltc:.1f} km/L); model "
              f"{_pct(x.gain)} / {_pct(x.gain_idle_stop)}; parts {_pct(pr['idle_stop'])}"
              f" + {_pct(pr['engine_off'])} + {_pct(pr['regen'])}; error ISG "
              f"{_pct(x.hybrid / x.pair.hybrid_wltc - 1.0)}, twin "
              f"{_pct(x.twin / x.pair.twin_wltc - 1.0)} / "
              f"{_pct(x.twin_idle_stop / x.pair.twin_wltc - 1.0)}")
    same = [x for x in res if x.pair.twin_compression_ratio is None]
    print(f"  same-engine pairs (n={len(same)}): catalogue mean "
          f"{_pct(np.mean([x.pair.catalogue_gain for x in same]))}, model "
          f"{_pct(np.mean([x.gain for x in same]))} / "
          f"{_pct(np.mean([x.gain_idle_stop for x in same]))}, parts "
          + " + ".join(_pct(np.mean([x.parts[k] for x in same]))
                       for k in ("idle_stop", "engine_off", "regen")))
    _isg_regen_energy(res, ev, ip)
    orig_hev, orig_idle = pt.hev_cycle, pt.willans_idle
    trials = [(f"mild engine '{rule}'" + (" (shipped)" if rule == "off" else ""),
               mild_engine_trial.rule(rule))
              for rule in mild_engine_trial.MILD_ENGINE_RULES]
    trials.append(("conventional idle stop saves the whole standing term",
                   mock.patch.object(pt, "willans_idle", _whole_standing_idle)))
    print("engine rules tried: pair gain error (model - catalogue, mean over the "
          f"{len(same)} same-engine pairs, twin with idle stop / without), kei WLTC ICE "
          "MAE (bias), EPA IMA hybrids FTP / HWFET MAE (bias)")
    for name, patch in trials:
        with patch:
            r = [x for x in ip.pair_results() if x.pair.twin_compression_ratio is None]
            kei = cal.kei_wltc_stats(cal.kei_wltc_check())["all"]
            ima = _mild_ima_errors()
        d_is = np.mean([x.gain_idle_stop - x.pair.catalogue_gain for x in r])
        d_no = np.mean([x.gain - x.pair.catalogue_gain for x in r])
        print(f"  {name}: pairs {_pct(d_is)} / {_pct(d_no)}; kei {100 * kei['mae']:.2f} % "
              f"({_pct(kei['bias'])}); IMA (n={len(ima['ftp'])}) FTP "
              f"{100 * np.abs(ima['ftp']).mean():.1f} % ({_pct(ima['ftp'].mean())}), "
              f"HWFET {100 * np.abs(ima['hwfet']).mean():.1f} % "
              f"({_pct(ima['hwfet'].mean())})")
    assert pt.hev_cycle is orig_hev and pt.willans_idle is orig_idle


def _isg_regen_energy(res: list, ev: Any, ip: Any) -> None:
    """Regenerated (motor to battery) energy of each distinct ISG row over the WLTC, Wh,
    and its peak power, W, against the 36 Wh of a 12 V 3 Ah pack."""
    seen: dict[str, Any] = {}
    runs: list[tuple[int, np.ndarray]] = []
    orig = pt._electric_drive

    def spy(pw: Any, vb: Any, *a: Any, **k: Any) -> tuple[Any, Any]:
        out = orig(pw, vb, *a, **k)
        runs.append((len(vb), np.real(D.value(out[0]))[0]))
        return out
    c = {**cal.fixed_constants(), **cal._stored_fit()}
    for x in res:
        key = f"{x.pair.hybrid_model} {x.pair.drive}"
        if key in seen:
            continue
        runs.clear()
        spec = ip._specs(x.pair)[0]
        with mock.patch.object(pt, "_electric_drive", spy):
            ev.simulate([spec], constants=c)
        dt = segments(ev.wltc_segments(spec.wltc_class)).dt
        p = next(pe for n, pe in runs if n == len(dt))
        seen[key] = (-np.sum(np.minimum(p, 0.0) * dt) / 3600.0, -p.min())
    print("  regenerated per WLTC (class 3), motor to battery: " + "; ".join(
        f"{k} ISG {wh:.0f} Wh, peak {w:.0f} W" for k, (wh, w) in seen.items())
        + " (a 12 V 3 Ah pack holds 36 Wh)")


def chain() -> None:
    r = so.run(so.cases(hybrids=False)[::3])
    has_cd = np.array([bool(us_specs_for(case.car).row.get("cd")) for case in r["cases"]])
    e = r["err"]
    for name, m in (("published Cd", has_cd), ("no published Cd", ~has_cd)):
        print(f"  {name:16s} n={m.sum():3d}: road load 50 mph {_pct(np.nanmean(e['road'][m, 1]))}"
              f" (MAE {100 * np.nanmean(np.abs(e['road'][m, 1])):.1f} %), 20 mph "
              f"{_pct(np.nanmean(e['road'][m, 0]))}; test mass "
              f"{_pct(np.nanmean(e['test_mass'][m]))}; FTP {_pct(np.nanmean(e['ftp'][m]))}; "
              f"label comb {_pct(np.nanmean(e['comb'][m]))}")


def _ev_fitter(c: dict, induction: float = 1.0,
               extra: tuple[tuple[str, float, float, float], ...] = (),
               hold: dict | None = None) -> tuple[Any, Any]:
    """``(fit, pred)``: ``fit(cars)`` the fitted :data:`~keidesign.energy.calibration.
    BEV_FIT` constants less those ``hold`` fixes (name: value) plus ``extra`` fitted
    ``[bev]`` constants (name, start, lower, upper bound) on EPA EV rows (log MPGe, FTP
    and HWFET), ``pred(cars, fit)`` their MPGe, with the loss map of single-motor
    induction rows x ``induction``."""
    hold = hold or {}
    free = [i for i, k in enumerate(cal.BEV_FIT) if k not in hold]
    names = tuple(cal.BEV_FIT[i] for i in free) + tuple(e[0] for e in extra)
    x0 = [cal.BEV_START[i] for i in free] + [e[1] for e in extra]
    bounds = ([cal.BEV_BOUNDS[0][i] for i in free] + [e[2] for e in extra],
              [cal.BEV_BOUNDS[1][i] for i in free] + [e[3] for e in extra])

    def pred(cars, fit):
        f = np.array([[induction if car.motor_type == "induction" else 1.0] for car in cars])
        return cal.predict_bev(cars, c, {**fit, "loss_scale": fit["loss_scale"] * f})

    def fit(cars):
        meas = np.concatenate([[car.tests[t] for car in cars] for t in fe.TESTS])

        def fn(p):
            pr = pred(cars, {**hold, **dict(zip(names, p, strict=True))})
            return np.log(np.concatenate([pr[t] for t in fe.TESTS]) / meas)
        r = least_squares(fn, x0, bounds=bounds, xtol=1e-12, ftol=1e-12)
        return {**hold, **dict(zip(names, map(float, r.x), strict=True))}
    return fit, pred


def _ev_trial(ev: list, c: dict, induction: float = 1.0, loss: Any = None,
              extra: tuple[tuple[str, float, float, float], ...] = (),
              hold: dict | None = None) -> tuple[dict, dict, np.ndarray]:
    """Leave-one-family-out errors ``{test: (n,)}``, the all-EV fit and the kei EV WLTC
    errors, with the fit of :func:`_ev_fitter` (``induction``, ``extra``, ``hold``) and
    the motor loss function ``loss`` in place of
    :func:`keidesign.energy.powertrains.motor_loss` (None: the shipped one)."""
    fit, pred = _ev_fitter(c, induction, extra, hold)
    with mock.patch.object(pt, "motor_loss", loss or pt.motor_loss):
        err = {t: np.zeros(len(ev)) for t in fe.TESTS}
        for fam in sorted({car.family for car in ev}):
            idx = [i for i, car in enumerate(ev) if car.family == fam]
            p = pred([ev[i] for i in idx], fit([car for car in ev if car.family != fam]))
            for t in fe.TESTS:
                err[t][idx] = p[t] / np.array([ev[i].tests[t] for i in idx]) - 1.0
        f_all = fit(ev)
        ck = {**c, "ice": cal.load_constants()["ice"], "bev": {**c["bev"], **f_all}}
        kei = np.array([r["error"] for r in cal.kei_wltc_check(ck) if r["unit"] == "Wh/km"])
    return err, f_all, kei


def _ev_line(name: str, err: dict, f_all: dict, kei: np.ndarray) -> str:
    fitted = " ".join(f"{k} {v:.3g}" for k, v in f_all.items()
                      if k not in ("loss_scale", "regen_share"))
    return (f"  {name:36s} k_m {f_all['loss_scale']:.3f} k_r {f_all['regen_share']:.3f}"
            + (f" {fitted}" if fitted else "")
            + f" | hold-out FTP {np.mean(np.abs(err['ftp'])):.1%} "
            f"({np.mean(err['ftp']):+.1%}) HWFET {np.mean(np.abs(err['hwfet'])):.1%} "
            f"({np.mean(err['hwfet']):+.1%}) | kei {np.mean(np.abs(kei)):.1%} ("
            + ", ".join(f"{x:+.1%}" for x in kei) + ")")


def ev_motors() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    known = sum(car.motor_nm is not None for car in ev)
    print(f"{len(ev)} EV configurations, {known} with a published torque "
          "(ev_motors.csv); kei errors are Wh/km (negative = optimistic): Sakura, "
          "eK X EV, N-VAN e:")
    trials = [("shipped: published torque and power", {}, 1.0),
              ("(a) published torque, EPA hp", {"motor_data": "torque"}, 1.0),
              ("(a) EPA hp, 320 N m for every row", {"motor_data": "assumed"}, 1.0),
              ("(b) induction loss map x 1.5", {}, 1.5),
              ("(b) induction loss map x 2", {}, 2.0),
              ("(c) gear efficiency 0.95", {"eta_gear": 0.95}, 1.0),
              ("(c) gear efficiency 0.98", {"eta_gear": 0.98}, 1.0),
              ("(c) accessory load 0.5 kW", {"aux_kw": 0.5}, 1.0),
              ("(c) accessory load 1.0 kW", {"aux_kw": 1.0}, 1.0)]
    for name, bev, ind in trials:
        c = _no_heater()
        c["bev"].update(bev)
        print(_ev_line(name, *_ev_trial(ev, c, ind, hold=HOLD_BEFORE)))


# ------------------------------------------------------------ EV loss-map shapes tried
# Each has the signature of keidesign.energy.powertrains.motor_loss (W; shaft power W,
# speed rad/s, rated power W, rated torque N m, [bev] constants); ``loss_scale`` is the
# fitted k_m. Trial options are extra [bev] keys.
def _per_unit(p_shaft: Any, w: Any, p_r: Any, t_r: Any, c: dict,
              induction: Any = 0.0) -> Any:
    """Per-unit map in the machine's own speed ``s = w / w_b`` (``w_b = P_r / T_r``) and
    torque ``tau = T / T_r``, magnitude ``P_ref (P_r / P_ref)^(3/4)``, with the trial
    options: ``c0`` (constant, x the magnitude), ``const_w`` (constant W, not scaled by
    size), iron ``c_fe s^fe_exp`` (``eddy_share``: ``c_fe ((1 - x) s + x s^2)``), ``fw``
    (flux weakening above base speed, iron x (w_b / w)^2: loss ~ B^2 with B ~ w_b / w),
    ``cu_env`` (copper on the torque envelope ``min(T_r, P_r / w)``: the current per
    N m rises as the flux is weakened), ``c_inv`` (inverter conduction and switching
    loss ``c_inv P_r |tau|``, ~ the current)."""
    w_b = p_r / t_r
    s = w / w_b
    torque = p_shaft / D.smax(w, c["w_min_frac"] * w_b, 1.0)
    t_env = D.smin(t_r + 0.0 * w, p_r / D.smax(w, 1.0, 1.0), 1.0) if c.get("cu_env") else t_r
    tau = torque / t_env
    p_ref = c["loss_ref_kw"] * 1e3
    size = p_ref * (p_r / p_ref) ** c["loss_size_exponent"]
    x = c.get("eddy_share")
    iron = c["c_fe"] * (s ** c.get("fe_exp", 1.0) if x is None else (1 - x) * s + x * s * s)
    if c.get("fw"):
        f = D.smin(1.0 + 0.0 * s, 1.0 / D.smax(s, 1e-3, 1e-3), 0.02)
        iron = iron * f * f
    loss = size * (c.get("c0", 0.0) + iron + c["c_w"] * s**3
                   + c.get("cu_x", 1.0) * c["c_cu"] * tau * tau + c["c_mag"] * induction)
    loss = loss + c.get("const_w", 0.0) + c.get("c_inv", 0.0) * p_r * D.sqrt(tau * tau + 1e-6)
    return c["loss_scale"] * loss


def _volume(p_shaft: Any, w: Any, p_r: Any, t_r: Any, c: dict,
            induction: Any = 0.0) -> Any:
    """The similarity law per mechanism instead of per unit: active volume ~ (T_r /
    T_ref)^(3/4) (torque ~ L^4 at equal current density), iron and windage at the
    absolute speed ``w / w_ref`` (same flux density: the winding, i.e. P_r at a given
    T_r, does not change them), copper ``c_cu (T / T_r)^2`` per volume (Joule
    coefficient ~ T_r^(-5/4)); reference machine P_ref at ``w_ref`` = 3000 rpm (the
    Leaf's 80 kW / 254 N m); options ``c0``, ``fe_exp``, ``fw`` as :func:`_per_unit`."""
    w_ref = 3000.0 * pt.RPM
    p_ref = c["loss_ref_kw"] * 1e3
    vol = (t_r / (p_ref / w_ref)) ** c["loss_size_exponent"]
    s = w / w_ref
    tau = p_shaft / D.smax(w, c["w_min_frac"] * w_ref, 1.0) / t_r
    iron = c["c_fe"] * s ** c.get("fe_exp", 1.0)
    if c.get("fw"):
        f = D.smin(1.0 + 0.0 * w, (p_r / t_r) / D.smax(w, 1.0, 1.0), 0.02)
        iron = iron * f * f
    return c["loss_scale"] * p_ref * vol * (c.get("c0", 0.0) + iron + c["c_w"] * s**3
                                            + c["c_cu"] * tau * tau + c["c_mag"] * induction)


def _larminie_lowry(p_shaft: Any, w: Any, p_r: Any, t_r: Any, c: dict,
                    induction: Any = 0.0) -> Any:
    """Larminie & Lowry (2003) eq. 7.23 with the constants of their GM EV1 simulation,
    absolute (no size law): ``k_c T^2 + k_i w + k_w w^3 + C``, k_c 0.3 W/(N m)^2, k_i
    0.01 W s, k_w 5e-6 W s^3, C 600 W ("constant electronics losses")."""
    torque = p_shaft / D.smax(w, 10.0, 1.0)
    return c["loss_scale"] * (0.3 * torque * torque + 0.01 * w + 5e-6 * w**3 + 600.0)


#: The map shipped before the shape change of December 2026 (issue 13): a constant c0 =
#: 0.002 x the magnitude and iron ~ s (docs/validation.md quotes its figures).
MAP_PREVIOUS = {"c0": 0.002, "fe_exp": 1.0}

#: (name, loss function (None: the shipped one), motor data, [bev] options, extra fitted
#: (name, start, lower, upper)).
EV_SHAPES: list[tuple[str, Any, str, dict, tuple]] = [
    ("shipped: iron ~ s^2, no constant", None, "published", {}, ()),
    ("shipped map, 320 N m every row", None, "assumed", {}, ()),
    ("previous map (c0, iron ~ s), 320 N m", _per_unit, "assumed", MAP_PREVIOUS, ()),
    ("previous map, published motors", _per_unit, "published", MAP_PREVIOUS, ()),
    ("L&L EV1, absolute", _larminie_lowry, "published", {}, ()),
    ("volume ~ T_r^3/4, abs. speed, c0", _volume, "published", MAP_PREVIOUS, ()),
    ("  + flux weakening", _volume, "published", {**MAP_PREVIOUS, "fw": True}, ()),
    ("volume, iron ~ w^2, no constant", _volume, "published", {"fe_exp": 2.0}, ()),
    ("previous map + flux weakening", _per_unit, "published", {**MAP_PREVIOUS, "fw": True}, ()),
    ("previous map + inverter c_inv |tau|", _per_unit, "published", MAP_PREVIOUS,
     (("c_inv", 0.01, 0.0, 0.2),)),
    ("previous map, copper x cu_x fitted", _per_unit, "published", MAP_PREVIOUS,
     (("cu_x", 1.0, 0.0, 20.0),)),
    ("L&L C 600 W for c0 (not sized)", _per_unit, "published", {"const_w": 600.0}, ()),
    ("L&L C 300 W for c0", _per_unit, "published", {"const_w": 300.0}, ()),
    ("L&L C 1200 W for c0", _per_unit, "published", {"const_w": 1200.0}, ()),
    ("no constant, iron ~ s", _per_unit, "published", {}, ()),
    ("no constant, iron ~ s, cu_env", _per_unit, "published", {"cu_env": True}, ()),
    ("no constant, iron ~ s^1.5", _per_unit, "published", {"fe_exp": 1.5}, ()),
    ("no constant, eddy share fitted", _per_unit, "published", {},
     (("eddy_share", 0.5, 0.0, 1.0),)),
]


#: The shapes of :data:`EV_SHAPES` also checked on the hybrids and the Sakura sizes.
SIDE_CHECKED = ("shipped: iron ~ s^2, no constant", "previous map (c0, iron ~ s), 320 N m",
                "L&L C 600 W for c0 (not sized)")


def _side_checks(loss: Any, fit: dict) -> str:
    """The 28 EPA hybrid configurations (stored ICE constants, ``fit`` as the electric
    drive's) and a Sakura-class car at 30 / 47 / 80 kW, 195 N m (FTP MPGe), with ``loss``
    as the motor loss map."""
    from keidesign.energy import vehicle as vm

    c, ice_fit, _ = cal.stored_fits()
    hyb = [car for car in tc.test_cars() if car.cls == "hybrid" and tc.hybrid_system(car)]
    sakura = next(r for r in cal.kei_rows() if r["model"] == "Nissan Sakura")
    spec = cal.kei_spec(sakura, "tallboy", False, None, "cvt", "fwd", cal.KEI_TYRE_D_M)
    ck = {**c, "ice": cal.load_constants()["ice"], "bev": {**c["bev"], **fit}}
    with mock.patch.object(pt, "motor_loss", loss or pt.motor_loss):
        p = hyt.predict_hev(hyb, c, ice_fit, fit, [tc.hybrid_system(car) for car in hyb],
                            compression="reference")
        mpge = vm.simulate([replace(spec, power=kw, torque=195.0) for kw in (30.0, 47.0, 80.0)],
                           constants=ck)["ftp_mpg"]
    e = {t: p[t] / np.array([car.tests[t] for car in hyb]) - 1.0 for t in fe.TESTS}
    return (f"    hybrids (n={len(hyb)}) FTP {np.mean(np.abs(e['ftp'])):.1%} "
            f"({np.mean(e['ftp']):+.1%}) HWFET {np.mean(np.abs(e['hwfet'])):.1%} "
            f"({np.mean(e['hwfet']):+.1%}); Sakura class 30 / 47 / 80 kW at 195 N m: FTP "
            + " / ".join(f"{x:.0f}" for x in np.ravel(mpge)) + " MPGe")


def ev_shapes() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    print(f"{len(ev)} EV configurations; loss-map shapes (powertrains.motor_loss), loss "
          "scale k_m and regenerative share k_r refitted without each family; kei EV WLTC "
          "(Wh/km) with the all-EV fit")
    for i, (name, loss, how, opts, extra) in enumerate(EV_SHAPES):
        c = _no_heater()
        c["bev"].update(opts, motor_data=how)
        err, f_all, kei = _ev_trial(ev, c, loss=loss, extra=extra, hold=HOLD_BEFORE)
        print(_ev_line(name, err, f_all, kei))
        if name in SIDE_CHECKED:
            print(_side_checks(loss, {**opts, **f_all}))
        if i == 0:
            fams = sorted({car.family for car in ev})
            print("    hold-out FTP / HWFET by family: " + "; ".join(
                f"{f.title()} " + " / ".join(
                    f"{np.mean([err[t][j] for j, car in enumerate(ev) if car.family == f]):+.0%}"
                    for t in fe.TESTS) for f in fams))


def ev_label() -> None:
    from keidesign.energy import constants as kc

    cases = [car for car in so.cases() if car.cls == "ev"]
    print(f"{len(cases)} EV configurations from their published specs (import epa "
          "--predict, the whole model), shipped constants")
    stored = {k: kc.bev_constants()[k] for k in cal.BEV_FIT}
    previous = {"loss_scale": 0.903333, "regen_share": 0.868479, **MAP_PREVIOUS,
                **HOLD_BEFORE}
    before = {"loss_scale": 0.831231, "regen_share": 0.769475, **HOLD_BEFORE}
    for name, loss, bev in (("shipped", None, stored),
                            ("before c_mag, charging load", None, before),
                            ("previous map and its fit", _per_unit, previous)):
        with kc.held(bev=bev), mock.patch.object(pt, "motor_loss", loss or pt.motor_loss):
            e = so.run(cases)["err"]
        print(f"  {name:26s} " + ", ".join(
            f"{k} {np.nanmean(np.abs(e[k])):.1%} ({np.nanmean(e[k]):+.1%}, "
            f"n={np.sum(~np.isnan(np.asarray(e[k], float)))})" for k in ("ftp", "hwfet", "comb")))


def ev_packs() -> None:
    from keidesign.specs import sources

    cases = [car for car in so.cases() if car.cls == "ev"]
    err = so.run(cases)["err"]
    print(f"{len(cases)} EV configurations from their published specs (import epa "
          "--predict, shipped constants): battery_energy (kWh usable) and its basis, "
          "charger kW, FTP / HWFET error")
    for i, car in enumerate(cases):
        f = sources.epa_spec(car=car).facts.get("battery_energy")
        basis = ("the import's class default" if f is None else "pack" if f.note.startswith(
            "ev_batteries.csv") else "label estimate")
        kwh = "-" if f is None else f"{f.value:.1f}"
        chg = "-" if car.charger_kw is None else f"{car.charger_kw:g}"
        mark = ", assumed" if f is None or f.assumed else ""
        print(f"  {car.year} {car.make} {car.model}: {kwh} ({basis}{mark}), charger "
              f"{chg} | FTP {err['ftp'][i]:+.1%} HWFET {err['hwfet'][i]:+.1%}")


def ev_torque() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    print(f"{len(ev)} EV configurations; rated torque of every row from its EPA rated power "
          "P (kW); the kei EVs keep their published torque (kei.csv)")
    rules = [("T = 320 N m", None)]
    rules += [(f"T = {k:.1f} N m/kW x P", lambda p, k=k: k * p) for k in (2.0, 2.9, 4.0)]
    rules += [("T = 320 N m (P / 110 kW)^0.5", lambda p: 320.0 * (p / 110.0) ** 0.5)]
    for title, loss, opts in (("the previous map (docs/validation.md's figures)", _per_unit,
                               MAP_PREVIOUS), ("the shipped map", None, {})):
        print(f" {title}:")
        for name, rule in rules:
            c = _no_heater()
            c["bev"].update(opts, motor_data="assumed" if rule is None else "torque")
            cars = ev if rule is None else [replace(car, motor_nm=rule(car.hp * 0.7457))
                                            for car in ev]
            print(_ev_line(name, *_ev_trial(cars, c, loss=loss, hold=HOLD_BEFORE)))


# ------------------------------------------------- EV charging: J1634 wall energy
#: The families at the two ends of the EV hold-out error (docs/validation.md).
EV_OUTLIERS = ("TOYOTA RAV4", "MERCEDES-BENZ B-CLASS", "CODA", "MITSUBISHI I-MIEV",
               "VOLKSWAGEN E-GOLF", "KIA EV6", "HYUNDAI IONIQ")

#: The EV model before the induction magnetising loss and the charging load (3 Dec 2026,
#: :data:`~keidesign.energy.calibration.BEV_HOLD_BEFORE`). The probes that document the
#: earlier steps (``ev_motors``, ``ev_shapes``, ``ev_torque``) run on it, so their
#: figures stay those docs/validation.md quotes.
HOLD_BEFORE = cal.BEV_HOLD_BEFORE
#: The accessory load at its value before it was fitted (``ev_outliers``, 3 Dec 2026): the
#: probes of the model before (``ev_charging``, ``ev_levers``) hold it, and run with the
#: lithium-metal-polymer pack heater off (:func:`_no_heater`).
HOLD_AUX = cal.BEV_HOLD_AUX


def _outlier_line(ev: list, err: dict) -> str:
    """Mean hold-out FTP error of each family of :data:`EV_OUTLIERS`."""
    def mean(f):
        return np.mean([err["ftp"][j] for j, car in enumerate(ev) if car.family == f])
    return "    hold-out FTP: " + "; ".join(f"{f.title()} {mean(f):+.0%}" for f in EV_OUTLIERS)


def ev_charging() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    known = sum(car.charger_kw is not None for car in ev)
    kei = [(r["model"], r.get("charger_kW") or "-") for r in cal.kei_rows()
           if r["powertrain"] == "BEV"]
    print(f"{len(ev)} EV configurations, {known} with a published on-board charger rating "
          f"(ev_chargers.csv; the others at {pt.CHARGER_KW_DEFAULT} kW); kei chargers "
          "(kei.csv charger_kW): " + ", ".join(f"{m} {k}" for m, k in kei)
          + ". Wall energy x (1 + P_par / P_chg) (powertrains.charge_factor), induction "
          "magnetising loss c_mag (powertrains.motor_loss); fitted with k_m and k_r "
          "leaving each family out, or held")
    by_fam: dict[str, set] = {}
    for car in ev:
        by_fam.setdefault(car.family, set()).add(car.charger_kw)
    print("  charger kW by family: " + "; ".join(
        f"{f.title()} " + "/".join("-" if k is None else f"{k:g}" for k in sorted(
            v, key=lambda k: k or 0.0)) for f, v in sorted(by_fam.items())))
    trials = [("before: no c_mag, no charging load", HOLD_BEFORE),
              ("P_par fitted, no c_mag", {"c_mag": 0.0}),
              ("P_par 0.3 kW held, no c_mag", {"c_mag": 0.0, "charge_parasitic_kw": 0.3}),
              ("P_par 0.6 kW held, no c_mag", {"c_mag": 0.0, "charge_parasitic_kw": 0.6}),
              ("c_mag fitted, no charging load", {"charge_parasitic_kw": 0.0}),
              ("c_mag fitted, P_par 0.3 kW held", {"charge_parasitic_kw": 0.3}),
              ("shipped: c_mag and P_par fitted", {})]
    for name, hold in trials:
        err, f_all, kei_err = _ev_trial(ev, _no_heater(), hold={**HOLD_AUX, **hold})
        print(_ev_line(name, err, f_all, kei_err))
        print(_outlier_line(ev, err))


# ------------------------------------------- EV outliers: pack heater, accessory load
#: The five worst EV configurations of docs/validation.md (leave-one-family-out FTP).
EV_WORST = ("CODA", "BLUECAR", "MAZDA MX-30", "FORD FOCUS", "VOLKSWAGEN E-GOLF")

def _no_heater() -> dict:
    """Fixed constants with the LMP pack heater off (the model before the heater, 3 Dec
    2026: the earlier EV probes run on it so their figures stay docs/validation.md's)."""
    c = cal.fixed_constants()
    c["bev"]["pack_heater_kw"] = {k: 0.0 for k in pt.PACK_HEATER_KW}
    return c


def _worst_line(ev: list, err: dict, families: tuple[str, ...] = EV_WORST) -> str:
    """Hold-out FTP / HWFET error of the :data:`EV_WORST` configurations (the first model
    year of each family, the 2012 Focus, the 2015 e-Golf), or of ``families``."""
    out = []
    for fam in families:
        i = min((j for j, car in enumerate(ev) if car.family == fam), key=lambda j: ev[j].year)
        out.append(f"{ev[i].year} {fam.title()} {err['ftp'][i]:+.0%} / {err['hwfet'][i]:+.0%}")
    return "    hold-out FTP / HWFET: " + "; ".join(out)


def _label_errors(cases: list, bev_of: Any) -> dict:
    """Specs-only label errors (``so.run``) of ``cases`` with the ``[bev]`` constants
    ``bev_of(family)`` (shipped ICE, road-load and mass constants)."""
    from keidesign.energy import constants as kc

    keys = ("ftp", "hwfet", "comb")
    err = {k: np.full(len(cases), np.nan) for k in keys}
    for fam in sorted({car.family for car in cases}):
        idx = [i for i, car in enumerate(cases) if car.family == fam]
        with kc.held(bev=bev_of(fam)):
            e = so.run([cases[i] for i in idx])["err"]
        for k in keys:
            err[k][idx] = np.asarray(e[k], float)
    return err


def _specs_line(name: str, err: dict) -> str:
    return (f"    label from specs ({name}): " + ", ".join(
        f"{k} {np.nanmean(np.abs(err[k])):.1%} ({np.nanmean(err[k]):+.1%})"
        for k in ("ftp", "hwfet", "comb")))


def _constant_load(ev: list, c: dict, fit: dict) -> str:
    """The constant battery load (kW, on top of ``aux_kw``) that would close each
    :data:`EV_WORST` configuration's FTP error with the all-EV fit, and the HWFET error
    it leaves: is the outlier a time-proportional load (heater, pumps, 12 V) or not?"""
    cars = [min((car for car in ev if car.family == f), key=lambda car: car.year)
            for f in EV_WORST]
    k = c["fuel"]["mpge_kwh_per_gal"]
    p0 = cal.predict_bev(cars, c, fit)
    p1 = cal.predict_bev(cars, c, {**fit, "aux_kw": c["bev"]["aux_kw"] + 1.0})
    out = []
    for i, car in enumerate(cars):
        s = {t: k / p1[t][i] - k / p0[t][i] for t in fe.TESTS}  # kWh/mi per kW
        load = (k / car.tests["ftp"] - k / p0["ftp"][i]) / s["ftp"]
        hw = k / (k / p0["hwfet"][i] + load * s["hwfet"]) / car.tests["hwfet"] - 1.0
        out.append(f"{car.year} {car.family.title()} {load:+.2f} kW (HWFET then {hw:+.0%})")
    return "    constant load closing the FTP error (all-EV fit): " + "; ".join(out)


def ev_outliers() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    cases = [car for car in so.cases() if car.cls == "ev"]
    chem = sorted({(car.family, car.pack_chemistry) for car in ev
                   if car.pack_chemistry != "li-ion"})
    print(f"{len(ev)} EV configurations (non-Li-ion packs, ev_pack_chemistry.csv: {chem}); "
          f"{len(cases)} EV configurations from their specs (import epa --predict). Each "
          "trial: k_m, k_r, c_mag, P_par (and aux_kw where fitted; else 0.25 kW) refitted "
          "without each "
          "family (FTP / HWFET hold-out), the kei EV WLTC check with the all-EV fit, the "
          "label from specs with the all-EV fit and with the BEV constants refitted "
          "without the family (lofo; the ICE, road-load and mass constants shipped)")
    trials = [("before: no pack heater, aux 0.25 kW", 0.0, False, True),
              ("LMP heater 0.1 kW", 0.1, False, False),
              ("LMP heater 0.2 kW (PACK_HEATER_KW to 6 Dec 2026)", 0.2, False, True),
              ("LMP heater 0.3 kW", 0.3, False, False),
              ("aux_kw fitted, no pack heater", 0.0, True, True),
              ("shipped 3-5 Dec: LMP 0.2 kW + aux_kw fitted", 0.2, True, True)]
    for name, heat, aux, full in trials:
        c = _no_heater()
        c["bev"]["pack_heater_kw"]["lmp"] = heat
        hold = None if aux else HOLD_AUX
        err, f_all, kei = _ev_trial(ev, c, hold=hold)
        print(_ev_line(name, err, f_all, kei))
        print(_worst_line(ev, err))
        if not full:
            continue
        print(_specs_line("all-EV fit", _label_errors(cases, lambda _f, b=f_all: b)))
        fit, _ = _ev_fitter(c, hold=hold)
        print(_specs_line("lofo", _label_errors(
            cases, lambda f, fit=fit: fit([car for car in ev if car.family != f]))))
        print(_constant_load(ev, c, f_all))
        print(_side_checks(None, f_all))



def ev_standing() -> None:
    """:func:`ev_standing_trial.main`, then the rule's later criteria for its trial (A)
    against the shipped model: the kei EV WLTC check with the all-EV fit and the label
    from specs with the all-EV fit and held out by family (the pack heater of the
    specs-only designs is :data:`keidesign.energy.powertrains.PACK_HEATER_KW`, patched
    alike)."""
    ev_standing_trial.main()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    cases = [car for car in so.cases() if car.cls == "ev"]
    c = cal.load_constants()
    p_lmp = ev_standing_trial.lmp_standing_kw()
    before = ev_standing_trial.BEFORE_LMP_KW
    for name, heat in ((f"before: LMP {before} kW", before),
                       (f"shipped: LMP {p_lmp:.3f} kW, no soak term", p_lmp)):
        with ExitStack() as st:
            st.enter_context(ev_standing_trial.swapped(heat, None, soak=False))
            st.enter_context(mock.patch.dict(pt.PACK_HEATER_KW, {"lmp": heat}))
            f_all = cal.fit_bev(ev, c)
            ck = {**c, "ice": cal.load_constants()["ice"], "bev": {**c["bev"], **f_all}}
            kei = np.array([r["error"] for r in cal.kei_wltc_check(ck)
                            if r["unit"] == "Wh/km"])
            print(f"  {name}: kei EV WLTC {np.mean(np.abs(kei)):.2%} ("
                  + ", ".join(f"{x:+.2%}" for x in kei) + ")")
            for how, bev_of in (("all-EV fit", lambda _f, b=f_all: b),
                                ("lofo", lambda f: cal.fit_bev(
                                    [car for car in ev if car.family != f], c))):
                err = _label_errors(cases, bev_of)
                print(f"    label from specs ({how}): " + ", ".join(
                    f"{k} {np.nanmean(np.abs(err[k])):.2%} ({np.nanmean(err[k]):+.2%})"
                    for k in ("ftp", "hwfet", "comb")))

# ------------------------------------------ EV regeneration on the driven axle (issue 13)
#: Assumed [A] static load share of the driven axle of an EV by its drive (no mass split
#: in the EPA rows or kei.csv): FWD 0.6 (``[performance] driven_axle_share``, the
#: front-engine FWD value), RWD 0.5 (``performance._AXLE_SHARE`` front-engine RWD; the
#: rear-motor table value 0.6 as a variant), all-wheel drive 1 (both axles regenerate).
REGEN_PSI = {"fwd": 0.6, "rwd": 0.5, "awd": 1.0, "4wd": 1.0}
#: Assumed [A] centre-of-gravity height over wheelbase, h / L (Gillespie 1992 ch. 3's
#: passenger cars: h ~ 0.5-0.6 m on L ~ 2.5-2.8 m).
REGEN_CHI = 0.2


def _axle_x(x: dict, drive: Any, psi: dict, chi: float) -> dict:
    """``x`` with the probe's ``regen_psi``, ``regen_chi`` (:func:`ev_regen_trial.
    regen_axle_share`) for ``drive`` (one per row, or one for all)."""
    n = np.shape(D.real(x["m_eff"]))[0]
    drives = list(drive) if isinstance(drive, (list, tuple)) else [drive] * n
    sign = {"fwd": 1.0, "rwd": -1.0, "awd": 0.0, "4wd": 0.0}
    return {**x, "regen_psi": np.array([[psi[d]] for d in drives]),
            "regen_chi": np.array([[sign[d] * chi] for d in drives])}


def _regen_axle_patches(psi: dict, chi: float, kr_max: float) -> list:
    """Patches running the EPA EV rows (their EPA drive) and the kei EVs (FWD) with the
    regeneration on the driven axle at its ideal share, the regenerative share's upper
    bound ``kr_max`` (the trial's cycle, :func:`ev_regen_trial.bev_cycle`)."""
    epa_params, bev_cycle = cal.epa_bev_params, ev_regen_trial.bev_cycle

    def params(cars, c):
        return _axle_x(epa_params(cars, c), [car.drive for car in cars], psi, chi)

    def cycle(seg, x, c, pw=None, behind=None):
        return bev_cycle(seg, x if "regen_psi" in x else _axle_x(x, "fwd", psi, chi), c, pw,
                         behind=behind)

    hi = list(cal.BEV_BOUNDS[1])
    hi[cal.BEV_FIT.index("regen_share")] = kr_max
    return [mock.patch.object(cal, "epa_bev_params", params),
            mock.patch.object(pt, "bev_cycle", cycle),
            mock.patch.object(cal, "BEV_BOUNDS", (cal.BEV_BOUNDS[0], tuple(hi)))]


def _drive_line(ev: list, err: dict) -> str:
    """Hold-out FTP / HWFET MAE (bias) by drive."""
    out = []
    for d in ("fwd", "rwd", "awd"):
        m = np.array([car.drive == d for car in ev])
        out.append(f"{d.upper()} n={m.sum()} {np.mean(np.abs(err['ftp'][m])):.1%} "
                   f"({np.mean(err['ftp'][m]):+.1%}) / {np.mean(np.abs(err['hwfet'][m])):.1%}"
                   f" ({np.mean(err['hwfet'][m]):+.1%})")
    return "    by drive, FTP / HWFET: " + "; ".join(out)


def _regen_closing(ev: list, c: dict, fit: dict, families: tuple[str, ...]) -> str:
    """The regenerative share (constant, all else at the all-EV ``fit``) that closes each
    family's first configuration's FTP error, and the HWFET error it leaves; "none"
    where no share in [0, 1] closes it (the errors left at the nearer end then)."""
    out = []
    for fam in families:
        car = min((x for x in ev if x.family == fam), key=lambda x: x.year)

        def err(kr, car=car):
            p = cal.predict_bev([car], c, {**fit, "regen_share": kr})
            return {t: p[t][0] / car.tests[t] - 1.0 for t in fe.TESTS}
        e0, e1 = err(0.0), err(1.0)
        if e0["ftp"] > 0.0 or e1["ftp"] < 0.0:
            e = e0 if e0["ftp"] > 0.0 else e1
            out.append(f"{car.year} {fam.title()} none (k_r {0 if e is e0 else 1}: FTP "
                       f"{e['ftp']:+.0%}, HWFET {e['hwfet']:+.0%})")
            continue
        lo, hi = 0.0, 1.0
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if err(mid)["ftp"] < 0.0 else (lo, mid)
        out.append(f"{car.year} {fam.title()} k_r {lo:.2f} (HWFET then {err(lo)['hwfet']:+.0%})")
    return "    regenerative share closing the FTP error (all-EV fit): " + "; ".join(out)


def _adhesion_line() -> str:
    """The test cycles' largest deceleration and the adhesion it asks of one axle (rear,
    the least loaded at :data:`REGEN_PSI`) braking alone."""
    seg = segments(cal.SEG_EPA)
    z = float(np.max(-seg.dv / seg.dt)) / 9.80665
    f = z / ev_regen_trial.regen_axle_share(REGEN_PSI["rwd"], -REGEN_CHI, z)
    return (f"  largest deceleration of the UDDS / HWFET traces {z:.3f} g: one axle braking "
            f"alone (rear, static share {REGEN_PSI['rwd']}) needs a tyre-road adhesion "
            f"of {f:.2f}, below the peak adhesion of wet asphalt, 0.5-0.7 (Wong 2008, ch. 1 "
            "[R]): on the test cycles the driven axle can take all the braking")


def ev_regen_axle() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    print(f"{len(ev)} EV configurations, drive from the EPA rows: " + ", ".join(
        f"{d} {sum(car.drive == d for car in ev)}" for d in ("fwd", "rwd", "awd"))
          + "; the kei EVs FWD. Each trial: the BEV_FIT constants refitted without each "
          "family (FTP / HWFET hold-out), the kei EV WLTC check with the all-EV fit. "
          "Axle trials: regenerated share min(1, k_r x (psi + chi z)) of the braking "
          f"power (ev_regen_trial.regen_axle_share), psi {REGEN_PSI}, |chi| = h / L")
    trials = [("shipped: constant share k_r", None, {}),
              (f"ideal axle share, h/L {REGEN_CHI}, k_r <= 1", (REGEN_PSI, REGEN_CHI, 1.0),
               {}),
              (f"ideal axle share, h/L {REGEN_CHI}, k_r <= 2.5", (REGEN_PSI, REGEN_CHI, 2.5),
               {}),
              ("ideal axle share, RWD 0.6 (rear motor), k_r <= 2.5",
               ({**REGEN_PSI, "rwd": 0.6}, REGEN_CHI, 2.5), {}),
              ("constant share, fade below 1 m/s", None, {"regen_fade_mps": 1.0}),
              ("constant share, fade below 4 m/s", None, {"regen_fade_mps": 4.0}),
              ("constant share, regen limit 0.5 x rated power", None,
               {"regen_power_frac": 0.5}),
              ("constant share, regen limit 0.75 x rated power", None,
               {"regen_power_frac": 0.75})]
    for name, axle, bev in trials:
        c = cal.fixed_constants()
        c["bev"].update(bev)
        patches = _regen_axle_patches(*axle) if axle else []
        with patches[0] if patches else nullcontext(), \
                patches[1] if patches else nullcontext(), \
                patches[2] if patches else nullcontext():
            err, f_all, kei = _ev_trial(ev, c)
        print(_ev_line(name, err, f_all, kei))
        print(_worst_line(ev, err, EV_WORST + ("KANDI K23", "MITSUBISHI I-MIEV")))
        print(_drive_line(ev, err))
        if not axle and not bev:
            print(_regen_closing(ev, c, f_all, EV_WORST + ("KANDI K23",)))
            print(_adhesion_line())


def _ev_lofo_fits(ev: list, c: dict) -> tuple[dict, dict, dict]:
    """Leave-one-family-out errors ``{test: (n,)}``, the fits without each family
    ``{family: fit}`` and the all-EV fit, with :func:`keidesign.energy.calibration.
    fit_bev` (the calibration's BEV lofo, ``keidesign.validation.fueleconomy.bev_lofo``)
    and whatever is patched in."""
    err = {t: np.zeros(len(ev)) for t in fe.TESTS}
    fits = {}
    for fam in sorted({car.family for car in ev}):
        idx = [i for i, car in enumerate(ev) if car.family == fam]
        fits[fam] = cal.fit_bev([car for car in ev if car.family != fam], c)
        p = cal.predict_bev([ev[i] for i in idx], c, fits[fam])
        for t in fe.TESTS:
            err[t][idx] = p[t] / np.array([ev[i].tests[t] for i in idx]) - 1.0
    return err, fits, cal.fit_bev(ev, c)


#: The trials of ``ev_cmag`` (name, ``c_mag`` upper bound: None the shipped 0.05,
#: "measured" / "generous" those of ``ev_cmag_trial``; ``regen_decel_g``, g: the
#: brake-blending deceleration, 10 g = no limit on the cycles, the constant share before
#: 5 Dec 2026).
EV_CMAG_TRIALS = (
    ("before: constant k_r, c_mag <= 0.05", None, 10.0),
    ("c_mag <= (I0/IN)^2 c_cu, measured I0/IN", "measured", 10.0),
    ("c_mag <= (I0/IN)^2 c_cu, I0/IN 0.5", "generous", 10.0),
    ("shipped: regen up to 0.1 g, c_mag <= 0.05", None, 0.1),
    ("regen up to 0.1 g, c_mag <= I0/IN 0.5", "generous", 0.1),
    ("regen up to 0.08 g (sensitivity)", None, 0.08),
    ("regen up to 0.12 g (sensitivity)", None, 0.12),
)


def ev_cmag(trials: tuple = EV_CMAG_TRIALS) -> None:
    """Issue 13 (5 Dec 2026): the induction machine's magnetising loss ``c_mag`` bounded
    from a measured motor (``ev_cmag_trial``), and the brake-blending deceleration
    ``regen_decel_g`` (:func:`keidesign.energy.powertrains.regen_blend`), judged
    leave-one-family-out on the EPA EVs (the calibration's BEV lofo), the kei EV WLTC
    check (all-EV fit), the EV label from specs held out by family and the hybrids
    (stored ICE constants, the all-EV fit). ~1 min per trial."""
    from keidesign.energy import constants as kc

    m = ev_cmag_trial
    bound = {"measured": m.C_MAG_MEASURED, "generous": m.C_MAG_GENEROUS}
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    cases = [car for car in so.cases() if car.cls == "ev"]
    print(f"ev_cmag: {len(ev)} EPA EV configurations, {len({car.family for car in ev})} "
          f"families; the measured motor's I0/IN {m.measured_i0_ratio():.3f} (stator "
          f"copper loss {m.stator_loss_check():.0f} W against "
          f"{m.MEASURED_IM['loss_w']['stator_cu']} W), c_mag bounds: measured "
          f"{m.C_MAG_MEASURED:.4f}, I0/IN 0.5 {m.C_MAG_GENEROUS:.4f}; rule (written "
          "before the run): held-out FTP and HWFET both not worse, one better by >= 0.2 "
          "point, kei EVs <= 2 %, EV label from specs (combined) not worse")
    induction = np.array([car.motor_type == "induction" for car in ev])
    for name, cm, a_th in trials:
        c = cal.fixed_constants()
        c["bev"]["regen_decel_g"] = a_th
        with ExitStack() as stack:
            for p in m.patches(bound[cm]) if cm else []:
                stack.enter_context(p)
            err, fits, f_all = _ev_lofo_fits(ev, c)
        ck = {**c, "ice": cal.load_constants()["ice"], "bev": {**c["bev"], **f_all}}
        kei = np.array([r["error"] for r in cal.kei_wltc_check(ck) if r["unit"] == "Wh/km"])
        law = {"regen_decel_g": a_th}
        lab = _label_errors(cases, lambda fam, fits=fits, f_all=f_all, law=law:
                            {**fits.get(fam, f_all), **law})
        with kc.held(bev={**f_all, **law}):
            side = _side_checks(None, {**f_all, **law})
        print(_ev_line(name, err, f_all, kei))
        print("    label from specs held out by family: " + ", ".join(
            f"{k} {np.nanmean(np.abs(v)):.2%} ({np.nanmean(v):+.2%})" for k, v in lab.items())
            + f" ({len(cases)} configurations); induction rows FTP / HWFET "
            f"{np.mean(np.abs(err['ftp'][induction])):.1%} / "
            f"{np.mean(np.abs(err['hwfet'][induction])):.1%}; FTP "
            f"{np.mean(np.abs(err['ftp'])):.3%} HWFET {np.mean(np.abs(err['hwfet'])):.3%}")
        print(_worst_line(ev, err, EV_WORST + ("TOYOTA RAV4", "MERCEDES-BENZ B-CLASS",
                                               "CHEVROLET BOLT")))
        print(side)

#: The trials of ``ev_cmag_drop`` (name, what: None the shipped calibration, ``c_mag``
#: fitted <= 0.05; ("held", v) ``c_mag`` held at v in every fit; ("ratio", f) ``c_mag``
#: held at 0 and the loss of induction machines x f, None: the measured maps' ratio,
#: ``ev_induction_trial.induction_ratio``; ("regen_max", v) the shipped fit with the
#: regenerated share's upper bound at v, a diagnostic of the bound 1; ("robust", v) the
#: BEV fit with a robust loss, scipy's ``soft_l1`` at a 5 % scale of the log errors, with
#: ``c_mag`` fitted (None) or held at v: does the fit shield the other families from the
#: two induction rows without ``c_mag``?).
EV_CMAG_DROP_TRIALS = (
    ("shipped: c_mag fitted (at its bound 0.05)", None),
    ("(a) c_mag = 0 for every car (term dropped)", ("held", 0.0)),
    ("(b) induction loss x measured maps' ratio", ("ratio", None)),
    ("(b) sensitivity: induction loss x 1.5", ("ratio", 1.5)),
    ("diagnostic: shipped, regen_share <= 1.5 (unphysical)", ("regen_max", 1.5)),
    ("robust fit (soft_l1, 5 %), c_mag fitted", ("robust", None)),
    ("robust fit (soft_l1, 5 %), c_mag = 0", ("robust", 0.0)),
)


def _family_means(ev: list, err: dict) -> dict[str, tuple[float, float]]:
    """Hold-out FTP / HWFET error per family (mean over its configurations)."""
    out = {}
    for fam in sorted({car.family for car in ev}):
        m = np.array([car.family == fam for car in ev])
        out[fam] = (float(np.mean(err["ftp"][m])), float(np.mean(err["hwfet"][m])))
    return out


def ev_cmag_drop(trials: tuple = EV_CMAG_DROP_TRIALS, ev_range: bool = True) -> None:
    """Issue 13 (5 Dec 2026): what the induction term ``c_mag`` (fitted at its bound 0.05
    on the two single-motor induction families) does, by held-out numbers: the BEV
    constants refitted with ``c_mag`` held (0: dropped; a sourced value: ``ev_cmag_trial``
    ``held``), judged leave-one-family-out on the EPA EVs (the calibration's BEV lofo),
    the kei EV WLTC check (all-EV fit), the EV label from specs held out by family, the
    EV range (f) with the all-EV fit and the hybrids; the families whose hold-out error
    moves by more than 1 point against the first trial; last, a diagnostic of the
    regenerated share's bound 1 (the shipped fit with it lifted to 1.5). ~1.5 min per
    trial; docs/validation.md, "the induction term ``c_mag`` by held-out numbers"."""
    from keidesign.energy import constants as kc
    from keidesign.validation import evrange

    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    cases = [car for car in so.cases() if car.cls == "ev"]
    induction = np.array([car.motor_type == "induction" for car in ev])
    print(f"ev_cmag_drop: {len(ev)} EPA EV configurations, "
          f"{len({car.family for car in ev})} families, {induction.sum()} single-motor "
          "induction rows (" + ", ".join(sorted({car.family for car in ev
                                                  if car.motor_type == 'induction'}))
          + "); rule (written before the run): a variant with no bounded two-family "
          "parameter ships if its held-out FTP and HWFET MAE are each not worse than the "
          "shipped model's by more than 0.3 point and the kei EV WLTC check stays <= 2 %")
    base = None
    print(f"  measured maps (motor_maps/): induction / PMSM loss ratio "
          f"{ev_induction_trial.induction_ratio():.3f}; zero-torque loss, % of P_r, median "
          + ", ".join(f"{k} {100 * np.median(list(v.values())):.2f} (" + ", ".join(
              f"{n} {100 * x:.2f}" for n, x in v.items()) + ")"
              for k, v in ev_induction_trial.zero_torque_losses().items()))
    for name, how in trials:
        c = cal.fixed_constants()
        with ExitStack() as stack:
            if how and how[0] == "held":
                pats = ev_cmag_trial.held(how[1])
            elif how and how[0] == "regen_max":
                hi = list(cal.BEV_BOUNDS[1])
                hi[cal.BEV_FIT.index("regen_share")] = how[1]
                pats = [mock.patch.object(cal, "BEV_BOUNDS", (cal.BEV_BOUNDS[0], tuple(hi)))]
            elif how and how[0] == "robust":
                pats = [mock.patch.object(cal, "least_squares", partial(
                    cal.least_squares, loss="soft_l1", f_scale=0.05))]
                if how[1] is not None:
                    pats += ev_cmag_trial.held(how[1])
            elif how:
                pats = ev_induction_trial.patches(how[1])
            else:
                pats = []
            for p in pats:
                stack.enter_context(p)
            err, fits, f_all = _ev_lofo_fits(ev, c)
            ck = {**c, "ice": cal.load_constants()["ice"], "bev": {**c["bev"], **f_all}}
            kei = np.array([r["error"] for r in cal.kei_wltc_check(ck)
                            if r["unit"] == "Wh/km"])
            lab = _label_errors(cases, lambda fam, fits=fits, f_all=f_all:
                                fits.get(fam, f_all))
            with kc.held(bev=f_all):
                side = _side_checks(pt.motor_loss, f_all)
                rng = ""
                if ev_range:
                    rs = [r for r in evrange.rows() if not r.skipped]
                    e_r = np.array([r.error for r in rs])
                    rng = (f"; EV range (f) {len(rs)} packs MAE {np.mean(np.abs(e_r)):.1%} "
                           f"({np.mean(e_r):+.1%})")
        print(_ev_line(name, err, f_all, kei))
        print(f"    FTP {np.mean(np.abs(err['ftp'])):.3%} ({np.mean(err['ftp']):+.2%}) HWFET "
              f"{np.mean(np.abs(err['hwfet'])):.3%} ({np.mean(err['hwfet']):+.2%}); "
              f"induction rows FTP / HWFET {np.mean(np.abs(err['ftp'][induction])):.1%} / "
              f"{np.mean(np.abs(err['hwfet'][induction])):.1%}, the others "
              f"{np.mean(np.abs(err['ftp'][~induction])):.2%} / "
              f"{np.mean(np.abs(err['hwfet'][~induction])):.2%}" + rng)
        print("    label from specs held out by family: " + ", ".join(
            f"{k} {np.nanmean(np.abs(v)):.2%} ({np.nanmean(v):+.2%})" for k, v in lab.items())
            + f" ({len(cases)} configurations)")
        print(_worst_line(ev, err, EV_WORST + ("TOYOTA RAV4", "MERCEDES-BENZ B-CLASS")))
        print(side)
        fam = _family_means(ev, err)
        if base is None:
            base = fam
            continue
        moved = [(f, base[f], fam[f]) for f in fam
                 if max(abs(fam[f][0] - base[f][0]), abs(fam[f][1] - base[f][1])) > 0.01]
        print("    families moved > 1 point (FTP / HWFET, first trial -> this): " + (
            "; ".join(f"{f.title()} {a[0]:+.1%} / {a[1]:+.1%} -> {b[0]:+.1%} / {b[1]:+.1%}"
                      for f, a, b in sorted(moved, key=lambda x: -abs(x[2][0] - x[1][0])))
            or "none"))


# ------------------------------------------ EV label bias from specs: where it comes from
#: Design values an EPA test car's measured test weight and coast-down set (``import epa``
#: without ``--predict``), swapped one set at a time into the specs-only design.
_ETW_KEYS = ("energy:test_weight", "energy:test_weight_source")
_COAST_KEYS = ("energy:coastdown:measured", "energy:coastdown:a", "energy:coastdown:b",
               "energy:coastdown:c", "energy:coastdown:source")


@cache
def _ev_holdout() -> tuple[tuple, so.HoldOut, Any]:
    """The EPA EVs, the specs-only hold-out constants of their families and the (a)
    leave-one-family-out comparison of the EVs (:func:`keidesign.validation.specsonly.
    ev_holdout`)."""
    ho, comp = so.ev_holdout()
    return tuple(comp.cars), ho, comp


def chain_variant_cases(cases: list, ho: so.HoldOut) -> dict[str, list[so.SpecsCase]]:
    """``cases`` through the specs-only chain with the hold-out constants ``ho`` (the
    :class:`keidesign.validation.specsonly.SpecsCase` of each): from specs alone
    (``specs``), with the EPA test car's measured ETW (``etw``), with its measured target
    coast-down (``coast``), with both (``both``), swapped into the specs-only design."""
    from keidesign.design import parse_design
    from keidesign.specs import sources
    from keidesign.specs.build import build_design
    from keidesign.specs.write import design_text

    out: dict[str, list] = {k: [] for k in ("specs", "etw", "coast", "both")}
    for car in cases:
        spec = so.imported(car)
        header, tables = build_design(sources.epa_spec(car=car), predict=False)
        meas = parse_design(design_text(header, tables), car.key).values
        for name, keys in (("specs", ()), ("etw", _ETW_KEYS), ("coast", _COAST_KEYS),
                           ("both", _ETW_KEYS + _COAST_KEYS)):
            d = replace(spec, values={**spec.values, **{k: meas[k] for k in keys}})
            out[name].append(so.predict(car, ho, d))
    return out


def ev_chain_variants(cases: list, ho: so.HoldOut) -> dict[str, dict]:
    """Errors (:func:`keidesign.validation.specsonly.errors`) of the EV ``cases`` through
    the specs-only chain with the hold-out constants ``ho``: from specs alone, with the
    measured ETW, with the measured coast-down, with both (:func:`chain_variant_cases`)."""
    return {k: so.errors(v) for k, v in chain_variant_cases(cases, ho).items()}


def _mean(x: Any) -> float:
    return float(np.nanmean(np.asarray(x, float)))


def _no_drag(*_a: Any, **_k: Any) -> tuple[float, float]:
    """:func:`keidesign.energy.powertrains.coastdown_drag` switched off (the model before
    the motor's coast-down drag, 4 Dec 2026)."""
    return 0.0, 0.0


def _drag_in_roadload() -> None:
    """The motor's coast-down drag on the EPA EV rows of the road-load validation (e)
    (published Cd, ETW, the all-car road-load pair; loss constants shipped, motor data as
    the BEV fit has them): its share of the target road load, the EV rows' (e) error
    without and with it, and the road-load pair refitted with it on the EV rows."""
    from scipy.optimize import least_squares

    from keidesign.validation import roadload as rl

    # the cases without the drag (rl.cases carries it since 4 Dec 2026): the pair as the
    # drag's adoption in the design model found it
    cs = [replace(c_, drag=(0.0, 0.0)) for c_ in rl.cases()]
    y = np.array([c.target for c in cs])
    isev = np.array([c.car.cls == "ev" for c in cs])
    c, _, bev = cal.stored_fits()
    x = cal.epa_bev_params([c_.car for c_, e in zip(cs, isev, strict=True) if e], c)
    d1, d2 = pt.coastdown_drag(x["p_r"], x["t_r"], x["k"], {**c["bev"], **bev},
                               x["induction"])
    v = np.array(rl.SPEEDS_MPH) * rl.MPH
    drag = np.zeros_like(y)
    drag[isev] = d1 * v + d2 * v**2
    share = drag[isev] / y[isev]
    f = rl.fit(cs)
    base = rl.predict(cs, f["c0"], f["c1"])
    print(f"  (e), {isev.sum()} EV rows of {len(cs)}: drag / target at 20/50/70 mph "
          + "/".join(f"{m:.1%}" for m in share.mean(0))
          + f" (per car {share.min():.1%}-{share.max():.1%})")
    for name, pred in (("without", base), ("with", base + drag)):
        e = pred[isev] / y[isev] - 1.0
        print(f"    EV rows {name} the drag: bias "
              + "/".join(f"{m:+.1%}" for m in e.mean(0)) + ", MAE "
              + "/".join(f"{m:.1%}" for m in np.abs(e).mean(0)))
    r = least_squares(lambda p: ((rl.predict(cs, p[0], p[1]) + drag) / y - 1).ravel(),
                      [f["c0"], f["c1"]], x_scale=[0.008, 1e-4])
    e0 = base[~isev, 1] / y[~isev, 1] - 1.0
    e1 = rl.predict([c_ for c_, e in zip(cs, isev, strict=True) if not e], *r.x)[:, 1] \
        / y[~isev, 1] - 1.0
    print(f"    road-load pair refitted with the drag on the EV rows: c0 {f['c0']:.6f} -> "
          f"{r.x[0]:.6f}, c1 {f['c1']:.3e} -> {r.x[1]:.3e} s/m; the other rows at 50 mph "
          f"{e0.mean():+.2%} -> {e1.mean():+.2%} (adopted 4 Dec 2026: ``roadload_drag``)")
    # tried: low-rolling-resistance tyres on EVs, an EV rolling coefficient with the drag,
    # fitted on the other EV families' rows
    m = np.array([c_.car.etw for c_ in cs])[isev, None] * 9.80665
    ev_base, ev_drag, ev_y = base[isev], drag[isev], y[isev]
    fams = np.array([c_.car.family for c_, e in zip(cs, isev, strict=True) if e])

    def ev_pred(sel: np.ndarray, c0: float) -> np.ndarray:
        return ev_base[sel] + (c0 - f["c0"]) * m[sel] + ev_drag[sel]
    err = np.zeros_like(ev_y)
    c0s = []
    for fam in sorted(set(fams)):
        te = fams == fam
        c0 = least_squares(lambda p, tr=~te: (ev_pred(tr, p[0]) / ev_y[tr] - 1).ravel(),
                           [f["c0"]]).x[0]
        c0s.append(c0)
        err[te] = ev_pred(te, c0) / ev_y[te] - 1.0
    print(f"    tried: an EV rolling coefficient with the drag, fitted without the family "
          f"(c0 {min(c0s):.5f}-{max(c0s):.5f}): EV rows bias "
          + "/".join(f"{x:+.1%}" for x in err.mean(0)) + ", MAE "
          + "/".join(f"{x:.1%}" for x in np.abs(err).mean(0)))


def ev_bias_parts() -> None:
    """The EV label bias from specs alone (lofo) taken apart (issue 13), before and with
    the motor's coast-down drag in the road load from specs."""
    ev, ho, comp = _ev_holdout()
    cases = [car for car in so.cases() if car.cls == "ev"]
    lab = fe.compare_labels(comp)
    pos = testcar_id.positions(comp.cars, cases)  # per car, not per key (testcar_id)
    a_err = {t: comp.predicted[t][pos] / comp.measured[t][pos] - 1 for t in fe.TESTS}
    names = {"specs": "from specs (the issue's lofo row)", "etw": "measured ETW",
             "coast": "measured coast-down", "both": "measured ETW and coast-down"}

    def cell(x: Any) -> str:
        x = np.asarray(x, float)
        return f"{_mean(x):+.1%} ({_mean(np.abs(x)):.1%})"
    _drag_in_roadload()
    print(f"{len(cases)} EV configurations from their specs (import epa --predict); every "
          "constant refitted without the family (lofo: BEV loss constants, road-load pair, "
          "mass build-up). Mean error (bias), MAE in brackets; road load vs the EPA target "
          "coefficients, bias (MAE at 50 mph)")
    for title, patch in (("before the motor's coast-down drag", _no_drag),
                         ("shipped: road load from specs with the motor's coast-down drag",
                          None)):
        with mock.patch.object(pt, "coastdown_drag", patch or pt.coastdown_drag):
            err = ev_chain_variants(cases, ho)
            kei = [r for r in cal.kei_wltc_check() if r["unit"] == "Wh/km"]
        labelled = [car for car, e in zip(cases, err["specs"]["comb"], strict=True)
                    if not np.isnan(e)]
        pos = [lab.cars.index(car) for car in labelled]
        a_comb = lab.predicted["comb"][pos] / lab.measured["comb"][pos] - 1.0
        f_comb = lab.extra["from_measured"]["comb"][pos] / lab.measured["comb"][pos] - 1.0
        print(f" {title} ({len(labelled)} with a label row):")
        print(f"  {'chain':38s} {'test mass':>16s} {'road 20/50/70 mph':>24s} {'FTP':>14s} "
              f"{'HWFET':>14s} {'label comb':>14s}")
        for k, name in names.items():
            e = err[k]
            road = "/".join(f"{_mean(e['road'][:, j]):+.1%}" for j in range(3)) \
                + f" ({_mean(np.abs(e['road'][:, 1])):.1%})"
            print(f"  {name:38s} {cell(e['test_mass']):>16s} {road:>24s} "
                  f"{cell(e['ftp']):>14s} {cell(e['hwfet']):>14s} {cell(e['comb']):>14s}")
        print(f"  {'(a): the test car, lofo':38s} {'':>16s} {'':>24s} "
              f"{cell(a_err['ftp']):>14s} {cell(a_err['hwfet']):>14s} {cell(a_comb):>14s}")
        print(f"  {'label formula on the measured FTP/HWFET':38s} {'':>71s} "
              f"{cell(f_comb):>14s}")
        b = {k: {t: _mean(err[k][t]) for t in ("ftp", "hwfet", "comb")} for k in err}
        a = {"ftp": _mean(a_err["ftp"]), "hwfet": _mean(a_err["hwfet"]),
             "comb": _mean(a_comb)}
        print("  parts of the bias (points; the two orders of swapping mass and road load, "
              "averaged):")
        for t in ("ftp", "hwfet", "comb"):
            mass = 0.5 * (b["specs"][t] - b["etw"][t] + b["coast"][t] - b["both"][t])
            road = 0.5 * (b["specs"][t] - b["coast"][t] + b["etw"][t] - b["both"][t])
            print(f"    {t:5s}: total {b['specs'][t]:+.2%} = test mass {mass:+.2%} + road "
                  f"load {road:+.2%} + the import's powertrain inputs "
                  f"{b['both'][t] - a[t]:+.2%} + the powertrain model (a) {a[t]:+.2%}")
        print("  kei EV WLTC (kei_wltc_check, nothing fitted to them): " + ", ".join(
            f"{r['model']} {r['error']:+.1%}" for r in kei))
        print("  per configuration (label comb from specs / with ETW / with coast-down / with "
              "both; (a) FTP; test mass and road 50 mph from specs):")
        for i, car in enumerate(cases):
            print(f"    {car.year} {car.make} {car.model:28s} " + " / ".join(
                f"{err[k]['comb'][i]:+.1%}" for k in names) + f"; {a_err['ftp'][i]:+.1%}"
                  f"; mass {err['specs']['test_mass'][i]:+.1%}, road "
                  f"{err['specs']['road'][i, 1]:+.1%}")


# ----------------------------------------------------- EV levers: the fixed-torque doubt
def _iron_volume(p_shaft: Any, w: Any, p_r: Any, t_r: Any, c: dict,
                 induction: Any = 0.0) -> Any:
    """The shipped map with the iron loss (and, ``abs_windage``, the windage) from the
    active volume at the absolute speed instead of per unit: eddy loss ~ volume (f B)^2
    with the volume ~ T_r (torque per rotor volume, the air-gap shear stress, roughly
    constant) to the similarity exponent, ``c_fe (T_r w_ref / P_ref)^gamma P_ref
    (w / w_ref)^2`` (w_ref = 3000 rpm, the Leaf's base speed, so a Leaf-sized machine
    is unchanged); a larger rated power at a fixed torque (a winding for a higher base
    speed, same volume and flux density) then no longer lowers it. Copper and the
    magnetising term stay per unit (x the size magnitude)."""
    w_b = p_r / t_r
    s = w / w_b
    tau = p_shaft / D.smax(w, c["w_min_frac"] * w_b, 1.0) / t_r
    p_ref = c["loss_ref_kw"] * 1e3
    g = c["loss_size_exponent"]
    size = p_ref * (p_r / p_ref) ** g
    w_ref = 3000.0 * pt.RPM
    vol = p_ref * (t_r * w_ref / p_ref) ** g
    sa = w / w_ref
    wind = vol * c["c_w"] * sa**3 if c.get("abs_windage") else size * c["c_w"] * s**3
    return c["loss_scale"] * (vol * c["c_fe"] * sa * sa + wind
                              + size * (c["c_cu"] * tau * tau + c["c_mag"] * induction))


def ev_levers() -> None:
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    print(f"{len(ev)} EV configurations; the fixed-torque doubt (a larger rated power at "
          "a fixed torque lowers the shipped map's iron loss): iron (and windage) from "
          "the active volume at the absolute speed; judged as ev_charging, with the "
          "hybrids and the Sakura-class sizes")
    for name, loss, opts, hold in (
            ("before (c_mag, P_par held at 0)", None, {}, HOLD_BEFORE),
            ("  iron from volume at absolute speed", _iron_volume, {}, HOLD_BEFORE),
            ("  + windage too", _iron_volume, {"abs_windage": True}, HOLD_BEFORE),
            ("shipped", None, {}, HOLD_AUX),
            ("  iron from volume at absolute speed", _iron_volume, {}, HOLD_AUX),
            ("  + windage too", _iron_volume, {"abs_windage": True}, HOLD_AUX)):
        c = _no_heater()
        c["bev"].update(opts)
        err, f_all, kei = _ev_trial(ev, c, loss=loss, hold=hold)
        print(_ev_line(name, err, f_all, kei))
        print(_outlier_line(ev, err))
        print(_side_checks(loss, {**opts, **f_all}))


def _family_floor(rows: list[dict], t: str) -> tuple[dict, np.ndarray, np.ndarray]:
    """Hold-out errors of ``rows`` (docs/validation.json) on test ``t`` grouped by family
    (``{family: [(class, error)]}``), all errors, and the errors less their family's
    mean (the per-family correction at its best, in sample)."""
    from collections import defaultdict

    fam: dict[str, list] = defaultdict(list)
    for r in rows:
        fam[r["family"]].append((r["class"], r[f"{t}_model"] / r[f"{t}_measured"] - 1.0))
    err = np.array([e for v in fam.values() for _, e in v])
    _, within = spec_floor.group_residuals(err, [f for f, v in fam.items() for _ in v])
    return fam, err, within


def floor() -> None:
    from collections import defaultdict

    rows = spec_floor.lofo_rows(fe.ICE_CLASSES)
    print(f"{len(rows)} gasoline configurations, hold-out (lofo) errors of docs/validation.json")
    for t in ("ftp", "hwfet"):
        fam, err, within = _family_floor(rows, t)
        print(f"  {t}: MAE {100 * np.abs(err).mean():.1f} %; family means removed "
              f"{100 * np.abs(within).mean():.1f} % ({len(fam)} families)")
        by: dict[str, list] = defaultdict(list)
        for (cls, _), e in zip((x for v in fam.values() for x in v), within, strict=True):
            by[cls].append(e)
        print("    within-family offset by class: " + ", ".join(
            f"{cls} {_pct(float(np.mean(v)))} (n={len(v)})" for cls, v in sorted(by.items())))
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    cmp, _ = fe.bev_lofo(ev, cal.fixed_constants())
    rows = [{"family": car.family, "class": "ev",
             **{f"{t}_{k}": v[t][i] for t in fe.TESTS
                for k, v in (("model", cmp.predicted), ("measured", cmp.measured))}}
            for i, car in enumerate(ev)]
    print(f"{len(rows)} EV configurations, the same with the shipped EV model's hold-out "
          "errors (fueleconomy.bev_lofo, computed here)")
    for t in ("ftp", "hwfet"):
        fam, err, within = _family_floor(rows, t)
        multi = np.concatenate([[len(v) > 1] * len(v) for v in fam.values()])
        means = np.array([np.mean([e for _, e in v]) for v in fam.values()])
        print(f"  {t}: MAE {100 * np.abs(err).mean():.1f} %; family means removed "
              f"{100 * np.abs(within).mean():.1f} % ({len(fam)} families, "
              f"{sum(len(v) == 1 for v in fam.values())} of one configuration, left at 0); "
              f"the {multi.sum()} configurations of families with more than one: "
              f"{100 * np.abs(err[multi]).mean():.1f} -> "
              f"{100 * np.abs(within[multi]).mean():.1f} %; MAE of the family means "
              f"{100 * np.abs(means).mean():.1f} %")


def compression() -> None:
    from collections import defaultdict

    cars = [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]
    have = [c for c in cars if c.compression_ratio]
    fams = {c.family for c in cars}
    full = {f for f in fams if all(c.compression_ratio for c in cars if c.family == f)}
    print(f"{len(cars)} gasoline configurations of {len(fams)} families: {len(have)} "
          f"({len(have) / len(cars):.0%}) with a published compression ratio, "
          f"{len({c.family for c in have})} families with one, {len(full)} fully covered")
    missing: dict[tuple, list] = defaultdict(list)
    for car in cars:
        if not car.compression_ratio:
            sr = us_specs_for(car)
            gen = f"line {sr.line} {sr.row['generation']}" if sr else "-"
            flag = {True: "T", False: "", None: "?"}[car.turbo]
            missing[(car.family, f"{car.vd:.1f}{flag}", gen)].append(car)
    print("engines without a published ratio (configurations, family, displacement L "
          "[T turbo, ? no label], years, rated hp, us_specs.csv row):")
    for (fam, vd, gen), cs in sorted(missing.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        years = sorted({c.year for c in cs})
        hp = "/".join(f"{h:g}" for h in sorted({c.hp for c in cs}))
        print(f"  {len(cs):3d}  {fam:22s} {vd:5s} {years[0]}-{years[-1]}  {hp:>15s} hp  {gen}")


#: Grid of (shift_rpm, cvt_min_rpm) in the ``ratio_fit`` probes: the corner of the
#: calibration's grid where the all-car optimum lies (1500, 1000 rpm) and its neighbour
#: (one "family"-weighted trial moves there); the shipped and the published-ratio trials
#: give the same hold-out errors as on the whole 20-point grid (5.58 / 4.41 % and
#: 5.30 / 4.21 %, docs/validation.md).
#: Since the manual's upshift schedule shipped (5 Dec 2026) each pair is searched with
#: the schedule's scales (``cal.SCHEDULE_SCALES``) as the calibration's grid does.
RATIO_PAIRS = ((1500.0, 1000.0), (1750.0, 1000.0))
RATIO_GRID = tuple((s, cv, k) for s, cv in RATIO_PAIRS for k in cal.SCHEDULE_SCALES)


def _fit_text(fit: dict) -> str:
    """A fit's constants on one line (a tuple, the manual's upshift speeds, as is)."""
    return ", ".join(f"{k} {v:.4g}" if np.isscalar(v) else f"{k} {tuple(v)}"
                     for k, v in fit.items())


def _ratio_trials(extra: bool = False) -> list[tuple[str, dict, str | None, tuple[str, ...]]]:
    """(name, constants, kei weighting or None (kei not fitted), fitted names)."""
    ref = cal.fixed_constants()
    pub = ift.joint_constants()
    gain = (*cal.FIT_NAMES, "cr_gain")
    if extra:
        return [("EPA ratios + kei (family)", pub, "family", cal.FIT_NAMES)]
    return [("shipped: EPA at 12.0, kei not fitted", ref, None, cal.FIT_NAMES),
            ("EPA published ratios, kei not fitted", pub, None, cal.FIT_NAMES),
            ("EPA at 12.0 + kei (epa_family)", ref, "epa_family", cal.FIT_NAMES),
            ("EPA ratios + kei (epa_family)", pub, "epa_family", cal.FIT_NAMES),
            ("EPA ratios + kei (epa_family) + cr_gain", pub, "epa_family", gain)]


def _ms(x: np.ndarray) -> str:
    return f"{100 * np.mean(np.abs(x)):.2f} % ({100 * np.mean(x):+.2f} %)"


def _ratio_report(name: str, cars: list, kei: ift.KeiFitRows, grid: list,
                  lofo: fe.Comparison, c: dict, kei_in: bool) -> dict:
    fit = fe.best_fit(grid)
    k_all = kei.predict(c, fit) / kei.measured - 1.0
    k_lofo = lofo.extra["kei"] / kei.measured - 1.0 if kei_in else k_all
    e = {t: lofo.error(t) for t in fe.TESTS}
    turbo = np.array([bool(car.turbo) for car in cars])
    print(f"\n### {name}")
    print("  all-data fit: " + _fit_text(fit))
    print(f"  EPA lofo ({len(cars)} configurations): FTP {_ms(e['ftp'])}, HWFET "
          f"{_ms(e['hwfet'])}")
    for cls in fe.ICE_CLASSES:
        m = np.array([car.cls == cls for car in cars])
        print(f"    {cls:9s} n={m.sum():3d}: FTP {_ms(e['ftp'][m])}, HWFET {_ms(e['hwfet'][m])}")
    for lab, m in (("turbo", turbo), ("not turbo", ~turbo)):
        print(f"    {lab:9s} n={m.sum():3d}: FTP {_ms(e['ftp'][m])}, HWFET {_ms(e['hwfet'][m])}")
    fam = np.array([car.family for car in cars])
    worst = sorted(set(fam), key=lambda f: -abs(np.mean(e["ftp"][fam == f])))[:4]
    print("    worst families (FTP mean): " + ", ".join(
        f"{f} {100 * np.mean(e['ftp'][fam == f]):+.1f} %" for f in worst))
    how = "lofo (each kei family left out)" if kei_in else "check (not fitted)"
    print(f"  kei WLTC {how}: {_ms(k_lofo)}; NA {_ms(k_lofo[~kei.turbo])}, turbo "
          f"{_ms(k_lofo[kei.turbo])}; in the all-data fit {_ms(k_all)}")
    print("    " + ", ".join(f"{n} {100 * x:+.1f}" for n, x in zip(kei.name, k_lofo,
                                                                 strict=True)))
    return {"fit": fit, "epa": e, "kei": k_lofo}


def _ratio_data() -> tuple[list, ift.KeiFitRows]:
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = ift.KeiFitRows.load()
    _us_cr = US_COMPRESSION_RATIO_DEFAULT
    n_pub = sum(car.compression_ratio > 0 for car in cars)
    print(f"{len(cars)} EPA configurations ({len({car.family for car in cars})} families; "
          f"{n_pub} with a published ratio in us_specs.csv, the rest the US class default "
          f"{_us_cr[False]:g} NA / {_us_cr[True]:g} turbo), {len(kei.measured)} kei WLTC rows "
          f"({len(set(kei.family))} families)")
    return cars, kei


@ift.with_trials
def ratio_fit(extra: bool = False) -> dict:
    """The compression ratio in the ICE fit with the kei engines (issue 13;
    :data:`ice_fit_trials.ICE_FIT_DATA`): every trial judged
    leave-one-family-out on both sets (one Gauss-Newton step per family from the
    all-data fits of :data:`RATIO_GRID`, ``ice_lofo(exact=False)``)."""
    cars, kei = _ratio_data()
    out = {}
    for name, c, weighting, names in _ratio_trials(extra):
        ks = fe.KeiSet(kei, ift.joint_weights(cars, kei, weighting)) if weighting else None
        g = fe.ice_grid(cars, c, RATIO_GRID, kei=ks, names=names)
        lofo = fe.ice_lofo(cars, c, g, exact=False, kei=ks)
        out[name] = _ratio_report(name, cars, kei, g, lofo, c, ks is not None)
        out[name]["grid"] = g
    return out


def _cylinder_trials() -> list[tuple[str, dict, tuple[str, ...]]]:
    """(name, constants, fitted names) of :func:`cylinder_friction`."""
    ref, pub = cal.fixed_constants(), ift.joint_constants()
    fixed = tuple(n for n in cal.FIT_NAMES if n != "alpha")
    return [("shipped: EPA at 12.0, V_d^alpha", ref, cal.FIT_NAMES),
            ("EPA published ratios, V_d^alpha", pub, cal.FIT_NAMES),
            ("EPA at 12.0, per-cylinder", ref, ift.CYL_FIT_NAMES),
            ("EPA published ratios, per-cylinder", pub, ift.CYL_FIT_NAMES),
            *[(f"EPA published ratios, per-cylinder, phi fixed at {phi:g}",
               {**pub, "ice": {**pub["ice"], "cyl_share": phi}}, fixed)
              for phi in ift.CYL_SHARE_FIXED],
            ("EPA published ratios + kei (epa_family), per-cylinder", pub, ift.CYL_FIT_NAMES),
            ("EPA published ratios + kei (epa_family), V_d^alpha", pub, cal.FIT_NAMES)]


def cylinder_friction(only: tuple[int, ...] | None = None) -> dict:
    """Engine friction by cylinder size (issue 13, s21h2; ``ice_fit_trials.
    cylinder_volume``, Sandoval & Heywood SAE 2003-01-0725 terms): the size law
    ``V_d^alpha`` against ``V_d [(1 - phi) + phi (v_ref / v_c)^(2/3)]`` (``phi`` fitted
    in place of ``alpha``), each with the EPA rows at 12.0 and at their published
    compression ratio, judged leave-one-family-out on the EPA rows (one step per family
    from the all-data fits of :data:`RATIO_GRID`, ``ice_lofo(exact=False)``) and with
    the kei WLTC check (the all-data fit, kei not fitted). ``only``: the trials'
    indices."""
    cars, kei = _ratio_data()
    cyl = ift.epa_cylinders(cars)
    print("EPA configurations by cylinder count: " + ", ".join(
        f"{int(n)}: {int((cyl == n).sum())}" for n in sorted(set(cyl))))
    out = {}
    with ift.cylinder_active():
        for i, (name, c, names) in enumerate(_cylinder_trials()):
            if only is not None and i not in only:
                continue
            ks = (fe.KeiSet(kei, ift.joint_weights(cars, kei, "epa_family"))
                  if "+ kei" in name else None)
            g = fe.ice_grid(cars, c, RATIO_GRID, kei=ks, names=names)
            lofo = fe.ice_lofo(cars, c, g, exact=False, kei=ks)
            out[name] = _ratio_report(name, cars, kei, g, lofo, c, ks is not None)
            out[name]["grid"] = g
            for n in sorted(set(cyl)):
                m = cyl == n
                e = out[name]["epa"]
                print(f"    {int(n)} cylinders n={m.sum():3d}: FTP {_ms(e['ftp'][m])}, "
                      f"HWFET {_ms(e['hwfet'][m])}")
    return out


def _candidate_ice(c: dict, fit: dict) -> dict:
    """The stored ``[ice]`` constants with an ICE fit in place (``cyl_share`` in place
    of ``alpha`` where the fit or, fixed, the trial's constants ``c`` have it), as
    :func:`keidesign.energy.constants.held` takes them."""
    fit = {**({"cyl_share": c["ice"]["cyl_share"]} if "cyl_share" in c["ice"] else {}),
           **fit}
    ice = cal.ice_section(cal.load_constants()["ice"], fit)
    ice.pop("fit", None)
    if "cyl_share" in fit:
        ice.pop("alpha", None)
    return ice


def _kei_model_checks(ice: dict) -> dict[str, np.ndarray]:
    """The kei checks no ICE fit sees, on the model path with the ``[ice]`` constants
    ``ice`` (:func:`keidesign.energy.constants.held`; :func:`_candidate_ice`), printed
    and returned as relative errors: ``kei_wltc`` (the kei WLTC check's ICE rows), the
    JC08 check's sets ``jc08_<set>`` and ``jc08_all`` (ICE rows), ``trucks_wltc`` (the
    kei trucks' WLTC check, ``kei_truck_wltc_check``) and ``mlit`` (MLIT's passenger kei
    lists, ``benchmarks/mlit_kei.py``: ``_groups`` of the run, specs alone and at the
    published curb mass, by data, transmission and turbo)."""
    from keidesign.energy import constants as kc
    from keidesign.validation import report

    out: dict = {}
    stored = {**cal._stored_fit(), "ice": ice}
    with kc.held(ice=ice), mock.patch.object(cal, "_stored_fit", lambda s=stored: s):
        out["kei_wltc"] = np.array([r["error"] for r in cal.kei_wltc_check()
                                    if r["unit"] == "km/L"])
        print(f"  kei WLTC check (ICE rows, n={out['kei_wltc'].size}): "
              f"{_ms(out['kei_wltc'])}")
        j = cal.kei_jc08_check(report.DESIGN_DIR)
        for st in ("cases", "catalogue", "trucks"):
            e = np.array([r["error"] for r in j if r["unit"] == "km/L" and r["set"] == st])
            if e.size:
                out[f"jc08_{st}"] = e
                print(f"  JC08 {st} (ICE, n={e.size}): {_ms(e)}")
        out["jc08_all"] = np.array([r["error"] for r in j if r["unit"] == "km/L"])
        print(f"  JC08 all ICE (n={out['jc08_all'].size}): {_ms(out['jc08_all'])}")
        out["trucks_wltc"] = np.array([r["error"] for r in
                                       cal.kei_truck_wltc_check(report.DESIGN_DIR)])
        print(f"  kei trucks WLTC (n={out['trucks_wltc'].size}): {_ms(out['trucks_wltc'])}")
        res = mlit_kei.run_all(quiet=True)
    g = mlit_kei._groups(res)
    out["mlit"] = {}
    for gname in ("all", "data", "transmission", "turbo"):
        for key in sorted(g[gname]):
            xs = g[gname][key]
            e1 = np.array([x["err_pred"] for x in xs]) / 100
            e2 = np.array([x["err_pub"] for x in xs]) / 100
            out["mlit"][(gname, key)] = (e1, e2)
            print(f"  MLIT {gname} {key} (n={len(xs)}): specs alone {_ms(e1)}; "
                  f"at the published mass {_ms(e2)}")
    return out


def cylinder_friction_kei(only: tuple[int, ...] = (0, 2, 3)) -> None:
    """:func:`cylinder_friction`'s all-data fits (trials ``only``, refitted on
    :data:`RATIO_GRID`) on the kei checks the fit does not see, each in one run:
    :func:`_kei_model_checks` (the kei WLTC check, the JC08 check, the kei trucks' WLTC
    check, MLIT's passenger kei lists) with the trial's ``[ice]`` constants."""
    cars, kei = _ratio_data()
    trials = _cylinder_trials()
    with ift.cylinder_active():
        for i in only:
            name, c, names = trials[i]
            ks = (fe.KeiSet(kei, ift.joint_weights(cars, kei, "epa_family"))
                  if "+ kei" in name else None)
            fit = fe.best_fit(fe.ice_grid(cars, c, RATIO_GRID, kei=ks, names=names))
            print(f"\n### {name}\n  all-data fit: {_fit_text(fit)}")
            _kei_model_checks(_candidate_ice(c, fit))


@ift.with_trials
def ratio_fit_more() -> None:
    """``ratio_fit``'s side questions: the ``family`` weighting; for the
    ``epa_family`` trial with the published ratios, the kei hold-outs refitted exactly
    (least squares, not one step) and the kei rows held out by maker (Honda, Suzuki,
    Daihatsu, Nissan: the engine families) instead of by model line."""
    ratio_fit(extra=True)
    cars, kei = _ratio_data()
    c = ift.joint_constants()
    ks = fe.KeiSet(kei, ift.joint_weights(cars, kei, "epa_family"))
    g = fe.ice_grid(cars, c, RATIO_GRID, kei=ks)
    groups = sorted({f"kei:{f}" for f in kei.family})
    ex = fe.ice_lofo(cars, c, g, exact=True, kei=ks, only=groups).extra["kei"]
    print(f"\nEPA ratios + kei (epa_family), kei families held out by an exact refit: "
          f"{_ms(ex / kei.measured - 1.0)}")
    maker = [f.split()[0] for f in kei.family]
    by_maker = fe.KeiSet(ift.KeiFitRows(kei.specs, kei.measured, tuple(maker), kei.turbo,
                                        kei.name), ks.weights)
    mk = fe.ice_lofo(cars, c, g, exact=False, kei=by_maker,
                     only=sorted({f"kei:{m}" for m in maker})).extra["kei"]
    err = mk / kei.measured - 1.0
    print(f"  kei rows held out by maker ({', '.join(sorted(set(maker)))}): {_ms(err)}")
    ref = fe.ice_grid(cars, cal.fixed_constants(), RATIO_GRID)
    k0 = kei.predict(cal.fixed_constants(), fe.best_fit(ref)) / kei.measured - 1.0
    print(f"  (shipped mode, kei not fitted: {_ms(k0)})")


@ift.with_trials
def ratio_fit_specs(rwd_force: bool = False) -> None:
    """The label from specs alone (``keidesign.validation.specsonly``, every 3rd
    gasoline configuration, ~5 min) with the all-data ICE constants of the shipped mode
    and of the ``epa_family`` trial with the published ratios (both refitted on
    :data:`RATIO_GRID`; the imported designs carry the published ratio, else the US
    class default, either way). Not a hold-out: the effect of the constants on the
    chain. ``rwd_force``: each also with the rear/all-wheel-drive force of
    ``roadload_parasitic`` (its all-case constants, as ``road:crr = c0 + Fp / (m g)`` on
    the predicted test mass; ~15 min in all)."""
    from keidesign.energy import constants as kc

    cars, kei = _ratio_data()
    ks = fe.KeiSet(kei, ift.joint_weights(cars, kei, "epa_family"))
    fits = {"shipped mode": fe.best_fit(fe.ice_grid(cars, cal.fixed_constants(), RATIO_GRID)),
            "EPA ratios + kei (epa_family)": fe.best_fit(
                fe.ice_grid(cars, ift.joint_constants(), RATIO_GRID, kei=ks))}
    todo = [car for car in so.cases() if car.cls in fe.ICE_CLASSES][::3]
    for name, fit in fits.items():
        with kc.held(ice=cal.ice_section(kc.ice_constants(), fit)):
            r = so.run(todo)
            _label_line(name, r["cases"])
            if rwd_force:
                _label_line("  + rwd/awd force", _with_rwd_force(r["cases"]))


def _with_rwd_force(cases: list[so.SpecsCase]) -> list[so.SpecsCase]:
    """``cases`` evaluated again with ``roadload_parasitic``'s rear/all-wheel-drive force
    and its ``c0``, ``c1`` (all-case fit)."""
    _, p, _ = rp.form_lofo(rp.data(), rp.parasitic_forms()[-1])
    out = []
    for case in cases:
        design = so.imported(case.car)
        rear = case.car.drive != "fwd"
        crr = p[0] + p[2] * rear / (case.outputs["mass:test"] * rp.G)
        vals = {**design.values, "road:crr": crr, "road:crr_speed": p[1]}
        out.append(so.predict(case.car, design=replace(design, values=vals)))
    return out


def _label_line(name: str, cases: list[so.SpecsCase]) -> None:
    e = so.errors(cases)
    turbo = np.array([bool(case.car.turbo) for case in cases])
    print(f"  {name:30s} n={len(cases)}: label comb {_ms(_finite(e['comb']))}, "
          f"city {_ms(_finite(e['city']))}, hwy {_ms(_finite(e['hwy']))}; FTP "
          f"{_ms(e['ftp'])}, HWFET {_ms(e['hwfet'])}; turbo comb "
          f"{_ms(_finite(e['comb'][turbo]))}; road 50 mph {_ms(e['road'][:, 1])}")


#: The two arms of :func:`ratio_ship`: (name, constants, kei weighting or None).
RATIO_SHIP_ARMS = (("shipped: EPA rows at 12.0, kei not fitted", None),
                   ("joint: EPA rows at their published ratio + kei (epa_family)",
                    "epa_family"))


def _ratio_ship_arm(name: str, weighting: str | None, cars: list, kei: ift.KeiFitRows,
                    hyb: tuple[list, list], labelled: list, exact: bool = False,
                    kei_checks: bool = True) -> dict:
    """One arm of :func:`ratio_ship`: the all-data fit and the hold-out on
    :data:`RATIO_GRID` (``_ratio_report``; ``exact``: refitted exactly per family, else
    one step), the hybrids and the specs-only label with its constants (also by class
    and turbo), and (``kei_checks``) the kei checks on the model path
    (:func:`_kei_model_checks`)."""
    import time

    t0 = time.time()
    c = ift.joint_constants() if weighting else cal.fixed_constants()
    ks = fe.KeiSet(kei, ift.joint_weights(cars, kei, weighting)) if weighting else None
    g = fe.ice_grid(cars, c, RATIO_GRID, kei=ks, names=cal.FIT_NAMES)
    lofo = fe.ice_lofo(cars, c, g, exact=exact, kei=ks)
    out = _ratio_report(name, cars, kei, g, lofo, c, ks is not None)
    fit = out["fit"]
    print(f"  fitted: {', '.join(g[0].names)} (calibration.FIT_NAMES, as the shipped fit)")
    if weighting is None:
        stored = cal.stored_fits()[1]
        print("  calibration.toml (the shipped all-data fit, full grid): "
              + _fit_text({k: stored[k] for k in fit if k in stored}))
    print(f"  [{time.time() - t0:.0f} s]")
    # (5) hybrids: the ICE constants of the family's hold-out, else the all-data fit;
    # the stored BEV constants (the same in both arms)
    bev = cal._stored_fit()["bev"]
    stub = fe.Comparison([], {}, {}, "stored", {"fits": {}})
    hc = {"ice_shipped": fe.Comparison(hyb[0], fe._measured(hyb[0]),
                                       cal.predict_hev(hyb[0], c, fit, bev, hyb[1]), "all"),
          "ice_lofo": fe.hybrid_lofo(hyb[0], hyb[1], c, {"ice_lofo": lofo, "ice_fit": fit,
                                                        "ev_lofo": stub, "bev_fit": bev})}
    out["hybrid"] = {k: {t: v.error(t) for t in fe.TESTS} for k, v in hc.items()}
    print(f"  EPA hybrids (n={len(hyb[0])}): all-data fit FTP "
          f"{_ms(out['hybrid']['ice_shipped']['ftp'])}, HWFET "
          f"{_ms(out['hybrid']['ice_shipped']['hwfet'])}; held out FTP "
          f"{_ms(out['hybrid']['ice_lofo']['ftp'])}, HWFET "
          f"{_ms(out['hybrid']['ice_lofo']['hwfet'])}")
    # (3) the gasoline label from specs alone, held out by family
    ho = _specs_holdout(lofo, fit)
    done = [so.predict(car, ho, design) for car, design in labelled]
    out["specs"] = so.errors(done)
    _label_line("specs alone, held out", done)
    for lab, keep in (*((k, lambda x, k=k: x.car.cls == k) for k in fe.ICE_CLASSES),
                      ("turbo", lambda x: bool(x.car.turbo)),
                      ("not turbo", lambda x: not x.car.turbo)):
        e = so.errors([x for x in done if keep(x)])
        print(f"    {lab:9s} n={e['comb'].size:3d}: label comb {_ms(_finite(e['comb']))}, "
              f"FTP {_ms(e['ftp'])}, HWFET {_ms(e['hwfet'])}")
    print(f"  [{time.time() - t0:.0f} s]")
    if not kei_checks:
        return out
    # (2), (4) the kei checks on the model path with the all-data fit
    out["kei_checks"] = _kei_model_checks(_candidate_ice(c, fit))
    print(f"  [{time.time() - t0:.0f} s]")
    return out


@ift.with_trials
def ratio_ship(exact: bool = False, kei_checks: bool = True) -> dict:
    """The joint ratio fit re-judged for shipping (issue 13, task s25e, 5 Dec 2026; ~15
    min, ``exact`` ~30 min). Ship rule, written and committed 19:12 UTC 5 Dec 2026,
    before the judging run.

    Arms, both fitted in this run on the same code and data (:data:`RATIO_SHIP_ARMS`):
    *shipped*, the EPA gasoline rows at the reference ratio 12.0, kei not fitted (the
    calibration's mode); *joint*, the EPA rows at their published ratio (``us_specs.csv``,
    else the US class default of the turbo flag) plus the kei WLTC ICE rows at theirs,
    each kei model line weighted as the mean EPA family (``ice_fit_trials``
    ``"epa_family"``). Fits on :data:`RATIO_GRID`; every hold-out of both arms on the
    probes' footing (one Gauss-Newton step per held-out family from the all-data grid
    fits, ``ice_lofo(exact=False)``; exact refits of both arms would take ~1 h of a
    shared CPU). The joint fit ships only if every item holds:

    1. EPA gasoline FTP and HWFET held out by family: each MAE no higher than the
       shipped arm's (compared at 0.01 point).
    2. Kei WLTC (ICE rows of the check) held out by model line in the joint arm: MAE
       <= 6 % and no more than 0.5 point above the shipped arm's check (its all-data
       fit, kei not fitted).
    3. The gasoline label combined from specs alone, held out by family (the specs-only
       chain on every labelled gasoline configuration, the arm's ICE constants without
       the family, the road-load pair and mass coefficients without it as
       ``specsonly.HoldOut.of``, the same for both arms): MAE no more than 0.1 point
       above the shipped arm's, and bias within +/-2 %.
    4. MLIT's kei families not in kei.csv (``mlit_kei``, specs alone, the all-data fit):
       |bias| no larger than the shipped arm's; the kei trucks' WLTC check (all-data
       fit): MAE <= 6 %.
    5. The EPA hybrids with a published system (they use the same engine fit at their
       published ratio; ICE constants held out by family, stored BEV constants in both
       arms): FTP and HWFET MAE each no more than 0.5 point above the shipped arm's.

    Everything else printed (per class, turbo, JC08, MLIT by group, the label's city and
    highway) is reported, not judged. ``exact`` (after the judging run, reported, not
    judged): every hold-out of both arms refitted exactly (``ice_lofo(exact=True)``);
    ``kei_checks=False`` leaves out the model-path kei checks (item 4: not printed).

    Re-run on the model of 7 Dec 2026 (task s37b, after s35h shipped the 3-4 speed
    automatics' top-gear lock-up and input spin torque): the rule above is unchanged;
    both arms fit :data:`keidesign.energy.calibration.FIT_NAMES` as the shipped fit does
    (since s35h with ``at_spin_nm``, the sixth ICE constant, and the kernel's
    ``at_few_gears`` lock-up in both arms' constants), and the shipped arm's all-data
    fit is printed beside ``calibration.toml``'s."""
    from keidesign.errors import InputError

    cars, kei = _ratio_data()
    hyb_rows, hyb_sys, _ = _hybrid_rows(tc.test_cars())
    labelled = []
    for car in so.cases(cars):
        if tc.label_for(car) is None:
            continue
        try:
            labelled.append((car, so.imported(car)))
        except InputError:
            continue
    print(f"{len(labelled)} labelled gasoline configurations imported from specs; "
          f"{len(hyb_rows)} EPA hybrids with a system")
    res = {name: _ratio_ship_arm(name, w, cars, kei, (hyb_rows, hyb_sys), labelled,
                                 exact, kei_checks)
           for name, w in RATIO_SHIP_ARMS}
    _ratio_ship_verdict(*res.values())
    return res


def _ratio_ship_verdict(s: dict, j: dict) -> bool:
    """Print :func:`ratio_ship`'s rule item by item (shipped arm ``s``, joint ``j``;
    item 4 where the arms ran the kei checks)."""
    def mae(x: np.ndarray) -> float:
        return 100 * float(np.mean(np.abs(_finite(x))))

    def bias(x: np.ndarray) -> float:
        return 100 * float(np.mean(_finite(x)))

    def no_worse(x: dict, name: str, tol: float) -> tuple[str, float, float, bool]:
        a, b = mae(s[x][name] if name else s[x]), mae(j[x][name] if name else j[x])
        # item 1 (tol 0) compared at 0.01 point, as the rule says
        return a, b, (round(b, 2) <= round(a, 2)) if tol == 0.0 else b <= a + tol

    items = [("1 EPA FTP held out", *no_worse("epa", "ftp", 0.0)),
             ("1 EPA HWFET held out", *no_worse("epa", "hwfet", 0.0)),
             ("2 kei WLTC (check / held out)", *no_worse("kei", "", 0.5)),
             ("3 label comb from specs, MAE", *no_worse("specs", "comb", 0.1)),
             ("3 label comb from specs, bias", bias(s["specs"]["comb"]),
              bias(j["specs"]["comb"]), abs(bias(j["specs"]["comb"])) <= 2.0)]
    items[2] = (*items[2][:3], items[2][3] and items[2][2] <= 6.0)
    if "kei_checks" in s:
        unseen = [bias(x["kei_checks"]["mlit"][("data", "unseen")][0]) for x in (s, j)]
        trucks = [mae(x["kei_checks"]["trucks_wltc"]) for x in (s, j)]
        items += [("4 MLIT unseen, bias", *unseen, abs(unseen[1]) <= abs(unseen[0])),
                  ("4 kei trucks WLTC, MAE", *trucks, trucks[1] <= 6.0)]
    items += [(f"5 hybrids {t.upper()} held out",
               mae(s["hybrid"]["ice_lofo"][t]), mae(j["hybrid"]["ice_lofo"][t]),
               mae(j["hybrid"]["ice_lofo"][t]) <= mae(s["hybrid"]["ice_lofo"][t]) + 0.5)
              for t in fe.TESTS]
    print("\n### ship rule (shipped arm -> joint arm, %)")
    for name, a, b, ok in items:
        print(f"  {name:34s} {a:6.2f} -> {b:6.2f}  {'pass' if ok else 'FAIL'}")
    verdict = all(ok for *_, ok in items)
    print(f"  verdict: {'PASS' if verdict else 'FAIL'}"
          + ("" if "kei_checks" in s else " (item 4 not run)"))
    return verdict


#: Manual upshift speeds (rpm) of the ``transmission`` probe's manual-shift trials (the
#: EPA drives a manual at the maker's recommended shift speeds, 40 CFR 86.128-79, not at
#: the automatic's early upshift), each a grid dimension held out like the others.
MANUAL_SHIFT_GRID = (1500.0, 2000.0, 2500.0)


def _manual_grid(cars: list, c: dict, names: tuple[str, ...]) -> list:
    """Grid fits of :data:`RATIO_GRID` x :data:`MANUAL_SHIFT_GRID` (``shift_rpm_manual``
    in each grid point's base, so the hold-out chooses it per family)."""
    out = []
    for sm in MANUAL_SHIFT_GRID:
        cc = {**c, "ice": {**c["ice"], "shift_rpm_manual": sm}}
        grid = fe.ice_grid(cars, cc, RATIO_GRID, names=names)
        for g in grid:
            g.base = {**g.base, "shift_rpm_manual": sm}
        out += grid
    return out


def _transmission_trials() -> list[tuple[str, dict, tuple[str, ...], bool, Any]]:
    """(name, constants, fitted names, manual-shift grid, FIT_UB override or None)."""
    c = cal.fixed_constants()
    tcv = {**c, "ice": {**c["ice"], "tc_lockup_mph": 25.0}}
    spin = tuple(tt.SPIN_PREFIX + f for f in fe.ICE_CLASSES)
    ub_at = np.array(cal.FIT_UB, dtype=float)
    ub_at[cal.FIT_NAMES.index("eta_at")] = 0.99
    n = cal.FIT_NAMES
    return [("shipped", c, n, False, None),
            ("one layshaft efficiency (manual + DCT) fitted", c, (*n, "eta_layshaft"), False,
             None),
            ("manual and DCT efficiencies fitted", c, (*n, "eta_mt", "eta_dct"), False, None),
            ("manual upshift speed (grid)", c, n, True, None),
            ("manual upshift speed + layshaft efficiency", c, (*n, "eta_layshaft"), True,
             None),
            ("converter open below 25 mph, speed ratio fitted", tcv, (*n, "tc_speed_ratio"),
             False, None),
            ("automatic efficiency bound 0.95 -> 0.99", c, n, False, ub_at),
            ("manual and DCT efficiencies + automatic bound 0.99", c,
             (*n, "eta_mt", "eta_dct"), False, ub_at),
            ("spin loss per family (x rated torque) fitted", c, (*n, *spin), False, None)]


def _trial_lofo(name: str, cars: list, kei: ift.KeiFitRows, c: dict, grid: list
                ) -> tuple[dict, dict, np.ndarray]:
    """One trial's all-car fit, leave-one-family-out errors (``ice_lofo(exact=False)``,
    per test) and kei WLTC check errors; prints the trial's heading and fit."""
    lofo = fe.ice_lofo(cars, c, grid, exact=False)
    fit = fe.best_fit(grid)
    k_err = kei.predict(c, fit) / kei.measured - 1.0
    print(f"\n### {name}")
    print("  all-car fit: " + _fit_text(fit))
    return fit, {t: lofo.error(t) for t in fe.TESTS}, k_err


def transmission() -> None:
    """Transmission physics behind the within-family class offsets of ``floor`` (issue
    13): each trial refitted on every gasoline configuration and judged
    leave-one-family-out (``ice_lofo(exact=False)`` on :data:`RATIO_GRID`, x
    :data:`MANUAL_SHIFT_GRID` where named): FTP and HWFET MAE and bias per class, the
    class offsets within a family (each family's mean hold-out error removed) and the
    kei WLTC check with the all-car fit (not fitted)."""
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = ift.KeiFitRows.load()
    fam = np.array([car.family for car in cars])
    cls = np.array([car.cls for car in cars])
    print(f"{len(cars)} gasoline configurations ({len(set(fam))} families), "
          f"{len(kei.measured)} kei WLTC rows")
    for name, c, names, manual, ub in _transmission_trials():
        with (tt.active(),
              mock.patch.object(cal, "FIT_UB", cal.FIT_UB if ub is None else ub)):
            grid = (_manual_grid(cars, c, names) if manual
                    else fe.ice_grid(cars, c, RATIO_GRID, names=names))
            fit, e, k_err = _trial_lofo(name, cars, kei, c, grid)
        print(f"  lofo FTP {_ms(e['ftp'])}, HWFET {_ms(e['hwfet'])}; kei WLTC check "
              f"{_ms(k_err)}")
        for t in fe.TESTS:
            within = e[t].copy()
            for f in set(fam):
                within[fam == f] -= e[t][fam == f].mean()
            print(f"    {t:5s} " + "; ".join(
                f"{k} {_ms(e[t][cls == k])} offset {100 * within[cls == k].mean():+.2f} %"
                for k in fe.ICE_CLASSES))


@kat.with_trials
def converter_lockup() -> dict:
    """The four-speed automatic's lock-up rule (issue 13, 4 Dec 2026;
    :func:`kei_automatic_trials.trial_lockup`: converter locked in the top gear
    only, open in the lower gears while driving, at a fitted constant speed ratio
    ``tc_open_ratio`` (:func:`kei_automatic_trials.constant_speed_ratio`) or with the
    capacity law's slip and a fitted stall speed ``tc_stall_rpm``, the shipped
    :func:`keidesign.energy.powertrains.converter_speed_ratio`)
    against the converter locked in every gear (``tc_open_ratio`` held at 1): each
    refitted on every gasoline configuration and judged leave-one-family-out
    (``ice_lofo(exact=False)`` on :data:`RATIO_GRID`, 1-3 min each); FTP and HWFET
    MAE (bias) over all gasoline rows, the automatics, the 4-speed and the 5+-speed
    automatics, the kei WLTC check and the new-user Jimny pair with the all-car fit;
    then the 4-speed families' errors with and without the slip (stored constants)."""
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = ift.KeiFitRows.load()
    gears = np.array([pt.GEARS[car.trans] for car in cars])
    auto = np.array([car.cls == "automatic" for car in cars])
    groups = {"all gasoline": np.ones(len(cars), bool), "automatic": auto,
              "4-speed automatic": auto & (gears == 4), "5+-speed automatic": auto & (gears > 4)}
    c0 = cal.fixed_constants()
    trials = (("converter locked in every gear (shipped)",
               {**c0, "ice": {**c0["ice"], "tc_open_ratio": 1.0}}, cal.FIT_NAMES),
              ("4AT locked in top gear only, open speed ratio fitted", c0,
               (*cal.FIT_NAMES, "tc_open_ratio")),
              ("4AT locked in top gear only, capacity-law slip, stall speed fitted", c0,
               (*cal.FIT_NAMES, "tc_stall_rpm")))
    out = {}
    for name, c, names in trials:
        grid = fe.ice_grid(cars, c, RATIO_GRID, names=names)
        fit, e, k_err = _trial_lofo(name, cars, kei, c, grid)
        for g, m in groups.items():
            print(f"  lofo {g:20s} n={m.sum():3d}: FTP {_ms(e['ftp'][m])}, "
                  f"HWFET {_ms(e['hwfet'][m])}")
        print(f"  kei WLTC check (all-car fit): {_ms(k_err)}")
        print("  Jimny JB64 WLTC km/L (all-car fit; catalogue 5MT 16.2, 4AT 13.2): "
              + ", ".join(f"{k} {v:.2f}" for k, v in _jimny_wltc(c, fit).items()))
        out[name] = {"fit": fit, "lofo": e, "kei": k_err}
    _lockup_by_family([car for car, m in zip(cars, groups["4-speed automatic"],
                                             strict=True) if m],
                      out[trials[-1][0]]["fit"]["tc_stall_rpm"])
    return out


def _jimny_wltc(c: dict, fit: dict) -> dict[str, float]:
    """The new-user pass's Jimny JB64 5MT and 4AT (``tests/data/newuser``) through
    import and evaluate with the ICE constants of ``fit`` on ``c``."""
    import tempfile
    from pathlib import Path

    from keidesign.energy import constants as kc

    out = {}
    with kc.held(ice=cal.ice_section(c["ice"], fit)):
        for gear in ("5mt", "4at"):
            with tempfile.TemporaryDirectory() as tmp:
                run = newuser.run_spec(newuser.SPECS / f"suzuki_jimny_jb64_{gear}.toml",
                                       Path(tmp))
            out[gear] = float(run.outputs["energy:wltc_km_per_l"]["value"])
    return out


def _lockup_by_family(at4: list, stall_rpm: float) -> None:
    """FTP / HWFET mean error per 4-speed family, stored constants (in sample), the
    converter locked against the capacity-law slip at ``stall_rpm``."""
    c, fit, _ = cal.stored_fits()
    err = {}
    for ns in (0.0, stall_rpm):
        p = cal.predict_ice(at4, {**c, "ice": {**c["ice"], "tc_stall_rpm": ns}}, fit)
        err[ns] = {t: p[t] / np.array([car.measured[t] for car in at4]) - 1.0
                   for t in fe.TESTS}
    print(f"\n4-speed families, stored constants (in sample), locked -> stall "
          f"{stall_rpm:.0f} rpm, mean error:")
    for f in sorted({car.family for car in at4}):
        m = np.array([car.family == f for car in at4])
        print(f"  {f:20s} n={m.sum():2d}: " + "; ".join(
            f"{t} {100 * err[0.0][t][m].mean():+.1f} -> {100 * err[stall_rpm][t][m].mean():+.1f} %"
            for t in fe.TESTS))


def _finite(x: np.ndarray) -> np.ndarray:
    return x[np.isfinite(x)]


#: The shipped road-load pair before the (e) fit's model of the EV rows carried the
#: motor's coast-down drag (``road:crr``, ``road:crr_speed``, until 4 Dec 2026).
ROAD_PAIR_BEFORE_DRAG = {"road:crr": 0.0079, "road:crr_speed": 8.8e-5}


def _no_motor_drag(cars: list) -> np.ndarray:
    """:func:`keidesign.validation.roadload.motor_drag` switched off (the (e) fit before
    4 Dec 2026)."""
    return np.zeros((len(cars), 2))


def _roadload_rows(name: str, err: np.ndarray, groups: dict[str, np.ndarray]) -> None:
    for g, sel in groups.items():
        e = err[sel]
        print(f"    {name:10s} {g:9s} n={sel.sum():3d}  " + " / ".join(
            f"{np.mean(np.abs(e[:, j])):.2%} ({np.mean(e[:, j]):+.2%})" for j in range(3)))


def roadload_drag() -> None:
    """The road-load pair (e) fitted with the motor's coast-down drag in its model of the
    EPA BEV rows (issue 13, 4 Dec 2026: consistent with the design's BEV road load from
    specs) against the pair fitted without it (the EV rows predicted with the drag, as
    the design model since the drag's adoption): the pair, road load MAE (bias) at 20 /
    50 / 70 mph in sample and held out by family (all, gasoline, EV rows), then the
    specs-only chain (``roadload_chain``'s baseline: road-load pair and mass calibration
    held out, ICE/EV constants shipped) with each pair (~5 min)."""
    from keidesign.validation import roadload as rl

    cs = rl.cases()
    cs0 = [replace(c_, drag=(0.0, 0.0)) for c_ in cs]
    y = np.array([c_.target for c_ in cs])
    ev = np.array([c_.car.cls == "ev" for c_ in cs])
    groups = {"all": np.ones(len(cs), bool), "gasoline": ~ev, "EV": ev}
    f_old, f_new = rl.fit(cs0), rl.fit(cs)
    print(f"(e), {len(cs)} configurations ({ev.sum()} EV): c0 {f_old['c0']:.6f} -> "
          f"{f_new['c0']:.6f}, c1 {f_old['c1']:.4e} -> {f_new['c1']:.4e} s/m (pair fitted "
          "without -> with the drag on the EV rows); MAE (bias) at 20 / 50 / 70 mph")
    err_old, _ = rl.lofo(cs, lambda tr: rl.fit([replace(c_, drag=(0.0, 0.0)) for c_ in tr]),
                         lambda sub, f: rl.predict(sub, f["c0"], f["c1"]))
    err_new = rl.validate(cs)["lofo"]
    for name, f, lofo_err in (("without", f_old, err_old), ("with", f_new, err_new)):
        print(f"  pair fitted {name} the drag (EV rows predicted with it):")
        _roadload_rows("fit", rl.predict(cs, f["c0"], f["c1"]) / y - 1.0, groups)
        _roadload_rows("held out", lofo_err, groups)
    cars = so.cases(hybrids=False)
    has = np.array([bool(us_specs_for(c_).row.get("cd")) for c_ in cars])
    print(f"specs-only chain, {len(cars)} configurations, road-load pair and mass "
          "calibration refitted without the family, ICE/EV constants shipped; MAE (bias):")
    for title, patch, pair in (("pair without the drag", _no_motor_drag,
                                ROAD_PAIR_BEFORE_DRAG), ("pair with the drag", None, None)):
        with mock.patch.object(rl, "motor_drag", patch or rl.motor_drag):
            rp._holdout.cache_clear()
            fams = rp._holdout().road
            ov = {i: pair for i, c_ in enumerate(cars) if pair and c_.family not in fams}
            cc = rp.chain(ov)
        rp._summary(title, [c_.case for c_ in cc], has)
    rp._holdout.cache_clear()


def roadload() -> None:
    for part in (rp.low_speed, rp.correlations, rp.trials, rp.cd_defaults, rp.decomposition):
        part()


def roadload_label() -> None:
    """``roadload_label`` (~10 minutes): :func:`roadload_probe.label_set`, then what the
    road load takes from the label on that set: the chain again with the EPA test car's
    measured ETW and target coast-down swapped in (:func:`chain_variant_cases`; road-load
    pair and mass calibration held out by family, ICE constants shipped), the label
    combined's MAE (bias) by :func:`roadload_probe.label_groups`, and the bias parts of
    test mass and road load (the two orders averaged, as :func:`label_parts`), each
    group's share of the whole set's bias in points."""
    rp.label_set()
    cc = rp.label_set_chain()
    ca = rp.ChainArrays.of(cc)
    groups = rp.label_groups(ca)
    ho = rp._holdout()
    runs = chain_variant_cases([c.case.car for c in cc],
                               so.HoldOut(road=ho.road, mass=ho.mass))
    err = {k: so.errors(v)["comb"] for k, v in runs.items()}
    n = len(cc)
    print("  label combined from specs (ICE constants shipped), MAE (bias) from specs / "
          "with the measured coast-down; bias parts, points of the group's mean and "
          "(share of the whole set's bias):")
    for g, m in groups:
        def part(a: str, b: str, c: str, d: str, m=m) -> np.ndarray:
            return 0.5 * (err[a][m] - err[b][m] + err[c][m] - err[d][m])
        road, mass = part("specs", "coast", "etw", "both"), part("specs", "etw", "coast",
                                                                  "both")
        print(f"    {g:18s} n={m.sum():3d}: {_ms(err['specs'][m])} / {_ms(err['coast'][m])}; "
              f"road load {100 * road.mean():+.2f} ({100 * road.sum() / n:+.2f}), test mass "
              f"{100 * mass.mean():+.2f} ({100 * mass.sum() / n:+.2f})")


def jc08() -> None:
    from keidesign.design import load_design
    from keidesign.validation import report

    rows = cal.kei_jc08_check(report.DESIGN_DIR)
    print("\n".join(report._jc08_markdown(rows)))
    print("\nJC08 / WLTC ratio, catalogue vs model (km/L rows with both figures):")
    trucks = {(m, v): (stem, ch) for stem, m, v, ch, _c, _n in cal.KEI_TRUCK_CASES}
    trucks |= {(m, v): (stem, ch) for stem, m, v, ch in cal.KEI_TRUCK_JC08_CASES}
    kei = {(r["model"], r["variant"]): r for r in cal.kei_rows()}
    tr = {(r["model"], r["variant"]): r for r in cal.kei_truck_rows()}
    for k in rows:
        if k["unit"] != "km/L" or k["wltc_error"] is None:
            continue
        src = kei.get((k["model"], k["variant"])) or tr[(k["model"], k["variant"])]
        cat = float(src["jc08_km_per_L"]) / float(src["wltc_km_per_L"])
        mod = k["predicted"] / (float(src["wltc_km_per_L"]) * (1.0 + k["wltc_error"]))
        print(f"  {k['model']} {k['variant'][:40]}: catalogue {cat:.3f}, model {mod:.3f}")
    print("\nTrucks' JC08 at the goods WLTC test mass (curb + 200.8 kg) instead of curb + "
          "110 kg:")
    for k in rows:
        if k["set"] != "trucks":
            continue
        key = (k["model"], k["variant"])
        if key in trucks:
            stem, ch = trucks[key]
        else:
            stem, ch = next((c[2], {}) for c in cal.KEI_EV_JC08_CASES if c[0] == k["model"])
        d = load_design(report.DESIGN_DIR / f"{stem}.toml").replace(
            **ch, **{"mass:curb_measured": k["curb"] + 90.8})
        o = cal._evaluate(d)
        name = "energy:jc08_wh_per_km" if k["unit"] == "Wh/km" else "energy:jc08_km_per_l"
        v = float(o[name][0])
        print(f"  {k['model']} {k['variant'][:40]}: {v:.1f} {k['unit']} "
              f"({_pct(v / k['measured'] - 1)} against {k['measured']:.1f})")


def _technology() -> None:
    import technology  # benchmarks/technology.py

    technology.report()


def _transmission_mass() -> None:
    import transmission_mass  # benchmarks/transmission_mass.py

    transmission_mass.main()


def _twin_ratio() -> None:
    """``benchmarks/twin_ratio.py``: the automatic (CVT, DCT) / manual twin ratio, published
    against the model's, with the lofo constants on :data:`RATIO_GRID`."""
    twin_ratio.main(RATIO_GRID)


def _cvt_absent(c: dict, fit: dict) -> list[tuple[str, float, float]]:
    """The ``absent_families`` CVT rows and their manual twins from specs (``import spec
    --predict``, ``evaluate``) with the ICE constants of ``fit`` on ``c``: ``(config,
    published label combined, model)`` per row (the independent check, never fitted)."""
    from keidesign.energy import constants as kc

    rows = absent_families.rows()
    cvt = [r for r in rows if r["transmission"] == "cvt" and not r["motor_kw"]]
    keys = {(r["family"], r["model_year"], r["displacement_cm3"]) for r in cvt}
    sel = cvt + [r for r in rows if r["transmission"] == "manual" and not r["motor_kw"]
                 and (r["family"], r["model_year"], r["displacement_cm3"]) in keys]
    with kc.held(ice=cal.ice_section(c["ice"], fit)):
        res = absent_families.run(sel)
    return [(it["row"]["config"], absent_families.published(it["row"], "combined"),
             it["pred"].get("combined", float("nan"))) for it in res]


def _ratio_err(model: list[dict], meas: list[dict], t: str) -> list[float]:
    """Twin ratio errors ``model / measured - 1`` of test ``t``, per twin."""
    return [r[t] / m[t] - 1.0 for r, m in zip(model, meas, strict=True)]


def _side_err(twins: list, side: str, pred: dict, t: str) -> list[float]:
    """Per twin the mean error of test ``t`` of its ``side`` (``other``, ``manual``);
    ``pred`` keyed by ``id(car)``."""
    return [float(np.mean([pred[id(x)][t] / x.tests[t] - 1.0 for x in getattr(tw, side)]))
            for tw in twins]


def cvt_losses_probe(exact: bool = False, trials: tuple[str, ...] | None = None) -> dict:
    """The CVT's load-independent losses (issue 13; ``benchmarks/cvt_losses.py``): the
    shipped constant efficiency against a pump loss (``spin_cvt``: a constant input drag
    torque x rated torque, the CVT family alone) and a belt (clamping) loss ``k_belt T_r
    w_p / (1 + i)``, each refitted on every gasoline configuration and judged
    leave-one-family-out (``ice_lofo(exact=False)`` on :data:`RATIO_GRID`, 2-4 min
    each): all gasoline and CVT FTP / HWFET MAE (bias), the CVT / manual twin ratio
    error (``twin_ratio``'s EPA test-car twins, held-out predictions), the kei WLTC
    check (all-car fit) and the ``absent_families`` CVT rows (all-car fit, from specs).
    ``exact``: the hold-out's full least squares per family (``ice_lofo(exact=True)``,
    ~7 min a trial on 2 shared cores) instead of the one step, which clips a constant
    the all-car fit left at a bound (``spin_cvt`` at 0, ``eta_cvt`` at 0.98 with the
    belt loss) after a step taken as if unbounded; ``trials``: the trial names' first
    words to run (all)."""
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = ift.KeiFitRows.load()
    cls = np.array([car.cls for car in cars])
    twins = [tw for tw in twin_ratio.testcar_twins(cars) if tw.cls == "cvt"]
    meas = [tw.measured() for tw in twins]
    c = cal.fixed_constants()
    n = cal.FIT_NAMES
    trials_all = (("shipped (refitted)", n), ("pump loss spin_cvt (x T_r w_p) fitted",
                                          (*n, "spin_cvt")),
              ("belt loss k_belt (x T_r w_p / (1 + i)) fitted", (*n, cvt_losses.BELT)))
    trials = tuple(t for t in trials_all if trials is None or t[0].split()[0] in trials)
    out = {}
    print(f"{'exact' if exact else 'one-step'} hold-out; "
          f"{len(cars)} gasoline configurations ({(cls == 'cvt').sum()} CVT), "
          f"{len(twins)} CVT / manual twins, {len(kei.measured)} kei WLTC rows")
    for name, names in trials:
        with cvt_losses.active():
            grid = fe.ice_grid(cars, c, RATIO_GRID, names=names)
            lofo = fe.ice_lofo(cars, c, grid, exact=exact)
            fit = fe.best_fit(grid)
            k_err = kei.predict(c, fit) / kei.measured - 1.0
            absent = _cvt_absent(c, fit)
            p_in = cal.predict_ice(cars, c, fit)
        # per car: ``TestCar.key`` is not unique (649 configurations, 542 keys); the twin
        # ratios take twin_ratio's per-car predictions (by key and EPA test numbers,
        # :mod:`testcar_id`), the sides' and the class errors here are per car object
        pin = {id(x): {t: float(p_in[t][i]) for t in fe.TESTS} for i, x in enumerate(cars)}
        e = {t: lofo.error(t) for t in fe.TESTS}
        held = twin_ratio.model_ratios(twins, twin_ratio._per_car(cars, lofo.predicted))
        ins = twin_ratio.model_ratios(twins, twin_ratio._per_car(cars, p_in))
        tw_err = {t: np.array([h[t] / m[t] - 1.0 for h, m in zip(held, meas, strict=True)])
                  for t in (*fe.TESTS, "comb")}
        print(f"\n### {name}")
        print("  all-car fit: " + _fit_text(fit))
        print(f"  lofo all gasoline FTP {_ms(e['ftp'])}, HWFET {_ms(e['hwfet'])}")
        m = cls == "cvt"
        print(f"  lofo CVT (n={m.sum()}) FTP {_ms(e['ftp'][m])}, HWFET {_ms(e['hwfet'][m])}")
        for k in ("manual", "automatic", "dct"):
            mk = cls == k
            print(f"  lofo {k} (n={mk.sum()}) FTP {_ms(e['ftp'][mk])}, "
                  f"HWFET {_ms(e['hwfet'][mk])}")
        print("  CVT / manual twin ratio error (lofo), FTP / HWFET / comb mean: "
              + " / ".join(f"{100 * tw_err[t].mean():+.2f}" for t in (*fe.TESTS, "comb"))
              + f" %; comb MAE {100 * np.abs(tw_err['comb']).mean():.2f} %")
        print("  in sample (all-car fit): twin ratio error FTP / HWFET / comb "
              + " / ".join(f"{100 * np.mean(_ratio_err(ins, meas, t)):+.2f}"
                           for t in (*fe.TESTS, "comb"))
              + " %; twin sides' error CVT / manual, FTP / HWFET: " + "; ".join(
                  " / ".join(f"{100 * np.mean(_side_err(twins, side, pin, t)):+.2f}"
                             for t in fe.TESTS) for side in ("other", "manual"))
              + " %; CVT class MAE (bias) FTP / HWFET " + " / ".join(
                  _ms(np.array([pin[id(x)][t] / x.tests[t] - 1 for x in cars
                                if x.cls == "cvt"])) for t in fe.TESTS))
        print(f"  kei WLTC check (all-car fit): {_ms(k_err)}")
        print("  absent_families CVT rows and manual twins, label combined published / "
              "model (error): " + "; ".join(
                  f"{k} {p:.1f} / {v:.1f} ({100 * (v / p - 1):+.1f} %)" for k, p, v in absent))
        out[name] = {"fit": fit, "lofo": e, "twins": tw_err, "kei": k_err, "absent": absent}
    return out


#: scales of the makers' upshift speeds (``cvt_cruise.SLINGSHOT_MPH``) held out as a grid
#: dimension by the ``cvt_cruise`` probe's ``scaled`` trial
SCHEDULE_SCALES = (0.7, 0.85, 1.0)


def _schedule_grid(cars: list, c: dict, names: tuple[str, ...],
                   scales: tuple[float, ...] = SCHEDULE_SCALES) -> list:
    """Grid fits of :data:`RATIO_GRID` x ``scales`` (the scaled schedule on
    accelerations in each grid point's base, so the hold-out chooses it per family, as
    :func:`_manual_grid` does with the upshift speed)."""
    out = []
    for k in scales:
        sched = {cvt_cruise.SCHEDULE: tuple(k * v for v in cvt_cruise.SLINGSHOT_MPH),
                 cvt_cruise.ACCEL_ONLY: True}
        grid = fe.ice_grid(cars, {**c, "ice": {**c["ice"], **sched}}, RATIO_PAIRS,
                           names=names)
        for g in grid:
            g.base = {**g.base, **sched}
        out += grid
    return out


def _kei_manuals(trials: dict[str, tuple[dict, dict]]) -> None:
    """MLIT's kei manuals (``mlit_kei``'s sample, WLTC, transmission class manual) run as
    that probe runs them, under each trial's ``[ice]`` constants (``trials``: name ->
    (the ``[ice]`` section, the all-car fit)) inside the ``cvt_cruise`` swap: WLTC error
    from specs alone and at the published curb mass. Never fitted; the schedule is an
    EPA-procedure rule, run here on the WLTC as the kernel would run it."""
    import tempfile

    from keidesign.energy import constants as kc

    chosen = [c for c in mlit_kei.sample(mlit_kei.cases()[0]) if c["trans_class"] == "manual"]
    errs = {}
    for name, (ice, fit) in trials.items():
        e = []
        with cvt_cruise.active(), kc.held(ice=cal.ice_section(ice, fit)), \
                tempfile.TemporaryDirectory() as d:
            for c in chosen:
                r = mlit_kei.run(c, Path(d))
                pub = float(c["row"]["wltc_max_km_per_L"])
                e.append((r["wltc_pred"] / pub - 1.0, r["wltc_pub_mass"] / pub - 1.0))
        errs[name] = np.array(e)
        print(f"  MLIT kei manuals (n={len(chosen)}), WLTC, {name}: specs alone "
              f"{_ms(errs[name][:, 0])}, at the published curb {_ms(errs[name][:, 1])}")
    for i, c in enumerate(chosen):
        r = c["row"]
        print(f"    {r['name']} {r['type']} {r['transmission']} {r['drive']} "
              f"{'turbo' if c['turbo'] else 'NA'}: at the published curb "
              + " -> ".join(f"{100 * errs[k][i, 1]:+.1f}" for k in errs) + " %")


def _without_schedule(fit: dict) -> dict:
    """``fit`` with the schedule's keys dropped: the refitted constants with the shipped
    gear rule, the schedule scoped to the EPA cycles when the cycle run is not one."""
    return {k: v for k, v in fit.items() if k not in (cvt_cruise.SCHEDULE,
                                                       cvt_cruise.ACCEL_ONLY)}


def cvt_cruise_probe(trials: tuple[str, ...] | None = None, exact: bool = False,
                     scales: tuple[float, ...] = SCHEDULE_SCALES) -> dict:
    """The CVT / manual HWFET split, the kinematics (issue 13; ``benchmarks/cvt_cruise.py``,
    whose docstring gives the rule written before the run): the shipped CVTs' engine
    speed at 50 / 60 mph and on the HWFET's cruise against the top-ratio floor (N/V),
    the CVT twins' manuals' upshift speeds on the FTP and top-gear share on the HWFET,
    then the trials (the CVT operating line ``cvt_load`` fitted; the manual shifted by
    the makers' recommended upshift speeds, on every interval or on the
    accelerations only, and on accelerations with those speeds x 0.85 and x 1.15 as a
    sensitivity; both), each refitted on every gasoline
    configuration and held out by family (``ice_lofo(exact=False)`` on
    :data:`RATIO_GRID`): all gasoline and per class FTP / HWFET MAE (bias), the CVT /
    manual twin ratio error (held out, ``twin_ratio``'s per-car predictions) and its
    sides, the kei WLTC check (all-car fit). ``trials``: the trial names' first words;
    ``exact``: the full least squares per family (``ice_lofo(exact=True)``, ~7-10 min a
    trial on 2 shared cores; probe ``cvt_cruise_exact``: ``accel``, against the shipped
    rule's exact row of ``cvt_losses_exact``)."""
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = ift.KeiFitRows.load()
    cls = np.array([car.cls for car in cars])
    twins = [tw for tw in twin_ratio.testcar_twins(cars) if tw.cls == "cvt"]
    meas = [tw.measured() for tw in twins]
    c0, fit0, _ = cal.stored_fits()
    seen: set = set()
    cvt_cars = [x for tw in twins for x in tw.other[:1]
                if not (x.key in seen or seen.add(x.key))]
    mt_cars = [x for tw in twins for x in tw.manual[:1]
               if not (x.key in seen or seen.add(x.key))]
    print(f"stored (shipped) fit: kei WLTC check "
          f"{_ms(kei.predict(c0, fit0) / kei.measured - 1.0)}")
    rows = cvt_cruise.cruise_table(cvt_cars, c0, fit0)
    print(f"CVT side of the {len(twins)} CVT / manual twins ({len(cvt_cars)} cars), shipped "
          "constants: engine speed, rpm (operating line / top-ratio floor / model)")
    for r in rows:
        print(f"  {r['car'].key[:52]:52s} N/V {r['nv']:4.1f} | 50 mph "
              + " / ".join(f"{v:4.0f}" for v in r[50.0]) + " | 60 mph "
              + " / ".join(f"{v:4.0f}" for v in r[60.0])
              + f" | HWFET cruise {r['hwfet']:4.0f} (floor {r['hwfet_floor']:4.0f})")
    on = np.mean([r[60.0][2] <= r[60.0][1] * 1.001 for r in rows])
    print(f"  mean N/V {np.mean([r['nv'] for r in rows]):.1f} rpm/mph; 60 mph model "
          f"{np.mean([r[60.0][2] for r in rows]):.0f} rpm (on the floor in {100 * on:.0f} %), "
          f"operating line {np.mean([r[60.0][0] for r in rows]):.0f}; HWFET cruise "
          f"{np.mean([r['hwfet'] for r in rows]):.0f} against the floor "
          f"{np.mean([r['hwfet_floor'] for r in rows]):.0f} rpm")
    srows = cvt_cruise.shift_table(mt_cars, c0, fit0)
    print(f"\nManual side ({len(mt_cars)} cars): the shipped rule's FTP upshift speeds "
          "(mph, median) and the HWFET cruise (top-gear share, rpm); makers' recommended "
          "(Slingshot) " + "/".join(f"{v:.0f}" for v in cvt_cruise.SLINGSHOT_MPH))
    for r in srows:
        print(f"  {r['car'].key[:52]:52s} N/V {r['nv']:4.1f} | "
              + "/".join(f"{v:4.1f}" for v in r["up"])
              + f" | top {r['top']:.2f}, {r['hwfet_rpm']:4.0f} rpm")
    ups = [[r["up"][g] for r in srows if len(r["up"]) > g and np.isfinite(r["up"][g])]
           for g in range(5)]
    print("  median upshift mph " + " / ".join(f"{g + 1}-{g + 2} {np.median(u):.1f}"
                                                for g, u in enumerate(ups) if u))
    n = cal.FIT_NAMES
    sched = {cvt_cruise.SCHEDULE: cvt_cruise.SLINGSHOT_MPH}
    trials_all = (("shipped (refitted)", n, {}),
                  ("cvt_load fitted (CVT operating line)", (*n, cvt_cruise.CVT_LOAD), {}),
                  ("schedule (the manual by the makers' upshift speeds)", n, sched),
                  ("both", (*n, cvt_cruise.CVT_LOAD), sched),
                  ("accel (the makers' upshift speeds on accelerations only)", n,
                   {**sched, cvt_cruise.ACCEL_ONLY: True}),
                  *((f"accel_x{k:g} (sensitivity: those speeds x {k:g}, on accelerations)",
                     n, {cvt_cruise.SCHEDULE: tuple(k * v for v in cvt_cruise.SLINGSHOT_MPH),
                         cvt_cruise.ACCEL_ONLY: True}) for k in (0.85, 1.15)),
                  ("scaled (those speeds x " + " / ".join(f"{k:g}" for k in scales)
                   + " on accelerations, the scale a grid dimension the hold-out chooses "
                   "per family)", n, "scaled"))
    trials = tuple(t for t in trials_all if trials is None or t[0].split()[0] in trials)
    out = {}
    for name, names, extra in trials:
        c = {**c0, "ice": {**c0["ice"], **(extra if isinstance(extra, dict) else {})}}
        with cvt_cruise.active():
            grid = (_schedule_grid(cars, c, names, scales) if extra == "scaled" else
                    fe.ice_grid(cars, c, RATIO_GRID, names=names))
            lofo = fe.ice_lofo(cars, c, grid, exact=exact)
            fit = fe.best_fit(grid)
            k_err = kei.predict(c, fit) / kei.measured - 1.0
            p_in = cal.predict_ice(cars, c, fit)
        pin = {id(x): {t: float(p_in[t][i]) for t in fe.TESTS} for i, x in enumerate(cars)}
        ph = {id(x): {t: float(lofo.predicted[t][i]) for t in fe.TESTS}
              for i, x in enumerate(cars)}
        e = {t: lofo.error(t) for t in fe.TESTS}
        held = twin_ratio.model_ratios(twins, twin_ratio._per_car(cars, lofo.predicted))
        tw_err = {t: np.array(_ratio_err(held, meas, t)) for t in (*fe.TESTS, "comb")}
        print(f"\n### {name}{' (exact hold-out)' if exact else ''}")
        print("  all-car fit: " + ", ".join(
            f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in fit.items()))
        print(f"  lofo all gasoline FTP {_ms(e['ftp'])}, HWFET {_ms(e['hwfet'])}")
        for k in ("cvt", "manual", "automatic", "dct"):
            mk = cls == k
            print(f"  lofo {k} (n={mk.sum()}) FTP {_ms(e['ftp'][mk])}, "
                  f"HWFET {_ms(e['hwfet'][mk])}")
        print("  CVT / manual twin ratio error (lofo), FTP / HWFET / comb mean: "
              + " / ".join(f"{100 * tw_err[t].mean():+.2f}" for t in (*fe.TESTS, "comb"))
              + f" %; split HWFET - FTP {100 * (tw_err['hwfet'] - tw_err['ftp']).mean():+.2f}"
              + f" points; comb MAE {100 * np.abs(tw_err['comb']).mean():.2f} %")
        print("  twin sides' held-out error CVT / manual, FTP / HWFET: " + "; ".join(
            " / ".join(f"{100 * np.mean(_side_err(twins, side, ph, t)):+.2f}"
                       for t in fe.TESTS) for side in ("other", "manual"))
              + " % (in sample: " + "; ".join(
                  " / ".join(f"{100 * np.mean(_side_err(twins, side, pin, t)):+.2f}"
                             for t in fe.TESTS) for side in ("other", "manual")) + " %)")
        print(f"  kei WLTC check (all-car fit): {_ms(k_err)}")
        if extra == "scaled":
            print("  scale chosen per held-out family: " + ", ".join(
                f"x{k:g} {n_k}" for k, n_k in _chosen_scales(lofo).items()))
            with cvt_cruise.active():
                k_epa = kei.predict(c, _without_schedule(fit)) / kei.measured - 1.0
            print(f"  kei WLTC check, the schedule scoped to the EPA cycles (the WLTC on the "
                  f"shipped gear rule, the refitted constants): {_ms(k_epa)}")
            for i in np.flatnonzero([s.trans in cvt_cruise.SCOPE_TRANS for s in kei.specs]):
                print(f"    {kei.name[i]} ({kei.specs[i].trans}): every cycle "
                      f"{100 * k_err[i]:+.1f} %, EPA cycles only {100 * k_epa[i]:+.1f} %")
        out[name] = {"fit": fit, "lofo": e, "twins": tw_err, "kei": k_err, "ice": c["ice"]}
    kei_trials = {k.split()[0]: (v["ice"], v["fit"]) for k, v in out.items()
                  if k.split()[0] in ("shipped", "accel")}
    if len(kei_trials) == 2:
        print("\n### MLIT's kei manuals under the trials' all-car fits (WLTC, never fitted)")
        _kei_manuals(kei_trials)
    scaled = next((v for k, v in out.items() if k.split()[0] == "scaled"), None)
    if scaled is not None and len(out) == 1:
        print("\n### MLIT's kei manuals: the stored fit, the scaled schedule's all-car fit on "
              "every cycle and scoped to the EPA cycles (WLTC, never fitted)")
        _kei_manuals({"stored": (c0["ice"], fit0),
                      "every_cycle": (scaled["ice"], scaled["fit"]),
                      "epa_only": (scaled["ice"], _without_schedule(scaled["fit"]))})
    return out


def cvt_cruise_scope() -> None:
    """The manual schedule's scope on the Japanese cycles (issue 13;
    ``benchmarks/cvt_cruise.py``: :func:`cvt_cruise.japan_gear_table`): per manual of
    the CVT / manual twins (EPA test-car inputs) and of the kei WLTC check, on the WLTC
    (Japan's WLTC mode) and the JC08, the upshift speeds of the shipped rule, of UN GTR
    No. 15 Annex 2's initial gear rule (``n_min_drive`` from idle and rated speed, 10 %
    power margin; :func:`cvt_cruise.gtr15_gear_index`) and of the candidate schedule
    (the makers' speeds x 0.85 on accelerations), and how often the shipped and the
    schedule's gear equal the GTR 15 rule's (stored constants; ~20 s)."""
    from keidesign.energy import vehicle as ev

    c0, fit0, _ = cal.stored_fits()
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    twins = [tw for tw in twin_ratio.testcar_twins(cars) if tw.cls == "cvt"]
    seen: set = set()
    mt_cars = [x for tw in twins for x in tw.manual[:1]
               if not (x.key in seen or seen.add(x.key))]
    rows = [(car.key[:44], cvt_cruise._params(car, c0), car.trans, bool(car.turbo), "3b")
            for car in mt_cars]
    kei = ift.KeiFitRows.load()
    for i, spec in enumerate(kei.specs):
        if spec.trans in cvt_cruise.SCOPE_TRANS:
            q = {k: np.array([[v]], dtype=float) for k, v in spec.quantities().items()}
            x = ev.kernel_params("ice", spec.trans, q)
            m_jp = ev.wltc_test_mass(spec.mass_test, spec.goods_payload, c0)
            rows.append((f"kei check: {kei.name[i]}",
                         ev._scaled(x, m_jp / spec.mass_test), spec.trans, spec.turbo,
                         spec.wltc_class))
    sched = tuple(0.85 * v for v in cvt_cruise.SLINGSHOT_MPH)
    table = cvt_cruise.japan_gear_table(rows, c0, fit0, sched)
    for cyc in ("wltc", "jc08"):
        print(f"\n### {cyc.upper()}: upshift speeds, mph (medians over the accelerations): "
              "shipped | GTR 15 Annex 2 initial rule | schedule x 0.85 on accelerations; "
              "share of moving seconds (accelerations) where the gear equals the GTR 15 "
              "rule's: shipped, schedule; mean engine rpm moving")
        for r in table:
            d = r[cyc]
            print(f"  {r['name'][:52]:52s} {r['trans']} n_min_drive {r['n_min_drive']:4.0f} | "
                  + " | ".join("/".join(f"{v:4.1f}" for v in d[k])
                               for k in ("shipped", "gtr15", "schedule"))
                  + f" | same {100 * d['same_shipped']:3.0f} % ({100 * d['same_shipped_acc']:3.0f})"
                  + f", {100 * d['same_schedule']:3.0f} % ({100 * d['same_schedule_acc']:3.0f})"
                  + " | rpm " + "/".join(f"{v:4.0f}" for v in d["rpm"].values()))
        epa = [r for r in table if not r["name"].startswith("kei")]
        for k in ("shipped", "gtr15", "schedule"):
            ups = [[r[cyc][k][g] for r in epa if len(r[cyc][k]) > g
                    and np.isfinite(r[cyc][k][g])] for g in range(5)]
            print(f"  median over the {len(epa)} EPA manuals, {k}: " + " / ".join(
                f"{g + 1}-{g + 2} {np.median(u):.1f}" for g, u in enumerate(ups) if u))
        for k in ("same_shipped", "same_schedule", "same_shipped_acc", "same_schedule_acc"):
            print(f"  mean {k}: {100 * np.mean([r[cyc][k] for r in epa]):.0f} %")
        print("  mean rpm moving shipped / GTR 15 / schedule: " + " / ".join(
            f"{np.mean([r[cyc]['rpm'][k] for r in epa]):.0f}"
            for k in ("shipped", "gtr15", "schedule")))
        print(f"  GTR 15 n_min_drive over the EPA manuals: "
              f"{min(r['n_min_drive'] for r in epa):.0f}-"
              f"{max(r['n_min_drive'] for r in epa):.0f} rpm (shipped shift_rpm "
              f"{cal._ice_kernel_consts(c0, fit0)['shift_rpm']:.0f})")


def _chosen_scales(lofo: Any) -> dict[float, int]:
    """How many held-out groups chose each schedule scale (their fit's first upshift
    speed over the Slingshot's)."""
    out: dict[float, int] = {}
    for fit in lofo.extra["fits"].values():
        k = round(fit[cvt_cruise.SCHEDULE][0] / cvt_cruise.SLINGSHOT_MPH[0], 3)
        out[k] = out.get(k, 0) + 1
    return dict(sorted(out.items()))


def _manual_residuals() -> None:
    import manual_residuals  # benchmarks/manual_residuals.py

    manual_residuals.main()


def _gasoline_residuals() -> None:
    import gasoline_residuals  # benchmarks/gasoline_residuals.py

    gasoline_residuals.run()


def _willans_e() -> None:
    import willans_trial  # benchmarks/willans_trial.py

    willans_trial.main()


def _coastdown_a() -> None:
    import coastdown_a  # benchmarks/coastdown_a.py

    coastdown_a.run()


def _coastdown_a_trial() -> None:
    import coastdown_a  # benchmarks/coastdown_a.py

    coastdown_a.trial()


def ev_twins() -> None:
    """The EV motor's coast-down drag checked on the EV / ICE twins of the EPA data
    (issue 13; :mod:`keidesign.validation.evtwins`): per pair the EV-minus-ICE target
    force at 20 / 50 / 70 mph against the model's mass, aero, tyre (none) and drag parts,
    and the drag the pairs show (mean residual, its speed growth, leave-one-pair-out),
    then against the ICE rows of one transmission class at a time."""
    from keidesign.validation import evtwins as et
    from keidesign.validation import roadload as rl

    res = et.twins()

    def f3(x: Any) -> str:
        return "/".join(f"{v:+.0f}" for v in x)

    def a3(x: Any) -> str:
        return "/".join(f"{v:.0f}" for v in x)
    print(f"{len(res)} EV / ICE pairs (same body and generation); forces EV minus ICE, N "
          "at 20/50/70 mph; the model is (e)'s: mass g (c0 + c1 v) dETW, aero rho v^2 "
          "d(Cd A) / 2 (published Cd; * = the ICE's or both missing, taken equal), no "
          "tyre term; residual = measured - mass - aero")
    for x in res:
        p = x.pair
        cds = "/".join("-" if np.isnan(c) else f"{c:.3f}" for c in x.cd)
        print(f"  {p.ev_year} {x.ev[0].model} ({len(x.ev)}) vs {p.ice_family} "
              f"{p.ice_years[0]}-{p.ice_years[1]} ({len(x.ice)}: "
              f"{', '.join(sorted({c.cls for c in x.ice}))}); {p.body}; ETW "
              f"{np.mean([c.etw for c in x.ev]):.0f} / {np.mean([c.etw for c in x.ice]):.0f}"
              f" kg; Cd {cds}{'' if x.cd_published else '*'}; tyres "
              f"{x.tyres[0] or '-'} / {x.tyres[1] or '-'}; the ICE rows' targets at 50 mph "
              f"span {np.ptp([c.road_load(50 * rl.MPH) for c in x.ice]):.0f} N")
        print(f"    measured {f3(x.measured)} | model: mass {f3(x.mass)}, aero {f3(x.aero)},"
              f" drag {f3(x.drag)}; without {f3(x.model_without)}, with "
              f"{f3(x.model_with)} | residual {f3(x.residual)}")
    sets = (("both Cd published", [x for x in res if x.cd_published]),
            ("all pairs (a missing Cd taken as the twin's)", res),
            ("same published tyre size", [x for x in res if x.cd_published
                                          and x.tyres[0] == x.tyres[1]]))
    for name, sub in sets:
        if len(sub) < 2:
            continue
        s = et.drag_scale(sub)
        meas = np.array([x.measured for x in sub])
        mae = {k: np.abs(meas - np.array([getattr(x, k) for x in sub])).mean(0)
               for k in ("model_without", "model_with")}
        ev_f = np.mean([[np.mean([c.road_load(u * rl.MPH) for c in x.ev]) for u in
                         rl.SPEEDS_MPH] for x in sub], 0)
        print(f" {name}, {len(sub)} pairs (EV target {a3(ev_f)}): measured "
              f"{f3(meas.mean(0))}, model without the "
              f"drag {f3(np.mean([x.model_without for x in sub], 0))} (MAE "
              f"{a3(mae['model_without'])}), with {f3(np.mean([x.model_with for x in sub], 0))}"
              f" (MAE {a3(mae['model_with'])})")
        print(f"   residual {f3(s['residual'])} +/- " + a3(s["sem"])
              + f" (s.e.) against the drag {f3(s['drag'])}: ratio "
              + "/".join(f"{v:.2f}" for v in s["ratio"]) + " (leave one pair out at 50 mph "
              f"{s['ratio_lopo'][:, 1].min():.2f} to {s['ratio_lopo'][:, 1].max():.2f}); "
              f"speed growth beta {s['beta']:.2f} ({s['beta_lopo'].min():.2f} to "
              f"{s['beta_lopo'].max():.2f})")
    # the ICE twin's transmission in neutral: the same pairs against one class at a time
    print(" the pairs with both Cd published against the ICE rows of one transmission class"
          " (residual / drag at 50 mph, N, per pair):")
    cars = tc.test_cars()
    fit = rl.fit(rl.cases(list(cars)))
    for cls in ("manual", "automatic", "dct", "cvt", "hybrid"):
        sub = [x for x in et.twins(tuple(c for c in cars if c.cls in ("ev", cls)), fit=fit)
               if x.cd_published]
        if sub:
            print(f"   {cls:9s} {len(sub)} pairs: " + ", ".join(
                f"{x.ev[0].model} {x.pair.ev_year} {x.residual[1]:+.0f} / {x.drag[1]:.0f}"
                for x in sub) + f"; mean {np.mean([x.residual[1] for x in sub]):+.0f} / "
                f"{np.mean([x.drag[1] for x in sub]):.0f}")


def _before_drag(probe: Any) -> Any:
    """``probe`` run on the model before the motor's coast-down drag in a BEV's road load
    from specs (:func:`_no_drag`): the EV probes that document the earlier steps keep
    the figures docs/validation.md quotes from them."""
    def run() -> None:
        with mock.patch.object(pt, "coastdown_drag", _no_drag):
            probe()
    return run


def open_body() -> None:
    """The ``open_body`` probe (module docstring)."""
    import tempfile
    import tomllib
    from pathlib import Path

    from keidesign.mass import open_body as ob
    from keidesign.units import convert
    specs = [p for p in newuser.spec_files()
             if tomllib.loads(p.read_text(encoding="utf-8"))["vehicle"].get("roof") == "open"]
    docs = [tomllib.loads(p.read_text(encoding="utf-8")) for p in specs]
    wbs = {d["vehicle"]["name"] + " (not in the fit)": d["dimensions"]["wheelbase"] * 1e-3
           for d in docs}
    print("\n".join(ob.report(wbs)))
    published = {r["spec"]: r for r in newuser.published() if r["quantity"] == "curb_kg"}
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            text = spec.read_text(encoding="utf-8")
            name = tomllib.loads(text)["vehicle"]["name"]
            if spec.stem not in published:  # e.g. the Copen LA400K 5MT: no curb found
                print(f"{name}: no published curb mass (published.csv), not run")
                continue
            r = published[spec.stem]
            pub = convert(float(r["low"]), r["units"], "kg")
            for roof in ("fixed", "open"):
                path = Path(tmp) / f"{spec.stem}_{roof}.toml"
                path.write_text(text.replace('roof = "open"', f'roof = "{roof}"'),
                                encoding="utf-8")
                out = newuser.run_spec(path, Path(tmp)).outputs
                m = float(out["mass:curb"]["value"])
                print(f"{name}, roof = {roof}: curb {m:.1f} kg against {pub:.0f} "
                      f"published ({100 * (m / pub - 1):+.1f} %), mass:open_body "
                      f"{float(out['mass:open_body']['value']):.1f} kg")


def open_body_cd() -> None:
    """The ``open_body_cd`` probe (module docstring)."""
    import csv
    import statistics as st
    from importlib import resources

    from keidesign.specs import build as sb
    ref = resources.files("keidesign").joinpath("data", "vehicles", "open_body_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cd = [float(r["cd_open"]) for r in rows]
    fams = sorted({r["family"] for r in rows})
    med, n, nfam = sb.open_body_cd()
    by_fam = {f: [float(r["cd_open"]) for r in rows if r["family"] == f] for f in fams}
    print(f"open two-seaters: {n} generations of {nfam} families, Cd {min(cd):.2f}-"
          f"{max(cd):.2f}, median {med:.3f} (mean {st.mean(cd):.3f}); median of the "
          f"family medians {st.median(st.median(v) for v in by_fam.values()):.3f}")
    us_med = sb._us_specs_typical()[0]
    err: dict[str, list[float]] = {"kei hatch 0.32": [], f"us_specs median {us_med:g}": [],
                                   "open-body median, held out by family": []}
    for f in fams:
        held = by_fam[f]
        rest = st.median(float(r["cd_open"]) for r in rows if r["family"] != f)
        for c in held:
            err["kei hatch 0.32"].append(0.32 - c)
            err[f"us_specs median {us_med:g}"].append(us_med - c)
            err["open-body median, held out by family"].append(rest - c)
    print("default | MAE Cd | bias Cd | MAE % of Cd (per generation, held out by family)")
    for k, e in err.items():
        rel = [abs(x) / c for x, c in zip(e, [c for f in fams for c in by_fam[f]],
                                          strict=True)]
        print(f"{k} | {st.mean(abs(x) for x in e):.3f} | {st.mean(e):+.3f} | "
              f"{100 * st.mean(rel):.1f}")
    twins = [r for r in rows if r["cd_closed"]]
    ratio = [float(r["cd_open"]) / float(r["cd_closed"]) for r in twins]
    print(f"closed twins: {len(twins)} of {len(rows)} generations; open / closed ratio "
          f"median {st.median(ratio):.3f}, mean {st.mean(ratio):.3f}, range "
          f"{min(ratio):.3f}-{max(ratio):.3f}; higher {sum(x > 1 for x in ratio)}, equal "
          f"{sum(x == 1 for x in ratio)}, lower {sum(x < 1 for x in ratio)}")
    for r, x in zip(twins, ratio, strict=True):
        print(f"  {r['family']} {r['generation']}: {float(r['cd_open']):.3f} / "
              f"{float(r['cd_closed']):.3f} = {x:.3f}")
    for top in sorted({r["top"] for r in rows}):
        v = [float(r["cd_open"]) for r in rows if r["top"] == top]
        print(f"top {top}: {len(v)} generations, median Cd {st.median(v):.3f}")


#: The import's rule a one-box default would hang on: the engine under the floor
#: (``vehicle.layout = "underfloor"``, the cab-over vans and wagons), and the least data
#: the rule asks for before such a default is shipped (stated before the errors were
#: looked at): published Cd of this class from at least 3 families, and a lower
#: held-out error than the current default on them. The class is the cab-over front
#: (``front`` = ``cab-over`` in ``one_box_cd.csv``: the driver over the front axle), the
#: body ``vehicle.layout = "underfloor"`` stands for (task s25d's brief).
ONE_BOX_MIN_FAMILIES = 3
#: The stricter clause of the ship rule of ``benchmarks/unseen_parts.py`` (written 5 Dec
#: 2026, before its runs): a body-class Cd needs published Cd of at least 5 cars (bodies)
#: of the class before anything is fitted to it; reported beside the 3-family rule.
ONE_BOX_MIN_CARS = 5
#: The import's current default for a kei cab-over body without a published Cd (the kei
#: tall-boy value, FASTSim's N-Box), the value a class default has to beat held out.
ONE_BOX_CURRENT_CD = 0.38


def one_box_class_rule(rows: list[dict[str, Any]], front: str = "cab-over",
                       current: float = ONE_BOX_CURRENT_CD) -> dict[str, Any]:
    """The one-box default's ship rule on the rows of ``front``: the class median held
    out by family (each family's generations against the median of the class's other
    families' rows) against the current default ``current`` on the same rows.

    Returns ``n`` (rows), ``families``, ``median`` (of all the class's rows, the value
    that would ship), ``held`` [(row, held-out median)], ``mae_held`` / ``bias_held`` and
    ``mae_current`` / ``bias_current`` (Cd), and ``passes`` (at least
    :data:`ONE_BOX_MIN_FAMILIES` families and ``mae_held`` < ``mae_current``; False with
    fewer than 2 families, where nothing can be held out)."""
    import statistics as st

    cls = [r for r in rows if r["front"] == front]
    fams = {r["family"] for r in cls}
    out: dict[str, Any] = {"n": len(cls), "families": len(fams), "held": [],
                           "median": st.median(r["cd"] for r in cls) if cls else None}
    if len(fams) < 2:
        out.update(mae_held=None, bias_held=None, mae_current=None, bias_current=None,
                   passes=False)
        return out
    held = one_box_lofo(cls)
    e_held = [med - r["cd"] for r, med in held]
    e_cur = [current - r["cd"] for r in cls]
    out.update(held=held, mae_held=st.mean(abs(x) for x in e_held),
               bias_held=round(st.mean(e_held), 9) + 0.0,
               mae_current=st.mean(abs(x) for x in e_cur),
               bias_current=round(st.mean(e_cur), 9) + 0.0)
    out["passes"] = (len(fams) >= ONE_BOX_MIN_FAMILIES
                     and out["mae_held"] < out["mae_current"])
    return out


def one_box_rows() -> list[dict[str, Any]]:
    """Rows of ``one_box_cd.csv`` with ``cd`` as a float."""
    import csv
    from importlib import resources

    ref = resources.files("keidesign").joinpath("data", "vehicles", "one_box_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["cd"] = float(r["cd"])
    return rows


def one_box_lofo(rows: list[dict[str, Any]], pool: list[dict[str, Any]] | None = None,
                 ) -> list[tuple[dict[str, Any], float]]:
    """(row, median Cd of ``pool`` without the row's family) for each row: the class
    median held out by family (``pool`` defaults to ``rows``)."""
    import statistics as st

    pool = rows if pool is None else pool
    out = []
    for r in rows:
        rest = [q["cd"] for q in pool if q["family"] != r["family"]]
        out.append((r, st.median(rest)))
    return out


def one_box_cd() -> None:
    """The ``one_box_cd`` probe (module docstring)."""
    import statistics as st

    from keidesign.catalogue.road import TRUCK_CD
    from keidesign.specs import build as sb

    rows = one_box_rows()
    fams = {r["family"] for r in rows}
    cd = [r["cd"] for r in rows]
    print(f"van bodies: {len(rows)} generations of {len(fams)} families, Cd {min(cd):.2f}-"
          f"{max(cd):.2f}, median {st.median(cd):.3f} (mean {st.mean(cd):.3f})")
    for key in ("front", "engine"):
        for v in sorted({r[key] for r in rows}):
            sub = [r for r in rows if r[key] == v]
            rows_text = ("; " + ", ".join(f"{r['family']} {r['generation']} {r['cd']:g}"
                                          for r in sub)) if len(sub) <= 4 else ""
            print(f"  {key} {v}: {len(sub)} generations of {len({r['family'] for r in sub})}"
                  f" families, median {st.median(r['cd'] for r in sub):.3f}{rows_text}")
    us_med = sb._us_specs_typical()[0]
    defaults = {"kei tall-boy 0.38": lambda r: 0.38,
                f"us_specs median {us_med:g}": lambda r: us_med,
                f"truck style one-box {TRUCK_CD:g}": lambda r: TRUCK_CD}
    print("default | n | MAE Cd | bias Cd | MAE % of Cd (per generation, held out by family)")
    for name, sel in (("every van row", rows),
                      ("box vans (cab-over and short nose)",
                       [r for r in rows if r["front"] != "car-derived"]),
                      ("car-derived vans", [r for r in rows if r["front"] == "car-derived"])):
        err: dict[str, list[tuple[float, float]]] = {k: [] for k in defaults}
        err["van median, held out by family (all rows)"] = []
        for r, med in one_box_lofo(sel, rows):
            for k, f in defaults.items():
                err[k].append((f(r) - r["cd"], r["cd"]))
            err["van median, held out by family (all rows)"].append((med - r["cd"], r["cd"]))
        print(f"  {name}:")
        for k, e in err.items():
            print(f"    {k} | {len(e)} | {st.mean(abs(x) for x, _ in e):.3f} | "
                  f"{st.mean(x for x, _ in e):+.3f} | "
                  f"{100 * st.mean(abs(x) / c for x, c in e):.1f}")
    rule = one_box_class_rule(rows)
    print(f"rule (cab-over front, the body vehicle.layout = 'underfloor' stands for): "
          f"{rule['n']} generations of {rule['families']} families with a published Cd "
          f"(needs >= {ONE_BOX_MIN_FAMILIES} families)"
          + (f", median {rule['median']:.3f}" if rule["median"] is not None else ""))
    for r, med in rule["held"]:
        print(f"  {r['family']} {r['generation']} {r['cd']:g}: held-out class median "
              f"{med:.3f} ({med - r['cd']:+.3f}), current {ONE_BOX_CURRENT_CD:g} "
              f"({ONE_BOX_CURRENT_CD - r['cd']:+.3f})")
    if rule["mae_held"] is not None:
        print(f"  held out by family: class median MAE {rule['mae_held']:.3f} (bias "
              f"{rule['bias_held']:+.3f}) against {rule['mae_current']:.3f} (bias "
              f"{rule['bias_current']:+.3f}) for the current {ONE_BOX_CURRENT_CD:g}")
    print("  rule " + ("met: a class default of the cab-over median may ship"
                       if rule["passes"] else "not met, no default shipped")
          + f"; cars of the class {rule['families']} (the unseen_parts ship rule asks >= "
          f"{ONE_BOX_MIN_CARS}: " + ("met" if rule["families"] >= ONE_BOX_MIN_CARS
                                     else "not met") + ")")
    under = [r for r in rows if r["engine"] == "underfloor"]
    nf = len({r["family"] for r in under})
    print(f"  engine under the floor (what vehicle.layout says): {len(under)} generations "
          f"of {nf} families: " + ", ".join(f"{r['family']} {r['front']} {r['cd']:g}"
                                            for r in under))
    if rule["median"] is not None:
        cab = [r for r in rows if r["front"] == "cab-over"]
        for r in under:
            rest = [q["cd"] for q in cab if q["family"] != r["family"]]
            med = st.median(rest) if rest else rule["median"]
            print(f"    {r['family']}: the cab-over median (its family held out) {med:.3f} "
                  f"({med - r['cd']:+.3f}); now {ONE_BOX_CURRENT_CD:g} if kei "
                  f"({ONE_BOX_CURRENT_CD - r['cd']:+.3f}), {us_med:g} otherwise "
                  f"({us_med - r['cd']:+.3f})")
    # the kei cab-over wagons' gap against the published range: kei_goods' what-if moved
    # the Every / Hijet Cargo van rows by (0.50 - 0.38) Cd; the WLTC error is close to
    # linear in Cd over that step (road load's aero share), so the Cd that would close a
    # gap g is 0.38 + 0.12 g / (points moved by the what-if)
    cases = {"Every Wagon 2026 CVT 2WD (mlit_kei, published mass)": (24.0, 12.0),
             "Every Wagon 2026 CVT 4WD (mlit_kei, published mass)": (17.0, 12.0)}
    for k, (gap, moved) in cases.items():
        need = 0.38 + 0.12 * gap / moved
        print(f"  {k}: +{gap:g} % at Cd 0.38; the Every van CVT moved {moved:g} points at "
              f"Cd 0.50 (kei_goods part 4): Cd {need:.2f} would close it (published "
              f"maximum {max(cd):.2f})")


#: The least data the off-roader default asks for (the rule of the task, stated before
#: the errors were looked at): quoted Cd of ladder-frame bodies from at least 3 families.
OFFROAD_MIN_FAMILIES = 3
#: Length classes of ``offroad_cd.csv`` reported by the probe (mm; descriptive, not the
#: import's rule: the import's default is the whole class's median).
OFFROAD_LENGTH_BINS = (4300.0, 4800.0)


def _offroad_lofo(rows: list[dict[str, Any]], pool: list[dict[str, Any]]
                  ) -> list[tuple[dict[str, Any], float]]:
    """(row, median Cd of ``pool`` without the row's family) for each row of ``rows``."""
    import statistics as st

    return [(r, st.median(q["cd"] for q in pool if q["family"] != r["family"]))
            for r in rows]


def _offroad_jimny(cd_before: float, what_if: tuple[float, ...]) -> None:
    """The Jimny JB64 rows of the new-user pass (``tests/data/newuser``, specs alone) and
    of ``mlit_kei`` (specs alone and at the published curb mass): WLTC before (the import's
    Cd ``cd_before``, the tall-boy value) -> after (the shipped off-roader default), and
    the what-if Cd values ``what_if`` (not shipped)."""
    import tempfile
    from pathlib import Path
    from unittest import mock

    from keidesign.specs import build as sb
    from keidesign.units import convert

    med, n, nfam = sb.offroad_cd()
    variants = [(f"before (Cd {cd_before:g}, tall-boy)", cd_before),
                (f"shipped (Cd {med:g}, ladder-frame median)", None)]
    variants += [(f"what-if Cd {c:g} (not shipped)", c) for c in what_if]
    pub = {r["spec"]: r for r in newuser.published() if r["quantity"] == "wltc_km_per_l"}
    print("new-user pass, Jimny JB64 (import --predict, evaluate): WLTC km/L (error)")
    def cd_patch(cd):
        """The import's ladder-frame Cd at ``cd`` (None: the shipped median)."""
        if cd is None:
            return mock.patch.object(sb, "offroad_cd", sb.offroad_cd)
        return mock.patch.object(sb, "offroad_cd", lambda: (cd, n, nfam))

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for stem in ("suzuki_jimny_jb64_5mt", "suzuki_jimny_jb64_4at"):
            r = pub[stem]
            lo, hi = (convert(float(r[k]), r["units"], "km/L") for k in ("low", "high"))
            cells = []
            for name, cd in variants:
                with cd_patch(cd):
                    run = newuser.run_spec(newuser.SPECS / f"{stem}.toml", tmp)
                v = float(run.outputs["energy:wltc_km_per_l"]["value"])
                cells.append(f"{name} {v:.2f} ({newuser.error_pct(v, lo, hi):+.1f} %)")
            print(f"  {stem} (published {lo:g}): " + "; ".join(cells))
        all_cases, _ = mlit_kei.cases()
        jimny = [c for c in mlit_kei.sample(all_cases) if c["family"]["frame"] == "ladder"]
        print(f"mlit_kei, the ladder-frame rows sampled ({len(jimny)}): WLTC error specs "
              "alone | at the published curb mass")
        for c in jimny:
            row = c["row"]
            wltc = float(row["wltc_max_km_per_L"])
            cells = []
            for name, cd in variants:
                with cd_patch(cd):
                    out = mlit_kei.run(c, tmp)
                cells.append(f"{name} {100 * (out['wltc_pred'] / wltc - 1):+.1f} | "
                             f"{100 * (out['wltc_pub_mass'] / wltc - 1):+.1f} %")
            print(f"  {row['list']} {row['type']} {row['transmission']} {row['drive']} "
                  f"({wltc:g} km/L): " + "; ".join(cells))


def offroad_cd() -> None:
    """The ``offroad_cd`` probe (module docstring)."""
    import statistics as st

    from keidesign.specs import build as sb

    rows = sb.offroad_rows()
    fams = sorted({r["family"] for r in rows})
    cd = [r["cd"] for r in rows]
    med, n, nfam = sb.offroad_cd()
    by_fam = {f: [r["cd"] for r in rows if r["family"] == f] for f in fams}
    q1, _, q3 = st.quantiles(cd, n=4)
    print(f"ladder-frame SUV bodies: {n} generations of {nfam} families, Cd {min(cd):.2f}-"
          f"{max(cd):.2f}, median {med:.3f} (mean {st.mean(cd):.3f}, quartiles {q1:.3f}-"
          f"{q3:.3f}); median of the family medians "
          f"{st.median(st.median(v) for v in by_fam.values()):.3f}")
    lo, hi = OFFROAD_LENGTH_BINS
    bins = ((f"length < {lo:.0f} mm", lambda r: float(r["length_mm"]) < lo),
            (f"length {lo:.0f}-{hi:.0f} mm", lambda r: lo <= float(r["length_mm"]) < hi),
            (f"length >= {hi:.0f} mm", lambda r: float(r["length_mm"]) >= hi))
    for name, sel in bins:
        sub = [r for r in rows if sel(r)]
        text = ("; " + ", ".join(f"{r['family']} {r['generation']} {r['cd']:g}" for r in sub)
                if len(sub) <= 6 else "")
        print(f"  {name}: {len(sub)} generations of {len({r['family'] for r in sub})} "
              f"families, median {st.median(r['cd'] for r in sub):.3f}{text}")
    us_med = sb._us_specs_typical()[0]
    defaults = {"kei tall-boy 0.38 (the Jimny's before)": lambda r: 0.38,
                "kei hatch 0.32": lambda r: 0.32,
                f"us_specs median {us_med:g}": lambda r: us_med}
    print("default | n | MAE Cd | bias Cd | MAE % of Cd (per generation, held out by family)")
    for name, sel in (("every row", rows),
                      (bins[0][0], [r for r in rows if bins[0][1](r)])):
        err: dict[str, list[tuple[float, float]]] = {k: [] for k in defaults}
        key = "ladder-frame median, held out by family (all rows)"
        err[key] = []
        for r, m in _offroad_lofo(sel, rows):
            for k, f in defaults.items():
                err[k].append((f(r) - r["cd"], r["cd"]))
            err[key].append((m - r["cd"], r["cd"]))
        print(f"  {name}:")
        for k, e in err.items():
            print(f"    {k} | {len(e)} | {st.mean(abs(x) for x, _ in e):.3f} | "
                  f"{st.mean(x for x, _ in e):+.3f} | "
                  f"{100 * st.mean(abs(x) / c for x, c in e):.1f}")
    held = sorted(st.median(q["cd"] for q in rows if q["family"] != f) for f in fams)
    print(f"held-out medians over the {len(fams)} families: {held[0]:.3f}-{held[-1]:.3f}")
    print(f"rule (>= {OFFROAD_MIN_FAMILIES} families with a quoted Cd): {nfam} families: "
          + ("met, shipped as the import's default for " + sb.OFFROAD_BODY
             if nfam >= OFFROAD_MIN_FAMILIES else "not met"))
    short = st.median(r["cd"] for r in rows if bins[0][1](r))
    _offroad_jimny(0.38, (round(short, 3),))


def _pack_text(h: Any) -> str:
    """A hybrid system's traction pack as the HEV model runs it (``hev_pack``)."""
    x = cal.hev_pack_params([h])
    v, r, p_max = pt.hev_pack(x, cal.fixed_constants()["hev"])
    if not np.isfinite(np.asarray(p_max)).all():
        return (f"assumed [hev] pack (no cell count and per-cell resistance published; "
                f"EPA {h.battery_v:g} V)")
    return (f"{h.battery_cells} cells x {h.battery_cell_mohm:g} mOhm, {float(v[0, 0]):g} V, "
            f"{float(r[0, 0]):.3f} ohm, P_max = V^2/(4R) {float(p_max[0, 0]) / 1e3:.1f} kW "
            f"(motor {h.motor_kw:g} kW)")


_HEV_PACK = pt.hev_pack


def _no_power_limit(x: dict, c_hev: dict) -> tuple:
    """``hev_pack`` with the pack's own voltage and resistance but no power limit."""
    v, r, p_max = _HEV_PACK(x, c_hev)
    return v, r, None if p_max is None else np.full(np.shape(D.real(p_max)), np.inf)


def hybrid_battery() -> None:
    """The hybrids' own traction packs (issue 13; ``hybrid_systems.csv`` battery columns,
    ``powertrains.hev_pack``): per system the pack the model runs; per EPA hybrid row the
    FTP / HWFET with the assumed ``[hev]`` pack (before 4 Dec 2026), with the published
    pack's voltage and resistance but no power limit, and with its power limit too
    (shipped); the 28 hybrids per layout with the label (shipped constants); the
    non-hybrid rows and the hybrid rows without a published pack asserted bit-identical;
    the Aqua's WLTC (its spec has no pack: unchanged)."""
    c, fit, bev = cal.stored_fits()
    cars = tc.test_cars()
    print(f"non-hybrid EPA rows bit-identical to docs/validation.json: "
          f"{_non_hybrids_as_stored(cars, c, fit, bev)}")
    for h in tc.hybrid_systems():
        print(f"  {h.make} {h.model} {h.years[0]}-{h.years[1]}: {_pack_text(h)}")
    hyb, hs, masks = _hybrid_rows(cars)
    runs = {"assumed": hyt.predict_hev(hyb, c, fit, bev, hs, pack="assumed")}
    with mock.patch.object(pt, "hev_pack", _no_power_limit):
        runs["published V, R, no power limit"] = cal.predict_hev(hyb, c, fit, bev, hs)
    runs["published (shipped)"] = cal.predict_hev(hyb, c, fit, bev, hs)
    own = np.array([bool(h.battery_v and h.battery_cells and h.battery_cell_mohm) for h in hs])
    for t in fe.TESTS:
        assert np.array_equal(runs["assumed"][t][~own], runs["published (shipped)"][t][~own]), \
            "a hybrid row without a published pack moved"
    print(f"  hybrid rows without a published pack (n={int((~own).sum())}) bit-identical")
    for i, car in enumerate(hyb):
        if own[i]:
            errs = "; ".join(f"{name} FTP {_pct(p['ftp'][i] / car.tests['ftp'] - 1.0)}, "
                             f"HWFET {_pct(p['hwfet'][i] / car.tests['hwfet'] - 1.0)}"
                             for name, p in runs.items())
            print(f"  {car.make} {car.model} {car.year} ({hs[i].layout}): {errs}")
    for name, p in runs.items():
        print(f"  {name}, shipped constants:")
        comp = fe.Comparison(hyb, fe._measured(hyb), p, "shipped")
        for mname, m in masks.items():
            print(_hybrid_line(mname, comp, m))
    print(f"  Aqua 2021 WLTC: {_aqua_wltc()}")


def hybrid_battery_lofo() -> None:
    """``hybrid_battery`` held out: the 28 hybrids leave-one-family-out (the ICE grid
    refitted without the hybrid families, as ``hybrid_compression``) with the assumed
    ``[hev]`` pack (before 4 Dec 2026) and with the published packs (shipped), per
    layout with the label. About 7 minutes."""
    cars = tc.test_cars()
    hyb, hs, masks = _hybrid_rows(cars)
    cf, res = _hybrid_lofo_fits(cars, hyb)
    for mode in hyt.HEV_PACKS:
        comp = hyt.hybrid_lofo(hyb, hs, cf, res, pack=mode)
        print(f"  {mode} packs, lofo:")
        for mname, m in masks.items():
            print(_hybrid_line(mname, comp, m))


# ------------------------------------------- the hybrids' HWFET pessimism (issue 13)
#: Published peak brake thermal efficiency per hybrid engine for ``hybrid_hwfet``'s
#: what-if, keyed by (displacement L, traction motor kW) of ``hybrid_systems.csv``
#: (status R, manufacturers' claims as reported): Toyota 2ZR-FXE of the 2016 Prius 40 %
#: and Hyundai Kappa 1.6 GDi 40 % (:data:`PEAK_BTE`'s sources; the Elantra Hybrid's engine
#: is the Ioniq's Kappa, hybrid_systems.csv); Toyota 1NZ-FXE about 37 % (the 13.0:1
#: Prius engine; Wikipedia's "Toyota NZ engine" text, mirror piglix.com/piglix/
#: Toyota_NZ_engine, read 4 Dec 2026; A: the Prius c's 13.4:1 rework stands at it). None
#: found for the 2019 Insight's 1.5 LEB or the Honda IMA engines.
HWFET_PEAK_BTE = {(1.8, 53.0): 0.40, (1.6, 32.0): 0.40, (1.5, 45.0): 0.37}
#: Mechanical-path share of a power split's engine power at highway load for the
#: ``hybrid_hwfet`` what-if (A: the brief's ~70 %; no measured figure read).
SPLIT_MECH_SHARE = 0.7


def _hwfet_run(car: Any, h: Any, c: dict, fit: dict, bev: dict) -> tuple[dict, dict]:
    """(FTP / HWFET mpg, the ``hev_cycle`` result with its ``x``, ``trans`` and
    ``c_ice``) of one EPA hybrid row, shipped model."""
    runs: list = []
    orig = pt.hev_cycle

    def spy(seg: Any, x: dict, trans: str, c_ice: dict, *a: Any, **k: Any) -> dict:
        r = orig(seg, x, trans, c_ice, *a, **k)
        runs.append((seg, {**r, "x": x, "trans": trans, "c_ice": c_ice, "c_hev": a[1]}))
        return r
    with mock.patch.object(pt, "hev_cycle", spy):
        p = cal.predict_hev([car], c, fit, bev, [h])
    seg, r = next((s, r) for s, r in runs if len(s.starts) == 4)
    return {t: float(p[t][0]) for t in fe.TESTS}, {"seg": seg, **r}


def _hwfet_parts(car: Any, r: dict, c: dict) -> dict:
    """Where the model's HWFET fuel goes (J over the HWFET segment, index 2 of the
    4-segment run, as ``_hev_shares``): engine on (the direct fuel ``(P_e + P_0) / e``
    split into wheel work, transmission loss, converter/CVT slip, accessories and
    friction ``P_0``) and the charge balance ``E_b / (e eta_gen)``; the positive wheel
    work split into engine and electric drive; the regenerated chemical energy; the
    engine's brake efficiency at its operating points ``sum P_e / sum (P_e + P_0) x e``;
    the measured HWFET fuel ``LHV d / mpg``."""
    seg, x, c_ice = r["seg"], r["x"], r["c_ice"]
    tr = pt.Trace.of(seg)
    b = list(seg.starts) + [len(tr.dt)]
    idx = np.arange(b[2], b[3])
    dt, vb = tr.dt[idx], tr.vb[idx]
    pw = np.real(D.value(pt.wheel_power(x, tr)))[0, idx]
    on = np.asarray(r["engine_on"])[0, idx]
    val = {k: np.real(D.value(r[k]))[0, idx] for k in ("w", "p_e", "p_0", "p_batt", "p_m")}
    e = float(np.real(D.value(c_ice["e"])))
    eta = pt.transmission_efficiency(c_ice, r["trans"])
    p_acc = c_ice["acc_kw"] * 1e3
    wheel_e = np.where(on, np.maximum(pw, 0.0), 0.0)
    trac = wheel_e / eta
    slip = val["p_e"] - p_acc - trac  # pe = trac x w / w_g + P_acc
    s = {"wheel": wheel_e, "trans": trac - wheel_e, "slip": slip,
         "acc": np.where(on, p_acc, 0.0), "friction": np.where(on, val["p_0"], 0.0)}
    out = {k: float(np.sum(v * dt)) / e for k, v in s.items()}
    e_b = float(np.sum(val["p_batt"] * dt))
    out["charge"] = e_b / (e * r["c_hev"]["eta_gen"])
    out["total"] = float(np.real(D.value(r["fuel"]))[0, 2])
    d = segments(cal.SEG_EPA).distance[2] / 1609.344
    out["measured"] = c["fuel"]["lhv_kwh_per_galUS"] * 3.6e6 * d / car.tests["hwfet"]
    out["w_pos"] = float(np.sum(np.maximum(pw, 0.0) * dt))
    out["w_ev"] = float(np.sum(np.maximum(val["p_m"], 0.0) * dt))
    out["regen"] = -float(np.sum(np.minimum(val["p_batt"], 0.0) * dt))
    out["on"] = float(np.sum(dt * on) / np.sum(dt * (vb > 0.0)))
    t_on = max(float(np.sum(dt * on)), 1.0)
    out["rpm"] = float(np.sum(val["w"] * on * dt)) / t_on / pt.RPM
    out["kw"] = float(np.sum(val["p_e"] * on * dt)) / t_on / 1e3
    e_on = float(np.sum(val["p_e"] * on * dt))
    out["bte"] = e * e_on / max(e_on + float(np.sum(val["p_0"] * on * dt)), 1.0)
    out["e"] = e
    return out


def _hwfet_peak(x: dict, c_ice: dict) -> Any:
    """Peak brake efficiency of the model's Willans line per row, ``(n, 1)``: as
    :func:`_model_peak_bte` (rated NA torque at the CVT floor speed) from the kernel's
    own ``x`` and ``c_ice`` (whose ``e`` carries the compression-ratio factor)."""
    t = np.real(D.value(x["t_r"]))
    vd = np.real(D.value(x["vd"]))
    bmep = 4.0 * np.pi * t / (vd * 1e-3)
    n = c_ice["cvt_min_rpm"] / 1000.0
    pme0 = (c_ice["pme0_bar"] + c_ice["pme2_bar"] * n * n) * 1e5
    scale = np.real(D.value(pt.effective_volume(x, c_ice))) / (vd * 1e-3)
    return np.real(D.value(c_ice["e"])) * bmep / (bmep + pme0 * scale)


def _hwfet_whatif(name: str) -> Any:
    """A ``hev_cycle`` wrapper for one ``hybrid_hwfet`` what-if (none is an option of the
    model): ``free_speed``, a power split's engine off the vehicle-speed floor (its
    speed set by MG1: ``k_hi`` made negligible, so the CVT rule keeps the operating line
    and the ``cvt_min_rpm`` floor only); ``split_path``, a power split's engine power
    through a gear train (``[bev] eta_gear``) with a share 1 - :data:`SPLIT_MECH_SHARE`
    through the generator and motor (``eta_gen^2``) instead of the belt-CVT efficiency;
    ``peak_bte``, the Willans ``e`` of every engine in :data:`HWFET_PEAK_BTE` scaled so
    the Willans line's peak (:func:`_hwfet_peak`) is the published figure. Rows are told
    apart by their displacement and motor power (``x["vd"]``, ``x["pm_r"]``); a power
    split is a row with its own MG2 reduction (``x["k_m"]`` > 0: the Prius c and Eco)."""
    orig = pt.hev_cycle

    def rows(x: dict) -> tuple[np.ndarray, np.ndarray]:
        vd = np.round(np.real(D.value(x["vd"])), 1)
        kw = np.round(np.real(D.value(x["pm_r"])) / 1e3, 0)
        split = (np.real(D.value(x["k_m"])) > 0.0) if "k_m" in x else np.zeros_like(vd, bool)
        target = np.array([[HWFET_PEAK_BTE.get((float(a), float(b)), np.nan)]
                           for a, b in zip(vd[:, 0], kw[:, 0], strict=True)])
        return split, target

    def run(seg: Any, x: dict, trans: str, c_ice: dict, *a: Any, **k: Any) -> dict:
        split, target = rows(x)
        if name == "free_speed" and split.any():
            x = {**x, "k_hi": np.where(split, 1e-6, 1.0) * x["k_hi"]}
        elif name == "split_path" and split.any():
            c_bev, c_hev = a[0], a[1]
            eta_ps = c_bev["eta_gear"] * (SPLIT_MECH_SHARE
                                          + (1 - SPLIT_MECH_SHARE) * c_hev["eta_gen"] ** 2)
            assert split.all(), "mixed power-split batch"
            c_ice = {**c_ice, "eta_tr": {**c_ice["eta_tr"], trans: eta_ps}}
        elif name == "peak_bte" and np.isfinite(target).any():
            k_e = np.where(np.isfinite(target), target / _hwfet_peak(x, c_ice), 1.0)
            c_ice = {**c_ice, "e": c_ice["e"] * k_e}
        return orig(seg, x, trans, c_ice, *a, **k)
    return run


HWFET_WHATIFS = (("shipped", "shipped model"),
                 ("free_speed", "power split's engine speed free of the vehicle speed"),
                 ("split_path", f"power split through gears + {1 - SPLIT_MECH_SHARE:.0%} "
                                "electrical path"),
                 ("peak_bte", "Willans e scaled to the published peak efficiency"))


def hybrid_hwfet() -> None:
    """Why the hybrids' HWFET is pessimistic (issue 13, 4 Dec 2026): per EPA hybrid row
    (full and mild) the HWFET and FTP errors, and where the model's HWFET fuel goes
    (:func:`_hwfet_parts`: engine-on share, speed and load, brake efficiency at the
    operating points against the Willans peak and the published peak, fuel shares of
    friction, accessories, transmission, charge balance, electric drive); the layout
    means; then the what-ifs of :data:`HWFET_WHATIFS` (:func:`_hwfet_whatif`; nothing
    fitted, none an option) on the 28 hybrids, shipped constants and leave-one-family-
    out (the ICE grid refitted without the hybrid families, as ``hybrid_battery_lofo``;
    about 7 minutes), per layout with the label."""
    c, fit, bev = cal.stored_fits()
    cars = tc.test_cars()
    hyb, hs, masks = _hybrid_rows(cars)
    rows = []
    for car, h in zip(hyb, hs, strict=True):
        p, r = _hwfet_run(car, h, c, fit, bev)
        q = _hwfet_parts(car, r, c)
        q["err"] = {t: p[t] / car.tests[t] - 1.0 for t in fe.TESTS}
        q["peak"] = float(_hwfet_peak(r["x"], r["c_ice"])[0, 0])
        q["pub"] = HWFET_PEAK_BTE.get((round(car.vd, 1), round(h.motor_kw)), None)
        rows.append(q)
        f = q["total"]
        pub = f", published {q['pub']:.0%}" if q["pub"] else ""
        print(f"  {car.year} {car.make} {car.model} ({h.layout}, {h.architecture}, "
              f"{car.vd:g} L, N/V {car.nv:g}): HWFET {_pct(q['err']['hwfet'])}, FTP "
              f"{_pct(q['err']['ftp'])}; HWFET engine on {q['on']:.0%} of moving time, "
              f"{q['rpm']:.0f} rpm, {q['kw']:.1f} kW, brake eff {q['bte']:.1%} (Willans "
              f"peak {q['peak']:.1%}{pub}); fuel shares: wheel {q['wheel'] / f:.0%}, "
              f"transmission {q['trans'] / f:.1%}, slip {q['slip'] / f:.1%}, accessories "
              f"{q['acc'] / f:.1%}, friction P_0 {q['friction'] / f:.1%}, charge balance "
              f"{q['charge'] / f:+.1%}; electric drive {q['w_ev'] / q['w_pos']:.0%} of the "
              f"wheel work, regenerated {q['regen'] / 3.6e3:.0f} Wh; tank-to-wheel "
              f"{q['w_pos'] / f:.1%} (measured fuel: {q['w_pos'] / q['measured']:.1%})")
    for mname, m in masks.items():
        sel = [q for q, k in zip(rows, m, strict=True) if k]

        def mean(f: Any, sel: list = sel) -> float:
            return float(np.mean([f(q) for q in sel]))
        print(f"  {mname} (n={len(sel)}): HWFET {_pct(mean(lambda q: q['err']['hwfet']))}"
              f" (MAE {mean(lambda q: abs(q['err']['hwfet'])):.1%}); engine on "
              f"{mean(lambda q: q['on']):.0%}, brake eff {mean(lambda q: q['bte']):.1%}, "
              f"Willans peak {mean(lambda q: q['peak']):.1%}; fuel shares friction "
              f"{mean(lambda q: q['friction'] / q['total']):.1%}, transmission "
              f"{mean(lambda q: q['trans'] / q['total']):.1%}, accessories "
              f"{mean(lambda q: q['acc'] / q['total']):.1%}, charge balance "
              f"{mean(lambda q: q['charge'] / q['total']):+.1%}; tank-to-wheel model "
              f"{mean(lambda q: q['w_pos'] / q['total']):.1%}, measured "
              f"{mean(lambda q: q['w_pos'] / q['measured']):.1%}")
    cf, res = _hybrid_lofo_fits(cars, hyb)
    for name, title in HWFET_WHATIFS:
        with mock.patch.object(pt, "hev_cycle", _hwfet_whatif(name)):
            comps = {"shipped": fe.Comparison(hyb, fe._measured(hyb),
                                              cal.predict_hev(hyb, c, fit, bev, hs),
                                              "shipped"),
                     "lofo": fe.hybrid_lofo(hyb, hs, cf, res)}
        print(f"  {name}: {title}:")
        for const, comp in comps.items():
            for mname, m in masks.items():
                print(_hybrid_line(f"{const} {mname}", comp, m))


# ------------------------------------------- the gasoline label from specs, part by part
def _specs_holdout(lofo: fe.Comparison, fit: dict | None = None,
                   volumes: bool = True) -> so.HoldOut:
    """Specs-only hold-out constants built from an (a) hold-out ``lofo`` as
    :meth:`keidesign.validation.specsonly.HoldOut.of` builds them: each family's ICE
    fit of ``lofo`` (a family it lacks: the all-data ``fit`` where given), the road-load
    pair (e) and the mass build-up's coefficients, each without the family (``volumes``:
    with the volumes they hold the size law inside, ``mcal.held_constants``, as the
    shipped hold-out; False: the coefficients alone, as the probes of 4 Dec 2026)."""
    from keidesign.energy import constants as kc
    from keidesign.mass import calibration as mcal
    from keidesign.validation import roadload as rl

    base = kc.ice_constants()
    mass_cars = mcal.read_cars()
    fits = lofo.extra["fits"]
    if fit is not None:
        fits = {**{car.family: fit for car in lofo.cars}, **fits}

    def mass(train: list) -> dict:
        return (mcal.held_constants(train) if volumes else
                dict(zip(mcal.COEFFICIENT_NAMES, mcal.fit(train), strict=True)))

    return so.HoldOut(
        ice={f: cal.ice_section(base, x) for f, x in fits.items()},
        road={f: {"road:crr": v["c0"], "road:crr_speed": v["c1"]}
              for f, v in rl.validate()["lofo_fits"].items()},
        mass={f: mass([d for d in mass_cars if d.family != f])
              for f in sorted({d.family for d in mass_cars})})


def _gasoline_holdout() -> tuple[list, fe.Comparison, so.HoldOut]:
    """The gasoline EPA configurations, their (a) hold-out (probe footing: the two grid
    points of :data:`RATIO_GRID`, one Gauss-Newton step per family,
    ``ice_lofo(exact=False)``) and the specs-only hold-out constants built from it
    (:func:`_specs_holdout`, the mass coefficients without their volumes)."""
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    cf = cal.fixed_constants()
    lofo = fe.ice_lofo(cars, cf, fe.ice_grid(cars, cf, RATIO_GRID), exact=False)
    return cars, lofo, _specs_holdout(lofo, volumes=False)


def _label_comb(ftp: float, hwfet: float, year: int, convention: str) -> float:
    """Label combined mpg from unadjusted FTP / HWFET with the set of ``convention``:
    ``"fueleconomy.gov"`` (:func:`keidesign.label.fueleconomy_gov_set`, the comparison
    since 4 Dec 2026) or ``"sticker"`` (the window sticker of the day: 2008 set before
    MY2017, the comparison before)."""
    from keidesign import label as lab

    s = (lab.fueleconomy_gov_set(year) if convention == "fueleconomy.gov"
         else "2008" if year < 2017 else "2017")
    return float(lab.combined_55_45(*lab.label_from_unadjusted(ftp, hwfet, s)))


#: ``label_parts``' steps: the specs-only chain, then each predicted part replaced by
#: what was measured, down to the label formula on the label file's own unadjusted values.
LABEL_STEPS = (
    ("specs", "from specs (the issue's lofo row)"),
    ("etw", "measured ETW for the test mass"),
    ("coast", "measured coast-down for the road load"),
    ("both", "measured ETW and coast-down"),
    ("a", "(a): test-car powertrain kernel, lofo"),
    ("meas", "measured FTP / HWFET + label formula"),
    ("U", "label file's UCity / UHighway + formula"))


def _bins(cars: list) -> list[tuple[str, list[tuple[str, np.ndarray]]]]:
    """Feature bins of ``label_parts``: model year, displacement, power-to-weight,
    turbo, transmission and gear count."""
    yr = np.array([c.year for c in cars])
    vd = np.array([c.vd for c in cars])
    pw = np.array([c.hp * 0.7457 / c.etw * 1000.0 for c in cars])  # W/kg at the ETW
    turbo = np.array([bool(c.turbo) for c in cars])
    kind = np.array([c.cls for c in cars])
    gears = np.array([c.n_gears for c in cars])
    return [
        ("model year", [("2011-13", yr <= 2013), ("2014-16", (yr >= 2014) & (yr <= 2016)),
                        ("2017-19", (yr >= 2017) & (yr <= 2019)), ("2020-23", yr >= 2020)]),
        ("displacement", [("< 1.3 L", vd < 1.3), ("1.3-1.59 L", (vd >= 1.3) & (vd < 1.6)),
                          ("1.6-1.99 L", (vd >= 1.6) & (vd < 2.0)), (">= 2.0 L", vd >= 2.0)]),
        ("rated power / ETW", [("< 55 W/kg", pw < 55), ("55-70", (pw >= 55) & (pw < 70)),
                               ("70-85", (pw >= 70) & (pw < 85)), (">= 85", pw >= 85)]),
        ("aspiration", [("NA", ~turbo), ("turbo", turbo)]),
        ("transmission", [("cvt", kind == "cvt"),
                          ("automatic 4-5", (kind == "automatic") & (gears <= 5)),
                          ("automatic 6+", (kind == "automatic") & (gears >= 6)),
                          ("dct", kind == "dct"), ("manual 5", (kind == "manual") & (gears <= 5)),
                          ("manual 6", (kind == "manual") & (gears >= 6))])]


def label_parts() -> None:
    """The gasoline label combined from specs alone, held out, taken apart (issue 13,
    4 Dec 2026): every configuration of the specs-only chain (``import epa --predict``)
    with the hold-out constants of :func:`_gasoline_holdout`, then the EPA test car's
    measured ETW and target coast-down swapped into the design one at a time
    (:func:`chain_variant_cases`), the (a) kernel on the measured dynamometer settings
    (the import's powertrain inputs replaced by the EPA file's: reference compression
    ratio, N/V), the label formula on the measured FTP / HWFET, and on the label file's
    own unadjusted values (the model type's): MAE (bias) per class with the label set
    fueleconomy.gov uses (shipped comparison) and the window sticker's (before); the bias
    in parts; the errors by model year, displacement, power-to-weight, aspiration,
    transmission and gears. About 12 minutes on 2 cores."""
    cars, lofo, ho = _gasoline_holdout()
    runs = chain_variant_cases(so.cases(cars, hybrids=False), ho)
    done = [c.car for c in runs["specs"]]
    rows = [tc.label_for(car) for car in done]
    ok = np.array([r is not None for r in rows])
    cars_l = [car for car, k in zip(done, ok, strict=True) if k]
    rows_l = [r for r in rows if r is not None]
    pos = testcar_id.positions(lofo.cars, cars_l)  # per car, not per key (testcar_id)
    unadj = {k: [(o.outputs["energy:ftp_mpg"], o.outputs["energy:hwfet_mpg"])
                 for o, k_ in zip(v, ok, strict=True) if k_] for k, v in runs.items()}
    unadj["a"] = [(lofo.predicted["ftp"][i], lofo.predicted["hwfet"][i]) for i in pos]
    unadj["meas"] = [(c.tests["ftp"], c.tests["hwfet"]) for c in cars_l]
    unadj["U"] = [(r.ucity, r.uhwy) for r in rows_l]
    conv = ("fueleconomy.gov", "sticker")
    err = {(cv, k): np.array([_label_comb(f, h, c.year, cv) / r.comb - 1.0
                              for (f, h), c, r in zip(unadj[k], cars_l, rows_l, strict=True)])
           for cv in conv for k, _ in LABEL_STEPS}
    cls = np.array([c.cls for c in cars_l])
    groups = [("gasoline", np.ones(len(cars_l), bool))] + [(k, cls == k) for k in fe.ICE_CLASSES]

    def cell(x: np.ndarray) -> str:
        return f"{100 * np.mean(np.abs(x)):.2f} ({100 * np.mean(x):+.2f})" if x.size else "-"
    print(f"{len(done)} gasoline configurations from their specs ({len(cars_l)} with a label "
          f"row; {len(cars) - len(done)} without a published-spec row); constants refitted "
          "without the family (probe footing). Label combined MAE (bias), %:")
    for cv in conv:
        print(f" label set: {cv}")
        print(f"  {'step':40s} " + " ".join(f"{g + f' n={m.sum()}':>16s}" for g, m in groups))
        for k, name in LABEL_STEPS:
            print(f"  {name:40s} " + " ".join(f"{cell(err[(cv, k)][m]):>16s}"
                                              for _, m in groups))
    print(" FTP / HWFET / test mass / road load at 50 mph MAE (bias), %, the labelled cars:")
    for k, name in LABEL_STEPS[:4]:
        e = so.errors([o for o, k_ in zip(runs[k], ok, strict=True) if k_])
        print(f"  {name:40s} FTP {cell(e['ftp'])}, HWFET {cell(e['hwfet'])}, test mass "
              f"{cell(e['test_mass'])}, road 50 mph {cell(e['road'][:, 1])}")
    a = {t: np.array([lofo.predicted[t][i] / c.tests[t] - 1.0
                      for i, c in zip(pos, cars_l, strict=True)]) for t in fe.TESTS}
    print(f"  {LABEL_STEPS[4][1]:40s} FTP {cell(a['ftp'])}, HWFET {cell(a['hwfet'])}")
    for cv in conv:
        b = {k: float(np.mean(err[(cv, k)])) for k, _ in LABEL_STEPS}
        mass = 0.5 * (b["specs"] - b["etw"] + b["coast"] - b["both"])
        road = 0.5 * (b["specs"] - b["coast"] + b["etw"] - b["both"])
        print(f" bias parts, {cv} set (points; the two orders of mass and road load "
              f"averaged): {100 * b['specs']:+.2f} = test mass {100 * mass:+.2f} + road load "
              f"{100 * road:+.2f} + the import's powertrain inputs "
              f"{100 * (b['both'] - b['a']):+.2f} + the powertrain kernel (a) "
              f"{100 * (b['a'] - b['meas']):+.2f} + the label formula on the test car "
              f"{100 * (b['meas'] - b['U']):+.2f} (its configuration against the model type) "
              f"{100 * b['U']:+.2f} (the formula on the model type's own values)")
    cv = "fueleconomy.gov"
    print(f" by feature ({cv} set), label combined MAE (bias), %: from specs / (a) / measured"
          " + formula")
    for title, bins in _bins(cars_l):
        print(f"  {title}:")
        for name, m in bins:
            if m.any():
                print(f"    {name:14s} n={m.sum():3d}: {cell(err[(cv, 'specs')][m])} / "
                      f"{cell(err[(cv, 'a')][m])} / {cell(err[(cv, 'meas')][m])}")
    every = so.errors(runs["specs"])
    pw_all = np.array([c.hp * 0.7457 / c.etw * 1000.0 for c in done])

    def mean(x: np.ndarray) -> str:
        x = x[np.isfinite(x)]
        return f"{100 * np.mean(x):+.1f}" if x.size else "-"
    print("  from specs by rated power / ETW, every configuration (mean error, %): test mass,"
          " curb vs published, road load 20 / 50 / 70 mph, FTP, HWFET")
    for lo, hi in ((0, 55), (55, 70), (70, 85), (85, 100), (100, 1000)):
        m = (pw_all >= lo) & (pw_all < hi)
        print(f"    {lo}-{hi} W/kg n={m.sum():3d}: {mean(every['test_mass'][m])}, "
              f"{mean(every['curb'][m])}, " + " / ".join(mean(every['road'][m, j])
                                                        for j in range(3))
              + f", {mean(every['ftp'][m])}, {mean(every['hwfet'][m])}")
    yr = np.array([c.year for c in cars_l], float)
    vd = np.array([c.vd for c in cars_l])
    pw = np.array([c.hp * 0.7457 / c.etw for c in cars_l])
    print("  Pearson r of the error from specs with model year / displacement / power per "
          "ETW: " + " / ".join(f"{np.corrcoef(x, err[(cv, 'specs')])[0, 1]:+.2f}"
                               for x in (yr, vd, pw)))


#: ``label_split``'s per-configuration cache (git-ignored; recomputed when the model,
#: this file or a ``benchmarks/`` module it imports changes, :mod:`result_cache`).
LABEL_SPLIT_CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                 "label_split.json")


def label_split_rows(refresh: bool = False) -> list[dict]:
    """One dict per labelled gasoline configuration of :func:`label_parts`' chain (the
    hold-out constants of :func:`_gasoline_holdout`): key and EPA test numbers (the
    car's identity, :mod:`testcar_id`), family, class, gears, model
    year, drive, turbo, rated power per ETW (W/kg), the label combined error of each step
    of :data:`LABEL_STEPS` but ``U`` (fueleconomy.gov set), and from specs the test mass
    against the ETW, the curb against the published one and the road load at 20 / 50 /
    70 mph against the EPA targets. Cached in :data:`LABEL_SPLIT_CACHE` (~12 min on 2
    idle cores to compute)."""
    rows = result_cache.cached(Path(LABEL_SPLIT_CACHE), _label_split_compute, refresh)
    if rows and "test_numbers" not in rows[0]:  # a cache of before the identity (issue 13)
        rows = result_cache.cached(Path(LABEL_SPLIT_CACHE), _label_split_compute, True)
    return rows


def _label_split_compute() -> list[dict]:
    """:func:`label_split_rows` computed (no cache)."""
    cars, lofo, ho = _gasoline_holdout()
    runs = chain_variant_cases(so.cases(cars, hybrids=False), ho)
    # per car, not per key (testcar_id)
    pos = testcar_id.positions(lofo.cars, [case.car for case in runs["specs"]])
    rows = []
    for i, case in enumerate(runs["specs"]):
        car, lab = case.car, tc.label_for(case.car)
        if lab is None:
            continue
        err = {k: _label_comb(runs[k][i].outputs["energy:ftp_mpg"],
                              runs[k][i].outputs["energy:hwfet_mpg"], car.year,
                              "fueleconomy.gov") / lab.comb - 1.0
               for k in ("specs", "etw", "coast", "both")}
        j = pos[i]
        err["a"] = _label_comb(lofo.predicted["ftp"][j], lofo.predicted["hwfet"][j], car.year,
                               "fueleconomy.gov") / lab.comb - 1.0
        err["meas"] = _label_comb(car.tests["ftp"], car.tests["hwfet"], car.year,
                                  "fueleconomy.gov") / lab.comb - 1.0
        e = so.errors([case])
        rows.append({"key": car.key, "test_numbers": list(car.test_numbers),
                     "family": car.family, "cls": car.cls,
                     "gears": car.n_gears, "year": car.year, "drive": car.drive,
                     "turbo": bool(car.turbo), "w_per_kg": car.hp * 745.7 / car.etw,
                     "err": err, "test_mass": float(e["test_mass"][0]),
                     "curb": float(e["curb"][0]),
                     "road": [float(x) for x in e["road"][0]],
                     "city": float(e["city"][0]), "hwy": float(e["hwy"][0])})
    return rows


def _split_parts(rows: list[dict]) -> dict[str, np.ndarray]:
    """Per-configuration parts of the label error from specs (points of relative error):
    ``mass`` and ``road`` (each the change when the measured ETW or coast-down replaces
    the predicted one, the two orders averaged), ``inputs`` (the import's powertrain
    inputs: the design path on both measured settings against the (a) kernel), ``kernel``
    (the (a) kernel against the measured FTP / HWFET), ``formula`` (the label formula on
    the measured FTP / HWFET against the label); they add up to ``specs``."""
    e = {k: np.array([r["err"][k] for r in rows]) for k in rows[0]["err"]}
    return {"specs": e["specs"], "both": e["both"],
            "mass": 0.5 * (e["specs"] - e["etw"] + e["coast"] - e["both"]),
            "road": 0.5 * (e["specs"] - e["coast"] + e["etw"] - e["both"]),
            "inputs": e["both"] - e["a"], "kernel": e["a"] - e["meas"], "formula": e["meas"]}


def label_split() -> None:
    """The gasoline label from specs (issue 13, 4 Dec 2026), per configuration: which part
    of the error (test mass, road load, the import's powertrain inputs, the (a) kernel,
    the label formula; :func:`_split_parts`) carries the MAE and the bias, by transmission,
    model year, drive, power per ETW and family. ``MAE gain`` of a part: the label MAE from
    specs minus the MAE with that part's error taken out (the measured value put in), so
    what fixing the part alone would buy. Rows from :func:`label_split_rows` (cached)."""
    rows = label_split_rows()
    p = _split_parts(rows)
    fam = np.array([r["family"] for r in rows])
    cls = np.array([r["cls"] for r in rows])
    gears = np.array([r["gears"] for r in rows])
    yr = np.array([r["year"] for r in rows])
    drive = np.array([r["drive"] for r in rows])
    pw = np.array([r["w_per_kg"] for r in rows])
    tm = np.array([r["test_mass"] for r in rows])
    road = np.array([r["road"] for r in rows])

    def line(name: str, m: np.ndarray) -> str:
        s = p["specs"][m]
        gain = {k: np.mean(np.abs(s)) - np.mean(np.abs(s - p[k][m])) for k in ("mass", "road")}
        pt_gain = np.mean(np.abs(s)) - np.mean(np.abs(s - p["inputs"][m]))
        return (f"  {name:24s} n={m.sum():3d} specs {_ms(s):>17s} | parts (bias, points): "
                f"mass {100 * p['mass'][m].mean():+5.2f} road {100 * p['road'][m].mean():+5.2f}"
                f" inputs {100 * p['inputs'][m].mean():+5.2f} kernel "
                f"{100 * p['kernel'][m].mean():+5.2f} formula {100 * p['formula'][m].mean():+5.2f}"
                f" | MAE gain mass {100 * gain['mass']:+5.2f} road {100 * gain['road']:+5.2f} "
                f"inputs {100 * pt_gain:+5.2f} | both measured {_ms(p['both'][m]):>17s} | "
                f"test mass {100 * tm[m].mean():+5.1f}, road 20/50/70 mph "
                + "/".join(f"{100 * np.nanmean(road[m, j]):+5.1f}" for j in range(3)))
    every = np.ones(len(rows), bool)
    print(f"{len(rows)} labelled gasoline configurations from specs, hold-out constants "
          "(probe footing); label combined error, %:")
    print(line("all", every))
    print(" by transmission:")
    for k in fe.ICE_CLASSES:
        for name, m in ((k, cls == k), (f"{k} <= 5 gears", (cls == k) & (gears <= 5)),
                        (f"{k} 6+ gears", (cls == k) & (gears >= 6))):
            if m.any() and (k in ("automatic", "manual") or name == k):
                print(line(name, m))
    print(" by model year:")
    for lo, hi in ((2011, 2013), (2014, 2016), (2017, 2019), (2020, 2023)):
        print(line(f"{lo}-{hi}", (yr >= lo) & (yr <= hi)))
    print(" by drive:")
    for k in sorted(set(drive)):
        print(line(k, drive == k))
    print(" by rated power / ETW:")
    for lo, hi in ((0, 55), (55, 70), (70, 85), (85, 1000)):
        print(line(f"{lo}-{hi} W/kg", (pw >= lo) & (pw < hi)))
    tot = np.abs(p["specs"]).sum()
    order = sorted(set(fam), key=lambda f: -np.abs(p["specs"][fam == f]).sum())
    print(" by family (largest share of the summed |error| first; share %):")
    for f in order:
        m = fam == f
        print(line(f"{f[:18]} {100 * np.abs(p['specs'][m]).sum() / tot:4.1f}", m))
    # what each part is worth over all: swap one measured part in for every car
    s = p["specs"]
    for k in ("mass", "road", "inputs", "kernel"):
        print(f"  all, the {k} part removed: {_ms(s - p[k])}")
    print(f"  all, test mass and road load removed: {_ms(p['both'])}; city "
          f"{_ms(np.array([r['city'] for r in rows]))}, highway "
          f"{_ms(np.array([r['hwy'] for r in rows]))}")
    # the import's inputs against the imported ratio's fuel-air-cycle factor vs the
    # fit's reference (every EPA row at COMPRESSION_RATIO_REF in the shipped fit)
    cars = tc.test_cars()
    by_id = testcar_id.index(cars)
    f, pub = [], []
    for r in rows:
        car = cars[by_id[(r["key"], tuple(r["test_numbers"]))]]
        er = tc.engine_ratio(car, car.turbo)
        cr = er.ratio if er is not None else US_COMPRESSION_RATIO_DEFAULT[bool(car.turbo)]
        f.append(pt.compression_efficiency(cr, bool(car.turbo)) - 1.0)
        pub.append(er is not None)
    f, pub = np.array(f), np.array(pub)
    x = p["inputs"]
    k = float(np.polyfit(f, x, 1)[0])
    print(f"  the import's inputs vs its ratio's factor against the fit's reference: factor "
          f"{_pct(f.mean())}, inputs {_pct(x.mean())}, r = {np.corrcoef(f, x)[0, 1]:.2f}, "
          f"slope {k:.2f}; published ratio n={pub.sum()} inputs {_pct(x[pub].mean())}, US "
          f"default n={(~pub).sum()} {_pct(x[~pub].mean())}")
    print(f"  what-ifs (parts taken out): the ratio basis (slope x factor) {_ms(s - k * f)}; "
          f"and the road load {_ms(s - k * f - p['road'])}; and the test mass "
          f"{_ms(s - k * f - p['road'] - p['mass'])}")
    two = drive == "rwd"
    print(f"  rear drive (n={two.sum()}: {', '.join(sorted(set(fam[two])))}): road load "
          f"removed for them alone {_ms(np.where(two, s - p['road'], s))}; without them "
          f"(n={(~two).sum()}) {_ms(s[~two])}, their road load removed "
          f"{_ms((s - p['road'])[~two])}")


#: ``roadload_power``: rated power per test mass (W/kg) above which the trial's rolling
#: term grows (the shipped road-load fit's median car is about 75 W/kg at its ETW).
POWER_HINGE_W_PER_KG = 75.0


def _power_lever(d: rp.Data) -> rp.Lever:
    """``c0 (1 + k max(P/m - 75 W/kg, 0) / 10 W/kg)`` on the (e) cases (ETW as mass)."""
    pm = np.array([c.car.hp * 0.7457 / c.car.etw * 1000.0 for c in d.cs])
    return rp.Lever("rolling c0 (1 + k max(P/m - 75 W/kg, 0) / 10)",
                    np.maximum(pm - POWER_HINGE_W_PER_KG, 0.0) / 10.0)


def roadload_power() -> None:
    """Tried, not kept (4 Dec 2026): a rolling term that grows with the rated power per
    test mass, ``F0 = m g c0 (1 + k max(P/m - 75 W/kg, 0) / 10 W/kg)`` (status A: a proxy
    for the grip-oriented, higher-speed-rated tyres fitted to powerful cars, whose
    rolling resistance is higher: NHTSA DOT HS 811 154, 2009, found better rolling
    resistance strongly tied to poorer wet grip over 16 tyre models [R]; the spec sheet
    carries no tyre rolling-resistance class). ``label_parts`` found the specs-only label
    error growing with power per mass (+3.6 % at 85 W/kg and above, -2 % below 70) and
    carried by the road load from specs. Judged as (e) (published Cd, ETW as mass,
    ``c0``, ``c1``, ``k`` refitted without the family), then through the specs-only
    chain to the label of the gasoline configurations with a label row (the hold-out
    constants of :func:`_gasoline_holdout`, the road-load triple of each family's
    refit on the predicted test mass). About 5 minutes."""
    d = rp.data()
    every = np.ones(len(d.cs), bool)
    pm = np.array([c.car.hp * 0.7457 / c.car.etw * 1000.0 for c in d.cs])
    ev = np.array([c.car.cls == "ev" for c in d.cs])
    hi = pm >= 85.0
    fits_of = {}
    for name, lever in (("shipped (c0, c1)", None), ("with the power term", _power_lever(d))):
        err, p, fits = rp.lever_lofo(d, every, lever)
        fits_of[name] = (p, fits)
        mae = 100 * np.abs(err).mean(0)
        print(f"  (e) {name}: all-case {np.array2string(p, precision=6)}; held out MAE "
              f"20/50/70 mph {mae[0]:.2f}/{mae[1]:.2f}/{mae[2]:.2f} %, bias 50 mph "
              f"{100 * err[:, 1].mean():+.2f} %; >= 85 W/kg (n={hi.sum()}) 50 mph "
              f"{_pct(err[hi, 1].mean())} (MAE {100 * np.abs(err[hi, 1]).mean():.1f} %); "
              f"EV rows 50 mph MAE {100 * np.abs(err[ev, 1]).mean():.2f} %")
    p_all, fits = fits_of["with the power term"]
    ks = [v[2] for v in fits.values()]
    print(f"  k without each family {min(ks):.3f}-{max(ks):.3f}")
    cars, _, ho = _gasoline_holdout()
    todo = [car for car in so.cases(cars, hybrids=False) if tc.label_for(car) is not None]
    base = [so.predict(car, ho) for car in todo]
    trial = []
    for case in base:
        car = case.car
        p = fits.get(car.family, p_all)
        pm_c = car.hp * 0.7457 / case.outputs["mass:test"] * 1000.0
        crr = p[0] * (1.0 + p[2] * max(pm_c - POWER_HINGE_W_PER_KG, 0.0) / 10.0)
        h = replace(ho, road={car.family: {"road:crr": float(crr),
                                           "road:crr_speed": float(p[1])}})
        trial.append(so.predict(car, h))
    e0, e1 = so.errors(base), so.errors(trial)
    cls = np.array([c.car.cls for c in base])
    fam = np.array([c.car.family for c in base])
    for name, m in [("gasoline", np.ones(len(base), bool))] + [
            (k, cls == k) for k in fe.ICE_CLASSES] + [
            ("without MX-5 and 86", ~np.isin(fam, ("MAZDA MX-5", "TOYOTA 86")))]:
        print(f"    {name:20s} n={m.sum():3d}: label comb {_ms(e0['comb'][m])} -> "
              f"{_ms(e1['comb'][m])}; road 50 mph {_ms(e0['road'][m, 1])} -> "
              f"{_ms(e1['road'][m, 1])}")


def _kei_tyre(r: dict, tyre_d: float) -> tuple[float, float, float]:
    """The tyre size a kei WLTC row is checked with: the row's own (``kei.csv`` ``tyre``)
    where the check uses its diameter, else the class default 155/65R14."""
    t = tc.parse_tyre(r.get("tyre", ""))
    if t and abs((t[2] * 25.4 + 2.0 * t[0] * t[1] / 100.0) / 1000.0 - tyre_d) < 1e-6:
        return t
    return (155.0, 65.0, 14.0)


def _kei_wltc_with(c0: float, c1: float, law: bool) -> np.ndarray:
    """WLTC km/L errors of the kei ICE rows of :func:`keidesign.energy.calibration.
    kei_wltc_check` with ``road:crr`` = ``c0``, ``road:crr_speed`` = ``c1``, times the
    row's tyre factor when ``law`` (:func:`roadload_probe.tyre_rrc_factor`)."""

    spec_of = cal.kei_spec

    def spec(r, style, idle_stop, hyb, trans, drive, tyre_d):
        f = float(rp.tyre_rrc_factor(*_kei_tyre(r, tyre_d))) if law else 1.0
        return replace(spec_of(r, style, idle_stop, hyb, trans, drive, tyre_d),
                       crr=c0 * f, crr_speed=c1 * f)
    with mock.patch.object(cal, "kei_spec", spec):
        rows = cal.kei_wltc_check()
    return np.array([r["error"] for r in rows if r["unit"] == "km/L"])


def roadload_tyre() -> None:
    """Tried, not kept (4 Dec 2026, issue 13): the rolling resistance from the published
    tyre size. ``F = m g (c0 + c1 v) f(tyre) + aero``, ``f`` the TUM FTM regression of a
    tyre's rolling-resistance coefficient on its section width and outer radius
    (:func:`roadload_probe.tyre_rrc`, status R) relative to a 195/65R15;
    as published (``c0``, ``c1`` refitted) and with its strength ``k`` fitted (``1 + k (f
    - 1)``). Judged as (e) (published Cd, ETW as mass, every constant refitted without
    the family; the >= 85 W/kg rows and the EV rows apart), then through the specs-only
    chain to the label of the gasoline configurations with a label row (the hold-out
    constants of :func:`_gasoline_holdout`, each family's road-load constants of the
    form's refit on the design's own tyre), and on the kei WLTC check (all-data
    constants; no kei car is in the road-load fit). About 10 minutes."""

    d = rp.data()
    pm = np.array([c.car.hp * 0.7457 / c.car.etw * 1000.0 for c in d.cs])
    ev = np.array([c.car.cls == "ev" for c in d.cs])
    tyre = np.isfinite(d.tyre[:, 0])
    hi = pm >= 85.0
    f = rp.tyre_factor(d)
    print(f"(e) {len(d.cs)} road-load cases, {tyre.sum()} with a published tyre size; tyre "
          f"factor {f[tyre].min():.3f}-{f[tyre].max():.3f} (>= 85 W/kg mean "
          f"{f[hi & tyre].mean():.3f}, EV rows {f[ev & tyre].mean():.3f}, others "
          f"{f[~hi & ~ev & tyre].mean():.3f}); leave-one-family-out MAE (bias), %:")
    fits_of, err_of = {}, {}
    for form in rp.tyre_forms():
        for name, mask in (("all", np.ones(len(d.cs), bool)), ("with a tyre size", tyre)):
            e, p, fits = rp.form_lofo(d, form, mask)
            if name == "all":
                fits_of[form.name], err_of[form.name] = (p, fits), e
            h, v = hi[mask], ev[mask]
            extra = ""
            if len(p) > 2:
                ks = np.array([x[2] for x in fits.values()])
                extra = f", k {p[2]:+.3f} ({ks.min():+.3f} to {ks.max():+.3f})"
            print(f"  {form.name:40s} {name:16s} n={mask.sum():3d}: 20/50/70 mph "
                  f"{rp._speeds(e, 2)}; >= 85 W/kg (n={h.sum()}) 50 mph "
                  f"{rp._cell(e[h, 1], 1)}; EV (n={v.sum()}) 50 mph {rp._cell(e[v, 1], 2)}; "
                  f"c0 {p[0]:.5f}, c1 {p[1]:.3e}{extra}")
    e0, e1 = (err_of[form.name][:, 1] for form in rp.tyre_forms()[:2])
    fam = d.fam
    delta = sorted((100 * (np.abs(e1[fam == x]).mean() - np.abs(e0[fam == x]).mean()), x)
                   for x in set(fam))
    print("  as published, 50 mph by family (MAE change, points; bias before -> after): "
          + "; ".join(f"{x} (n={(fam == x).sum()}, f {f[fam == x].mean():.2f}) {dm:+.1f}, "
                      f"{_pct(e0[fam == x].mean())} -> {_pct(e1[fam == x].mean())}"
                      for dm, x in delta[:4] + delta[-4:]))
    i3 = fam == "BMW I3"
    print(f"  EV rows without the i3 (n={(ev & ~i3).sum()}) 50 mph MAE "
          f"{100 * np.abs(e0[ev & ~i3]).mean():.2f} -> {100 * np.abs(e1[ev & ~i3]).mean():.2f} %")
    # kei WLTC, all-data constants (no kei car in the road-load fit)
    p_ship = fits_of[rp.tyre_forms()[0].name][0]
    base_kei = _kei_wltc_with(p_ship[0], p_ship[1], False)
    print(f"  kei WLTC (ICE rows, n={len(base_kei)}): shipped form "
          f"{_ms(base_kei)}", end="")
    for form in rp.tyre_forms()[1:]:
        p = fits_of[form.name][0]
        k = p[2] if len(p) > 2 else 1.0
        # (1 + k (f - 1)) x (c0, c1) == the law with strength k: scale c0, c1 per row
        with mock.patch.object(rp, "tyre_rrc_factor",
                               lambda *a, k=k, g=rp.tyre_rrc_factor: 1.0 + k * (g(*a) - 1.0)):
            e = _kei_wltc_with(p[0], p[1], True)
        print(f"; {form.name} {_ms(e)}", end="")
    print()
    cars, _, ho = _gasoline_holdout()
    todo = [car for car in so.cases(cars, hybrids=False) if tc.label_for(car) is not None]
    designs = [so.imported(car) for car in todo]
    base = [so.predict(car, ho, dz) for car, dz in zip(todo, designs, strict=True)]
    e0 = so.errors(base)
    cls = np.array([c.car.cls for c in base])
    pw = np.array([c.car.hp * 0.7457 / c.outputs["mass:test"] * 1000.0 for c in base])
    groups = ([("gasoline", np.ones(len(base), bool))]
              + [(k, cls == k) for k in fe.ICE_CLASSES]
              + [(">= 85 W/kg", pw >= 85.0), ("< 85 W/kg", pw < 85.0)])
    print(f"  specs-only chain, {len(base)} labelled gasoline configurations (probe "
          "footing), label combined / road load 50 mph MAE (bias):")
    for form in rp.tyre_forms()[1:]:
        p_all, fits = fits_of[form.name]
        trial = []
        for case, dz in zip(base, designs, strict=True):
            car = case.car
            p = fits.get(car.family, p_all)
            k = p[2] if len(p) > 2 else 1.0
            v = dz.values
            fac = 1.0 + k * (float(rp.tyre_rrc_factor(v["body:tyre_width"],
                                                      v["body:tyre_aspect"],
                                                      v["body:rim_diameter"])) - 1.0)
            h = replace(ho, road={car.family: {"road:crr": float(p[0] * fac),
                                               "road:crr_speed": float(p[1] * fac)}})
            trial.append(so.predict(car, h, dz))
        e1 = so.errors(trial)
        print(f"   {form.name}:")
        for name, m in groups:
            print(f"    {name:12s} n={m.sum():3d}: label comb {_ms(e0['comb'][m])} -> "
                  f"{_ms(e1['comb'][m])}; road 50 mph {_ms(e0['road'][m, 1])} -> "
                  f"{_ms(e1['road'][m, 1])}")


# ------------------------------------------- the hybrids from published specs alone
def _hybrid_specs_holdout(cars: list, hyb: list) -> tuple[so.HoldOut, dict]:
    """The specs-only hold-out constants of the hybrid families as
    :meth:`keidesign.validation.specsonly.HoldOut.of` builds them (the ICE grid refitted
    without each hybrid family, ``fe.ice_lofo(only=...)``; the BEV loss constants, the
    road-load pair and the mass coefficients without the family) and the (a) refits."""
    from keidesign.energy import constants as kc
    from keidesign.mass import calibration as mcal
    from keidesign.validation import roadload as rl

    cf, res = _hybrid_lofo_fits(cars, hyb)
    base = kc.ice_constants()
    mass_cars = mcal.read_cars()
    ho = so.HoldOut(
        ice={f: cal.ice_section(base, fit) for f, fit in res["ice_lofo"].extra["fits"].items()},
        bev=dict(res["ev_lofo"].extra["fits"]),
        road={f: {"road:crr": v["c0"], "road:crr_speed": v["c1"]}
              for f, v in rl.validate(rl.cases(cars))["lofo_fits"].items()},
        mass={f: dict(zip(mcal.COEFFICIENT_NAMES,
                          mcal.fit([d for d in mass_cars if d.family != f]), strict=True))
              for f in sorted({d.family for d in mass_cars})})
    return ho, {"cf": cf, **res}


#: ``hybrid_specs``' steps: the specs-only chain, then the measured ETW and / or
#: coast-down put in the imported design (the import without ``--predict`` writes them).
HYBRID_SPECS_STEPS = (("specs", "from specs"), ("etw", "measured ETW"),
                      ("coast", "measured coast-down"), ("both", "measured ETW and coast-down"))


def hybrid_specs() -> None:
    """The EPA hybrids from published specs alone (issue 13 (b), (c), (d); class
    ``hybrid`` of :mod:`keidesign.validation.specsonly`): each configuration with a
    us_specs.csv row and a hybrid_systems.csv row imported with ``--predict`` and
    evaluated, shipped and held out by family (nothing fitted to hybrids), per layout;
    then taken apart (measured ETW, measured coast-down, both, and the (a) kernel on the
    dynamometer settings, held out) to say what dominates the worst rows. The gasoline
    and EV set is the one of before (asserted). About 8 minutes."""
    from dataclasses import replace

    from keidesign.design import parse_design
    from keidesign.specs import sources
    from keidesign.specs.build import build_design
    from keidesign.specs.write import design_text

    cars = tc.test_cars()
    every = so.cases(cars)
    gas_ev = so.cases(cars, hybrids=False)
    assert [c for c in every if c.cls != "hybrid"] == gas_ev
    hyb = [c for c in every if c.cls == "hybrid"]
    left = sorted({c.key for c in cars if c.cls == "hybrid"} - {c.key for c in hyb})
    print(f"gasoline and EV configurations: {len(gas_ev)} (unchanged); hybrids from specs: "
          f"{len(hyb)} of {sum(c.cls == 'hybrid' for c in cars)} (no us_specs.csv row: "
          f"{', '.join(left)})")
    ho, res = _hybrid_specs_holdout(cars, hyb)
    hs = [tc.hybrid_system(c) for c in hyb]
    masks = {"all": np.ones(len(hyb), bool),
             "full": np.array([h.layout == "full" for h in hs]),
             "mild (IMA)": np.array([h.layout == "mild" for h in hs])}
    runs = {"shipped": so.run(hyb), "lofo": so.run(hyb, ho)["lofo"]}
    for how, r in runs.items():
        err = r["err"]
        for mname, m in masks.items():
            parts = []
            for key, name in (("ftp", "FTP"), ("hwfet", "HWFET"), ("comb", "label comb"),
                              ("test_mass", "test mass"), ("curb", "curb")):
                e = err[key][m]
                e = e[~np.isnan(e)]
                worst = 100 * e[np.argmax(np.abs(e))]
                parts.append(f"{name} {100 * np.mean(np.abs(e)):.1f} % "
                             f"({100 * np.mean(e):+.1f} %, worst {worst:+.1f} %)")
            e = err["road"][m, 1]
            parts.append(f"road 50 mph {100 * np.mean(np.abs(e)):.1f} % "
                         f"({100 * np.mean(e):+.1f} %)")
            print(f"  {how} {mname} (n={int(m.sum())}): " + "; ".join(parts))
    a = fe.hybrid_lofo(hyb, hs, res["cf"], res)
    print("  held out, taken apart (FTP / HWFET error, %):")
    steps = {s: {"ftp": [], "hwfet": []} for s, _ in HYBRID_SPECS_STEPS}
    for i, car in enumerate(hyb):
        pd = so.imported(car)
        head, tabs = build_design(sources.epa_spec(car=car), predict=False)
        md = parse_design(design_text(head, tabs), "<measured>")
        etw = {k: v for k, v in md.values.items() if k.startswith("energy:test_weight")}
        cd = {k: v for k, v in md.values.items() if k.startswith("energy:coastdown")}
        var = {"specs": {}, "etw": etw, "coast": cd, "both": {**etw, **cd}}
        line = f"    {car.key[:44]:44s}"
        for s, _ in HYBRID_SPECS_STEPS:
            o = so.predict(car, ho, replace(pd, values={**pd.values, **var[s]})).outputs
            for t, k in (("ftp", "energy:ftp_mpg"), ("hwfet", "energy:hwfet_mpg")):
                steps[s][t].append(o[k] / car.tests[t] - 1.0)
            line += f" {s} {100 * steps[s]['ftp'][-1]:+5.1f}/{100 * steps[s]['hwfet'][-1]:+5.1f}"
        line += (f" (a) {100 * a.error('ftp')[i]:+5.1f}/{100 * a.error('hwfet')[i]:+5.1f}"
                 f" | road 50 {100 * runs['lofo']['err']['road'][i, 1]:+5.1f}"
                 f" test mass {100 * runs['lofo']['err']['test_mass'][i]:+5.1f}")
        print(line)
    for s, name in HYBRID_SPECS_STEPS:
        print(f"  {name}: " + "; ".join(
            f"{t.upper()} {100 * np.mean(np.abs(steps[s][t])):.1f} % "
            f"({100 * np.mean(steps[s][t]):+.1f} %)" for t in ("ftp", "hwfet")))
    print("  (a) kernel, dynamometer settings: " + "; ".join(
        f"{t.upper()} {100 * np.mean(np.abs(a.error(t))):.1f} % "
        f"({100 * np.mean(a.error(t)):+.1f} %)" for t in ("ftp", "hwfet")))


PROBES = {"flags": flags, "floor": floor, "spec_floor": spec_floor.main, "hybrids": hybrids,
          "hybrid_compression": hybrid_compression, "over_expanded": over_expanded,
          "ev_motors": _before_drag(ev_motors),
          "chain": chain, "ratio_fit": ratio_fit, "ratio_fit_more": ratio_fit_more,
          "ratio_fit_specs": ratio_fit_specs, "compression": compression,
          "cylinder_friction": cylinder_friction,
          "cylinder_friction_kei": cylinder_friction_kei, "ratio_ship": ratio_ship,
          "ratio_ship_exact": lambda: ratio_ship(exact=True, kei_checks=False),
          "roadload": roadload, "roadload_drag": roadload_drag,
          "roadload_chain": rp.chain_trials, "roadload_label": roadload_label,
          "roadload_parasitic": rp.parasitic, "roadload_parasitic_chain": rp.chain_parasitic,
          "ratio_fit_specs_rwd": lambda: ratio_fit_specs(rwd_force=True),
          "ev_torque": _before_drag(ev_torque), "ev_shapes": _before_drag(ev_shapes),
          "ev_label": _before_drag(ev_label), "ev_packs": _before_drag(ev_packs),
          "ev_bias_parts": ev_bias_parts, "ev_twins": ev_twins, "jc08": jc08,
          "ev_charging": _before_drag(ev_charging), "ev_levers": _before_drag(ev_levers),
          "ev_outliers": _before_drag(ev_outliers), "ev_regen_axle": ev_regen_axle,
          "ev_cmag": ev_cmag, "ev_cmag_drop": ev_cmag_drop,
          "transmission": transmission, "manual_residuals": _manual_residuals,
          "gasoline_residuals": _gasoline_residuals, "willans_e": _willans_e,
          "coastdown_a": _coastdown_a, "coastdown_a_trial": _coastdown_a_trial,
          "technology": _technology, "isg_pairs": isg_pairs, "newuser": newuser.main,
          "newuser_kei": newuser_kei.main,
          "newuser_kei3": newuser_kei3.main, "kei_paths": kei_paths.main,
          "kei_import_gap": kei_import_gap.main,
          "absent_bevs": absent_bevs.main,
          "gasoline_label_parts": gasoline_label_parts.main,
          "ratio_reference": ratio_reference_trial.main,
          "grip_tyre": grip_tyre_trial.main, "grip_ratio": grip_ratio_trial.main,
          "throttle": throttle_trial.main,
          "absent_families": absent_families.main,
          "absent_roadload": absent_families.roadload_parts,
          "absent_mass": absent_mass.main,
          "power_parts": power_parts.main,
          "power_parts_held": power_parts_held.main,
          "mass_union": mass_union.main,
          "kei_mass": kei_mass.main,
          "mlit_kei": mlit_kei.main, "cab_over": cab_over.main,
          "unseen_parts": unseen_parts.main, "kei_4at_phases": kei_4at_phases.main,
          "kei_wltc_phases": kei_wltc_phases.main,
          "kei_at_gearing": kei_at_gearing.main,
          "kei_at_gearing_fit": kei_at_gearing.epa_fit,
          "full_hybrid": full_hybrid, "open_body": open_body,
          "open_body_twins": open_body_twins.main,
          "open_body_cd": open_body_cd, "one_box_cd": one_box_cd,
          "offroad_cd": offroad_cd,
          "ev_mass_factor": ev_accel_probe.main, "ev_launch": ev_launch_trial.main,
          "transmission_mass": _transmission_mass,
          "converter_lockup": converter_lockup, "at_lockup": at_lockup.main,
          "at_lockup_absent": at_lockup.absent_check,
          "at_lockup_top": at_lockup.top_trial, "at_lockup_top_checks": at_lockup.top_checks,
          "at_lockup_top_label": at_lockup.top_label,
          "at_spin": lambda: at_lockup.top_trial(spin=True),
          "at_spin_checks": lambda: at_lockup.top_checks(spin=True),
          "at_spin_label": lambda: at_lockup.top_label(spin=True),
          "at_spin_viscous": lambda: at_lockup.top_trial(spin=True, law="viscous"),
          "at_spin_viscous_checks": lambda: at_lockup.top_checks(spin=True, law="viscous"),
          "at_spin_viscous_label": lambda: at_lockup.top_label(spin=True, law="viscous"),
          "at_tc_multiplication": lambda: at_lockup.top_trial(spin=True, law="multiplication"),
          "at_tc_multiplication_checks":
              lambda: at_lockup.top_checks(spin=True, law="multiplication"),
          "at_tc_multiplication_label":
              lambda: at_lockup.top_label(spin=True, law="multiplication"),
          "jimny_sierra": jimny_sierra.main,
          "hybrid_battery": hybrid_battery,
          "hybrid_battery_lofo": hybrid_battery_lofo, "hybrid_hwfet": hybrid_hwfet,
          "kei_automatic": kei_automatic.main, "kei_automatic_fit": kei_automatic.fit_trial,
          "kei_goods": kei_automatic.goods_vehicles,
          "kei_automatic_idle": kei_automatic.idle_trial,
          "kei_automatic_idle_fit": kei_automatic.idle_fit_trial,
          "label_parts": label_parts, "roadload_power": roadload_power,
          "roadload_tyre": roadload_tyre, "label_split": label_split,
          "engine_maps": engine_maps.main, "hybrid_specs": hybrid_specs,
          "ev_losses": ev_losses.main, "twin_ratio": _twin_ratio,
          "ev_torque_size": ev_torque_size_trial.main,
          "ev_charger": ev_charger_trial.main,
          "ev_standing": ev_standing,
          "ev_pack": ev_pack_trial.main,
          "ev_ftp": lambda: ev_ftp_trial.main(["T1", "T2"]),
          "ev_light_load": lambda: ev_light_load_trial.main([]),
          "cvt_losses": cvt_losses_probe,
          "cvt_losses_exact": lambda: cvt_losses_probe(exact=True, trials=("shipped", "belt")),
          "cvt_cruise": cvt_cruise_probe,
          "cvt_cruise_exact": lambda: cvt_cruise_probe(trials=("accel",), exact=True),
          "cvt_cruise_scope": cvt_cruise_scope,
          "cvt_cruise_scaled_exact": lambda: cvt_cruise_probe(
              trials=("scaled",), exact=True, scales=(0.85, 1.0)),
          "plausibility": lambda: plausibility.main([]),
          "later_years": later_years.main, "ev_misses": ev_misses.main}


def main(argv: list[str]) -> int:
    return probe_cli.run(PROBES, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
