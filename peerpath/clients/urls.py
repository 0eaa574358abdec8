from django.urls import path

from . import intake_views, privacy_views, staffing_views, views

app_name = "clients"

urlpatterns = [
    path("", views.my_day, name="my_day"),
    path("people/", views.client_list, name="list"),
    path("people/new/", intake_views.client_new, name="new"),
    path("people/<int:client_id>/", views.client_detail, name="detail"),
    path("people/<int:client_id>/discharge/", intake_views.client_discharge, name="discharge"),
    path("people/<int:client_id>/readmit/", intake_views.client_readmit, name="readmit"),
    path("people/<int:client_id>/transfer/", intake_views.client_transfer, name="transfer"),
    path(
        "people/<int:client_id>/care-team/<int:member_id>/end/",
        intake_views.care_team_end,
        name="care_team_end",
    ),
    path(
        "people/<int:client_id>/service-consents/new/",
        intake_views.service_consent_new,
        name="service_consent_new",
    ),
    path(
        "people/<int:client_id>/service-consents/<int:consent_id>/scan",
        intake_views.service_consent_scan,
        name="service_consent_scan",
    ),
    path("people/<int:client_id>/edit/", views.client_edit, name="edit"),
    # Privacy: care team under the dual-relationship policy, determinations, restriction.
    path(
        "people/<int:client_id>/care-team/add/",
        privacy_views.care_team_add,
        name="care_team_add",
    ),
    path(
        "people/<int:client_id>/determinations/new/",
        privacy_views.determination_new,
        name="determination_new",
    ),
    path(
        "people/<int:client_id>/determinations/<int:determination_id>/",
        privacy_views.determination_decide,
        name="determination_decide",
    ),
    path("people/<int:client_id>/restriction/", privacy_views.restriction, name="restriction"),
    # Emergency ("break the glass") access and its review.
    path("emergency-access/", privacy_views.emergency_access_start, name="emergency_start"),
    path(
        "people/<int:client_id>/emergency-access/<int:access_id>/review/",
        privacy_views.emergency_review,
        name="emergency_review",
    ),
    # 42 CFR Part 2 consents, disclosures and the accounting of disclosures.
    path("people/<int:client_id>/consents/", privacy_views.consent_list, name="consents"),
    path("people/<int:client_id>/consents/new/", privacy_views.consent_new, name="consent_new"),
    path(
        "people/<int:client_id>/consents/<int:consent_id>/revoke/",
        privacy_views.consent_revoke,
        name="consent_revoke",
    ),
    path(
        "people/<int:client_id>/disclosures/new/",
        privacy_views.disclosure_new,
        name="disclosure_new",
    ),
    path(
        "people/<int:client_id>/disclosures/accounting.pdf",
        privacy_views.accounting_pdf,
        name="accounting_pdf",
    ),
    # The privacy officer's desk.
    path("privacy/", privacy_views.privacy_desk, name="privacy_desk"),
    path("privacy/audit/", privacy_views.audit_search, name="audit_search"),
    path("privacy/audit.csv", privacy_views.audit_export, name="audit_export"),
    path("privacy/policy/", privacy_views.policy_edit, name="privacy_policy"),
    path("privacy/full-record/", privacy_views.full_record, name="full_record_find"),
    path("people/<int:client_id>/full-record/", privacy_views.full_record, name="full_record"),
    # Ending a staff member's work, with the hand-off of their caseload (agency area).
    path(
        "agency/staff/<int:staff_id>/end-work/",
        staffing_views.staff_end_work,
        name="staff_end_work",
    ),
    # A staff member's own record, seen as a client sees it.
    path("me/record/", privacy_views.my_record, name="my_record"),
]
