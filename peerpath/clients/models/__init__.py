"""The clients app's models: people served (people.py) and their privacy (privacy.py)."""

from .people import CareTeamMember, Client, ClientQuerySet, Enrollment
from .privacy import (
    Consent,
    Determination,
    Disclosure,
    EmergencyAccess,
    Notification,
    PrivacyPolicy,
)

__all__ = [
    "CareTeamMember",
    "Client",
    "ClientQuerySet",
    "Consent",
    "Determination",
    "Disclosure",
    "EmergencyAccess",
    "Enrollment",
    "Notification",
    "PrivacyPolicy",
]
