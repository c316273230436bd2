"""The weekly dynamics: mechanisms as pure, vectorised functions over the model's arrays.

One module per mechanism (:mod:`workload`, :mod:`knowledge`, :mod:`support`,
:mod:`collective`, :mod:`balance`, :mod:`health`, :mod:`outcomes`, :mod:`navigation`,
:mod:`negotiation`); :mod:`state` holds the arrays and builds them at baseline; :mod:`step`
runs one week in a fixed, documented order.
"""
