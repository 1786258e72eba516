"""The SLA tracker's controlled vocabularies (``../shared/docs/domain.md`` §1.8–1.10): every
enum a record's fields take, as ``{stored value: label}`` in display order, the service
types with the words people search for them by, and the regions of each nation."""

from __future__ import annotations

SCHEME_TYPES = {
    "lcs_les": "Locally commissioned / local enhanced service",
    "nes": "National enhanced service (Wales, Scotland)",
    "des_local_management": "DES managed locally",
    "local_incentive_scheme": "Local incentive scheme",
    "quality_contract_bundle": "Quality contract or bundle",
    "pcn_level_scheme": "PCN-level scheme",
    "public_health_contract": "Public health contract",
    "other": "Other",
}

NATIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}

#: Regions of each nation (§4.3): NHS England's seven in England; elsewhere the nation.
REGIONS = {
    "england": {
        "london": "London",
        "south_east": "South East",
        "south_west": "South West",
        "east_of_england": "East of England",
        "midlands": "Midlands",
        "north_west": "North West",
        "north_east_yorkshire": "North East & Yorkshire",
    },
    "wales": {"wales": "Wales"},
    "scotland": {"scotland": "Scotland"},
    "northern_ireland": {"northern_ireland": "Northern Ireland"},
}
REGION_NAMES = {key: label for regions in REGIONS.values() for key, label in regions.items()}

COMMISSIONER_TYPES = {
    "icb": "ICB",
    "ccg_historic": "CCG (historic)",
    "pct_historic": "PCT (historic)",
    "nhse_region": "NHS England region",
    "local_health_board": "Local Health Board",
    "nhs_board": "NHS Board",
    "hscp_ija": "HSCP / Integration Authority",
    "sppg_hscb": "SPPG / HSCB",
    "local_authority": "Local authority",
    "trust_subcontract": "Trust subcontract",
    "other": "Other",
}

PROVIDER_LEVELS = {
    "practice": "Practice",
    "pcn": "PCN",
    "federation": "Federation",
    "any_provider": "Any provider",
}

STATUSES = {
    "proposed": "Proposed",
    "under_negotiation": "Under negotiation",
    "active": "Active",
    "expired": "Expired",
    "superseded": "Superseded",
    "decommissioned": "Decommissioned",
    "withdrawn_by_practices": "Withdrawn by practices",
}

PAYMENT_MODELS = {
    "per_item": "Per item",
    "per_registered_patient_pa": "Per registered patient a year",
    "per_cohort_patient_pa": "Per patient on the register a year",
    "per_bed_pa": "Per bed a year",
    "per_session": "Per session",
    "block": "Block or capped budget",
    "tiered_mixed": "Tiered or mixed",
}

#: What a tariff is paid per. Prices are only ever set side by side within one unit.
TARIFF_UNITS = {
    "per_sample": "per sample",
    "per_item": "per item",
    "per_procedure": "per procedure",
    "per_test": "per completed test",
    "per_contact": "per contact",
    "per_registered_patient_pa": "per registered patient a year",
    "per_registered_patient_quarter": "per registered patient a quarter",
    "per_cohort_patient_pa": "per patient on the register a year",
    "per_bed_pa": "per bed a year",
    "per_session": "per session",
    "one_off": "one-off payment",
    "per_year": "per year (block)",
}

PAYMENT_FREQUENCIES = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "annual": "Annual",
    "on_claim": "On claim",
}

CLAIM_METHODS = {
    "cqrs": "CQRS",
    "icb_portal": "Commissioner's portal",
    "claim_form": "Claim form",
    "automated_extraction": "Automated extraction",
    "other": "Other",
}

EQUIPMENT_SUPPLIERS = {
    "practice": "The practice",
    "commissioner": "The commissioner",
    "mixed": "Shared",
}

DURATION_TYPES = {"annual": "Annual", "multi_year": "Multi-year", "rolling": "Rolling"}

NOTICE_PARTIES = {
    "either": "Either party",
    "commissioner": "The commissioner",
    "provider": "The provider",
}

VISIBILITIES = {
    "all_members": "All members",
    "officers_only": "LMC officers only",
    "own_lmc_only": "Our LMC only",
}

RAG = {"green": "Green", "amber": "Amber", "red": "Red"}

ACCREDITATIONS = {
    "minor_surgery": "Minor surgery accreditation",
    "poct_eqa": "Point-of-care testing with EQA",
    "larc_competence": "LARC competence certificate",
    "spirometry_certification": "Spirometry certification (ARTP)",
    "microsuction_training": "Microsuction training",
    "wound_care_lead": "Wound-care lead nurse",
    "phlebotomy_training": "Phlebotomy training",
    "other": "Other training or accreditation",
}

#: The service types of §1.9: ``(slug, name, search aliases)``.
SERVICE_TYPES = (
    ("phlebotomy", "Phlebotomy", ("bloods", "blood tests", "venepuncture", "blood taking")),
    (
        "ear-care",
        "Ear care (irrigation/microsuction)",
        ("ear syringing", "syringing", "ear irrigation", "microsuction", "ear wax"),
    ),
    ("ecg", "ECG (12-lead)", ("electrocardiogram", "12 lead ECG")),
    (
        "ambulatory-ecg",
        "Ambulatory ECG/AF detection",
        ("AF screening", "holter", "atrial fibrillation"),
    ),
    (
        "abpm",
        "24-hour ABPM",
        ("ambulatory blood pressure", "blood pressure monitoring", "24 hour BP"),
    ),
    ("wound-care", "Wound care & dressings", ("dressings", "leg ulcers", "wounds")),
    ("suture-removal", "Suture/clip removal", ("suture removal", "clip removal", "stitches")),
    (
        "shared-care",
        "Shared-care drug monitoring (DMARDs etc.)",
        ("DMARD", "DMARDs", "shared care", "drug monitoring", "methotrexate"),
    ),
    ("warfarin", "Anticoagulation – warfarin (by level)", ("INR", "warfarin", "anticoagulation")),
    ("doac", "Anticoagulation – DOAC monitoring", ("DOAC", "NOAC", "apixaban")),
    (
        "minor-surgery",
        "Minor surgery & joint injections",
        ("joint injections", "excisions", "cryotherapy"),
    ),
    ("care-homes", "Care homes", ("care home", "nursing homes", "residential homes")),
    ("spirometry", "Spirometry", ("lung function",)),
    ("ring-pessary", "Ring pessary", ("pessary", "pessaries")),
    (
        "larc",
        "LARC (IUD/implant)",
        ("coil", "IUD", "IUS", "implant", "contraception", "contraceptive implant"),
    ),
    ("homeless-health", "Homeless/inclusion health", ("homeless", "inclusion health")),
    (
        "interpreting",
        "Interpreting/extended appointments",
        ("interpreter", "interpreters", "translation"),
    ),
    (
        "depot-injections",
        "Depot injections (e.g. antipsychotics, gonadorelins)",
        ("depot", "antipsychotic depot", "zoladex", "prostap"),
    ),
    ("dementia", "Dementia diagnosis", ("memory assessment",)),
    (
        "post-discharge",
        "Post-discharge/hospital-interface care",
        ("hospital discharge", "interface care"),
    ),
    (
        "pre-post-op",
        "Pre-/post-operative investigations",
        ("pre-op", "post-op", "pre-operative", "swabs"),
    ),
    (
        "extended-access",
        "Extended access/winter resilience",
        ("winter pressures", "extended hours", "bank holiday"),
    ),
    ("vaccinations", "Vaccinations (local additions)", ("immunisations", "vaccines", "jabs")),
    ("diabetes", "Diabetes (enhanced)", ("insulin initiation", "diabetic")),
    ("learning-disability", "Learning disability", ("LD health checks",)),
    ("other", "Other", ()),
)
SERVICE_TYPE_NAMES = {slug: name for slug, name, _aliases in SERVICE_TYPES}

#: Why prices must not be compared like-for-like (§1.7): shown on the tracker, the comparison
#: and every SLA card.
NOT_LIKE_FOR_LIKE = (
    "SLAs are not like-for-like. The unit paid for differs (per item, per registered "
    "patient, per bed); so do who is included, who supplies equipment and consumables, caps, "
    "training and reporting burdens, payments tied to KPIs, the year, and bundles that hide "
    "item prices. Read what each one includes before drawing any conclusion from a price."
)
