"""The public pages, one module each: ``processing_times`` (``/sagsbehandlingstider/``),
``inspection_reports`` (``/tilsynsrapporter/``), ``surveys`` (``/tilfredshed/<link>/``)."""
