"""Home Office police recorded crime and crime outcomes open data tables, by force.

Three published tables, each as CSV or as the published ODS/XLSX (the sheet whose header
matches is used; a workbook with one sheet per year gives every year):

* ``home-office``: recorded crime by force, offence code and financial quarter
  (``prc-pfa-mar2013-onwards-tables``) → ``recorded_crime``;
* ``home-office-rolling``: rolling 12-month totals by force area and offence group
  (``rec-crime-pfa.csv``) → ``recorded_crime_rolling``;
* ``crime-outcomes``: outcomes by force, offence code, outcome type and quarter
  → ``crime_outcomes``.

Rows for Action Fraud, CIFAS, UK Finance and Financial Fraud Action UK are rejected with the
reason :data:`~peelstat.sources.home_office.common.NOT_A_FORCE`: they are national fraud reporting bodies, not force areas, and
counting them as forces would add about 640,000 offences a year to any sum over forces.

Negative counts are loaded as published: they are net adjustments (offences cancelled or
reclassified after the quarter they were recorded in), and the published totals include them.

The modules: :mod:`.common` (what the three share: financial years and quarters, force names,
offence columns) and one per table, :mod:`.recorded_crime`, :mod:`.rolling` and
:mod:`.outcomes`, each with the warehouse table it writes and how measures read it.
"""
