"""The mixes of the SYNTHETIC warehouse tables: round, flat shares, not real ones.

Deliberately rounder and flatter than the demo archives' real 2018–19 mixes (in
:mod:`peelstat.demo.mixes`), with no seasonality or trends: tests need every category present
and no empty force-month, not realism. Dict order is the order of the codes drawn.
"""

from __future__ import annotations

from peelstat.demo.labels import ASB, ETHNIC_GROUPS, NO_FURTHER_ACTION

STREET_TYPES = {
    "Violence and sexual offences": 0.26,
    ASB: 0.20,
    "Criminal damage and arson": 0.09,
    "Other theft": 0.07,
    "Public order": 0.06,
    "Vehicle crime": 0.06,
    "Shoplifting": 0.06,
    "Burglary": 0.05,
    "Drugs": 0.025,
    "Bicycle theft": 0.02,
    "Other crime": 0.02,
    "Theft from the person": 0.01,
    "Robbery": 0.0075,
    "Possession of weapons": 0.0075,
}
STREET_OUTCOMES = {
    "Investigation complete; no suspect identified": 0.35,
    "Unable to prosecute suspect": 0.30,
    "Status update unavailable": 0.10,
    "Court result unavailable": 0.05,
    "Suspect charged": 0.04,
    "Offender sent to prison": 0.02,
    "Local resolution": 0.04,
    "Under investigation": 0.10,
}
OUTCOME_EVENTS = {
    "Suspect charged": 0.15,
    "Investigation complete; no suspect identified": 0.4,
    "Unable to prosecute suspect": 0.35,
    "Local resolution": 0.1,
}
# Officer-defined ethnicity of people searched; None: not recorded.
ETHNICITY: dict[str | None, float] = dict(
    zip([*ETHNIC_GROUPS, None], [0.7, 0.1, 0.1, 0.03, 0.01, 0.06], strict=True)
)
SEARCH_OUTCOMES = {
    NO_FURTHER_ACTION: 0.7,
    "Arrest": 0.14,
    "Khat or Cannabis warning": 0.05,
    "Community resolution": 0.04,
    "Summons / charged by post": 0.02,
    None: 0.05,
}
ROLLING_OFFENCES = {
    "Homicide": 0.0001,
    "Violence with injury": 0.09,
    "Violence without injury": 0.12,
    "Stalking and harassment": 0.08,
    "Death or serious injury caused by illegal driving": 0.0001,
    "Sexual offences": 0.03,
    "Robbery": 0.01,
    "Theft from the person": 0.01,
    "Vehicle offences": 0.08,
    "Drug offences": 0.02,
    "Possession of weapons offences": 0.005,
    "Public order offences": 0.1,
    "Shoplifting": 0.08,
    "Bicycle theft": 0.02,
    "All other theft offences": 0.1,
    "Criminal damage and arson": 0.12,
    "Miscellaneous crimes against society": 0.015,
    "Non-residential burglary": 0.02,
    "Residential burglary": 0.05,
    "Domestic burglary": 0.0,
    "Non-domestic burglary": 0.0,
}
OUTCOME_TYPES = {
    "1": 0.07,
    "8": 0.05,
    "14": 0.2,
    "15": 0.1,
    "16": 0.1,
    "18": 0.3,
    "21": 0.03,
    "22": 0.01,
    "0": 0.14,
}
