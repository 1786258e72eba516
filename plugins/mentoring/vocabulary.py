"""The mentoring directory's controlled vocabularies (``../shared/docs/domain.md`` §3.2–3.4):
every enum a mentor profile or a request takes, as ``{stored value: label}``."""

from __future__ import annotations

KINDS = {
    "lmc_officer_buddy": "Buddy for LMC officers",
    "lmc_staff_buddy": "Buddy for LMC staff",
    "gp_mentor": "GP mentor",
    "nurse_mentor": "Nurse mentor",
    "practice_manager_mentor": "Practice manager mentor",
    "pastoral_support": "Pastoral support",
}

ROLES = {
    "lmc_chair": "LMC chair",
    "medical_secretary": "Medical secretary",
    "chief_executive": "Chief executive",
    "lmc_officer": "Other LMC officer",
    "lmc_office_manager": "LMC office manager",
    "lmc_staff": "LMC staff",
    "gp_partner": "GP partner",
    "salaried_gp": "Salaried GP",
    "sessional_gp": "Sessional or locum GP",
    "gpn": "General practice nurse",
    "practice_manager": "Practice manager",
}

#: Mentoring terms added to the library's 24 topics (which are expertise areas too).
MENTORING_EXPERTISE = {
    "new_to_role_induction": "New to the role: induction",
    "chairing_meetings": "Chairing meetings",
    "negotiation": "Negotiation",
    "career_portfolio": "Careers and portfolio roles",
    "return_to_practice": "Returning to practice",
    "performance_processes": "Complaints and performance processes",
}

AUDIENCES = {
    "new_lmc_officers": "New LMC officers",
    "lmc_staff": "LMC staff",
    "first5_gps": "First5 GPs",
    "new_to_practice_nurses": "New-to-practice nurses",
    "returners": "Returners",
    "practice_managers": "Practice managers",
    "gps_in_difficulty": "GPs in difficulty",
    "gp_partners": "GP partners",
}

MODES = {
    "video": "Video call",
    "phone": "Phone",
    "in_person": "In person",
    "async_messages": "Messages",
}

DIRECTORY_VISIBILITY = {
    "all_members": "All members",
    "officers_staff": "LMC officers and staff",
    "coordinators_only": "Mentoring coordinators only",
}

URGENCY = {"routine": "Routine", "soon": "Soon", "urgent": "Urgent"}

STATES = {
    "draft": "Draft",
    "submitted": "Submitted",
    "triage": "With a coordinator",
    "shortlisted": "Choose a mentor",
    "mentor_invited": "Mentor invited",
    "declined": "Declined by the mentor",
    "matched": "Matched",
    "active": "Active",
    "paused": "Paused",
    "review_due": "Review due",
    "completed": "Completed",
    "withdrawn": "Withdrawn",
    "expired": "Expired",
    "signposted": "Signposted elsewhere",
    "rematch_requested": "New match asked for",
}

#: Where an urgent wellbeing request is pointed before anything else.
SIGNPOSTS = (
    ("NHS Practitioner Health", "Free, confidential support for doctors and dentists; you can "
     "refer yourself and use a pseudonym.", "https://www.practitionerhealth.nhs.uk/"),
    ("Your LMC's pastoral support team", "Your LMC can put you in touch with its pastoral "
     "support officers, usually within two working days.", ""),
    ("In an emergency", "Call 999, or NHS 111 for urgent help that is not an emergency; "
     "Samaritans are on 116 123, day or night.", ""),
)  # fmt: skip
