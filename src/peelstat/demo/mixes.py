"""The demo's mixes and rates: real 2018–19 police.uk shares and published orders of magnitude.

These numbers are the demo's own; :mod:`peelstat.demo.table_mixes` deliberately uses
rounder, flatter ones (see :mod:`peelstat.demo.labels`). Dict order is the order
of the codes drawn, so reordering a mix changes the generated files.
"""

from __future__ import annotations

import numpy as np

from peelstat.demo.labels import ASB, NO_FURTHER_ACTION

# Shares of recorded crime (ASB excluded) in the real street files 2018-10 to 2019-01.
CRIME_MIX = {
    "Violence and sexual offences": 0.367,
    "Criminal damage and arson": 0.120,
    "Other theft": 0.098,
    "Public order": 0.080,
    "Vehicle crime": 0.078,
    "Burglary": 0.078,
    "Shoplifting": 0.077,
    "Drugs": 0.031,
    "Other crime": 0.022,
    "Bicycle theft": 0.018,
    "Theft from the person": 0.013,
    "Robbery": 0.009,
    "Possession of weapons": 0.009,
}
CRIME_TYPES = [ASB, *CRIME_MIX]
# (amplitude, peak month): violence and ASB peak in summer, burglary in the dark months.
SEASONALITY = {
    ASB: (0.22, 7),
    "Violence and sexual offences": (0.10, 7),
    "Public order": (0.08, 7),
    "Bicycle theft": (0.30, 8),
    "Burglary": (0.08, 12),
    "Shoplifting": (0.05, 12),
}
CRIMES_PER_1000 = 85.0
ASB_PER_CRIME = 0.5  # ASB is then about a third of street rows
STOP_SEARCH_PER_1000 = 7.5
BTP_NOTIONAL_RESIDENTS = 700_000  # BTP polices the railways, not an area: a volume like 2018's
NO_LOCATION_SHARE = 0.02
STREETS = 400  # synthetic street names per force

# Last outcome category of a crime in a street file (real 2018-10/2019-01 mix, crimes only).
STREET_OUTCOMES = {
    "Investigation complete; no suspect identified": 0.368,
    "Unable to prosecute suspect": 0.336,
    "Status update unavailable": 0.096,
    "Under investigation": 0.040,
    "Court result unavailable": 0.052,
    "Local resolution": 0.020,
    "Offender given a caution": 0.014,
    "Action to be taken by another organisation": 0.013,
    "Further investigation is not in the public interest": 0.013,
    "Formal action is not in the public interest": 0.010,
    "Offender sent to prison": 0.008,
    "Offender given community sentence": 0.008,
    "Offender given a drugs possession warning": 0.005,
    "Offender fined": 0.004,
    "Defendant found not guilty": 0.003,
    "Offender given conditional discharge": 0.003,
    "Offender given suspended prison sentence": 0.003,
    "Court case unable to proceed": 0.002,
}
# Outcome events recorded in a month for crimes of that month and earlier ones.
POLICE_EVENTS = {
    "Investigation complete; no suspect identified": 0.42,
    "Unable to prosecute suspect": 0.33,
    "Suspect charged": 0.07,
    "Local resolution": 0.04,
    "Offender given a caution": 0.03,
    "Further investigation is not in the public interest": 0.03,
    "Action to be taken by another organisation": 0.03,
    "Formal action is not in the public interest": 0.02,
    "Offender given a drugs possession warning": 0.01,
    "Offender given penalty notice": 0.01,
    "Suspect charged as part of another case": 0.01,
}
COURT_EVENTS = {
    "Awaiting court outcome": 0.15,
    "Court result unavailable": 0.20,
    "Offender sent to prison": 0.15,
    "Offender given community sentence": 0.15,
    "Offender fined": 0.10,
    "Offender given suspended prison sentence": 0.08,
    "Offender given conditional discharge": 0.06,
    "Defendant found not guilty": 0.06,
    "Court case unable to proceed": 0.05,
}
OUTCOME_LAG_SHARE = (0.30, 0.25, 0.12, 0.07, 0.05, 0.03, 0.02)  # of month M-k crimes, k = 0..6
DUPLICATE_OUTCOME_SHARE = 0.02  # police.uk outcomes files repeat some lines exactly

SEARCH_TYPES = {"Person search": 0.743, "Person and Vehicle search": 0.236, "Vehicle search": 0.021}
OBJECTS = {
    "Controlled drugs": 0.62,
    "Offensive weapons": 0.15,
    "Stolen goods": 0.10,
    "Article for use in theft": 0.06,
    "Evidence of offences under the Act": 0.03,
    "Articles for use in criminal damage": 0.012,
    "Firearms": 0.012,
    "Anything to threaten or harm anyone": 0.011,
    "Fireworks": 0.005,
}
SEARCH_OUTCOMES = {
    NO_FURTHER_ACTION: 0.725,
    "Arrest": 0.146,
    "Community resolution": 0.054,
    "Khat or Cannabis warning": 0.029,
    "Penalty Notice for Disorder": 0.023,
    "Summons / charged by post": 0.017,
    "Caution (simple or conditional)": 0.006,
}
# How much more often than their share of residents each group is searched (rough, national).
SEARCH_RATE_RATIO = {"White": 1.0, "Black": 6.0, "Asian": 1.6, "Other": 2.0, "Mixed": 1.8}
SELF_DEFINED = {
    "White": "White - English/Welsh/Scottish/Northern Irish/British",
    "Black": "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
    "Asian": "Asian/Asian British - Any other Asian background",
    "Other": "Other ethnic group - Any other ethnic group",
    "Mixed": "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background",
}
CENSUS_GROUP = {
    "White": "White",
    "Black (or Black British)": "Black",
    "Asian (or Asian British)": "Asian",
}

STOP_SEARCH_SEASONALITY = (0.05, 7)  # searches peak gently in summer
OTHER_SEASONALITY = (0.03, 7)  # crime types not listed in SEASONALITY
# Shares of residents by group where the 2011 census has none for a force (BTP).
NATIONAL_ETHNICITY = {"White": 0.86, "Black": 0.034, "Asian": 0.075, "Other": 0.01, "Mixed": 0.02}


def seasonal_factor(amplitude: float, peak: int, calendar_month: int) -> float:
    """How far a month sits above or below the year's average: a cosine peaking at ``peak``."""
    return 1 + amplitude * np.cos(2 * np.pi * (calendar_month - peak) / 12)
