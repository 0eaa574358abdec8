"""The clients app's models: people served (people.py) and their privacy (privacy.py)."""

from .people import (
    DISCHARGE_REASONS,
    CareTeamMember,
    Client,
    ClientQuerySet,
    EndReason,
    Enrollment,
    Handoff,
    ServiceConsent,
    phone_digits,
)
from .privacy import (
    Consent,
    Determination,
    Disclosure,
    EmergencyAccess,
    Notification,
    PrivacyPolicy,
)

__all__ = [
    "DISCHARGE_REASONS",
    "CareTeamMember",
    "Client",
    "ClientQuerySet",
    "Consent",
    "Determination",
    "Disclosure",
    "EmergencyAccess",
    "EndReason",
    "Enrollment",
    "Handoff",
    "Notification",
    "PrivacyPolicy",
    "ServiceConsent",
    "phone_digits",
]
