"""The demo SLA records (domain.md §6.5): run by ``flask forum seed-demo`` through the plugin's
``seed_demo_data`` hook, inside the seed's transaction (the core commits).

Fourteen records: the ten of §6.5 (phlebotomy, ECG, ABPM, ear care, wound care, DMARDs,
warfarin, minor surgery, care homes, LARC), the 2023/24 phlebotomy agreement that the 2024/25
one supersedes (a version chain), and the three optional ones that cover the remaining
statuses and payment models (a proposed ring-pessary service paid per session, a spirometry
block under negotiation, a decommissioned homeless-health service). Commissioners are
fictional, so that no real ICB or Health Board is misattributed a price; the LMCs are real
names from the demo organisations; every record is marked ``is_demo``. Each is created through
:func:`plugins.sla.services.create`, so it has the same checks and search entry as a record an
officer adds. Two are for officers only, one for its own LMC only; several carry officers-only
negotiation notes; two were verified recently.

Every record is linked to a discussion thread (``discussion_topic_id``) and attached to a post
in it, so the thread shows its card: the demo threads that talk about the service (the
phlebotomy, ear-care, wound-care, shared-care and draft-specification threads, on the post that
mentions the agreement), or a short new thread by the submitter in "Locally Commissioned
Services & SLAs" (in the Officers' Lounge for an officers-only record). New threads are
written here as rows, in the seed's transaction, rather than through
:func:`forum.topics.services.create_topic`, which commits (and would notify watchers of demo
history). The plugin is enabled on the LCS category, beside whatever else is enabled there.

Safe to run again: only records missing (matched by title) are added, and a missing record's
thread is reused when it exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select, update

from forum import search
from forum.accounts.models import EVERYONE, MEMBERS, Group, Organisation, User
from forum.attachments import services as attachments
from forum.bootstrap import UNCATEGORIZED
from forum.categories.models import CREATE, SEE, Category, CategoryPermission
from forum.database import utcnow
from forum.extensions import db
from forum.plugin_system.enablement import enabled_plugins, set_enabled
from forum.rendering import cook
from forum.search.documents import POST_KIND
from forum.topics.models import Post, Topic
from forum.topics.services import lookup_mentions
from forum.topics.slugs import slugify

from . import access, cards, services
from .models import SlaRecord

PLUGIN = "sla"
CATEGORY_SLUG = "lcs-slas"
CATEGORY_NAME = "Locally Commissioned Services & SLAs"
CATEGORY_DESCRIPTION = (
    "Negotiating, pricing and uplifting LCS/LES, giving notice, and linking to tracker records."
)
CATEGORY_COLOUR = "9C2A00"
#: Where an officers-only record's new thread goes, when the forum has it.
LOUNGE_SLUG = "officers-lounge"

#: Titles of the demo threads (domain.md §6.3) that discuss a record.
UPLIFT_THREAD = (
    "Has anyone seen the ICB's draft 2025/26 LCS specifications yet? Ours land with a 1% uplift"
)
PHLEBOTOMY_THREAD = (
    "Phlebotomy LCS: paediatric bloods are included but the price hasn't changed. How did you "
    "push back?"
)
EAR_CARE_THREAD = (
    "Comparing ear-care services: irrigation vs microsuction pricing and accreditation requirements"
)
WOUND_CARE_THREAD = (
    "Template wording for giving three months' notice on an unfunded wound-care service"
)
SHARED_CARE_THREAD = (
    "Shared-care drug monitoring without a signed SCA: what is your LMC's position?"
)

PHLEBOTOMY = "Phlebotomy LCS 2024/25 v2.0"
PHLEBOTOMY_OLD = "Phlebotomy LCS 2023/24 v1.3"


# -- The records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thread:
    """Where a record is discussed: an existing demo thread (``post_by``: the author of the
    post that mentions the agreement, which gets the card) or, when the forum does not have
    it, a new thread with this title and text (``{ref}`` becomes ``[[sla:ID]]``; without a
    text, the record's summary)."""

    title: str
    body: str = ""
    post_by: str = ""
    category: str = CATEGORY_SLUG


@dataclass(frozen=True)
class DemoRecord:
    """One demo record: its form (as :func:`plugins.sla.fields.clean` reads it), who adds it
    and how long ago, and where it is discussed."""

    form: dict
    submitter: str
    days_ago: int
    thread: Thread
    #: Days since an officer last checked it against its source (``None``: never).
    verified_days_ago: int | None = None
    #: The title of the record this one supersedes.
    supersedes: str = ""

    @property
    def title(self) -> str:
        return self.form["title"]


def _year(start: int) -> dict:
    """A financial year's fields: ``2024`` gives 2024/25, 1 April 2024 to 31 March 2025."""
    return {
        "financial_year": f"{start}/{(start + 1) % 100:02d}",
        "start_date": date(start, 4, 1),
        "end_date": date(start + 1, 3, 31),
        "duration_type": "annual",
    }


def _tariff(label: str, amount: str, unit: str, notes: str = "") -> dict:
    return {"label": label, "amount_gbp": amount, "unit": unit, "notes": notes}


def _kpi(name: str, target: str, measure: str) -> dict:
    return {"name": name, "target": target, "measure": measure}


def _verified(days_ago: int | None) -> dict:
    if days_ago is None:
        return {}
    return {"last_verified_at": date.today() - timedelta(days=days_ago)}


def _england_icb(commissioner: str, region: str, lmc: str) -> dict:
    return {
        "nation": "england",
        "region": region,
        "commissioner_type": "icb",
        "commissioner_name": commissioner,
        "lmc": lmc,
        "scheme_type": "lcs_les",
        "provider_level": "practice",
    }


def records() -> list[DemoRecord]:
    """The demo records, in the order they are added (the 2023/24 phlebotomy agreement before
    the 2024/25 one that supersedes it)."""
    either_90 = {"notice_period_days": 90, "notice_party": "either"}
    return [
        DemoRecord(
            {
                "title": PHLEBOTOMY_OLD,
                "commissioner_ref": "TRE-LCS014",
                "service_type": "phlebotomy",
                **_england_icb("NHS Trentside ICB", "midlands", "Nottinghamshire LMC"),
                **_year(2023),
                "version": "v1.3",
                "status": "superseded",
                "summary": "Practices take blood samples for their own adult patients, "
                "including bloods requested by hospital clinics, so that patients need not "
                "travel to the hospital's phlebotomy service. Replaced by v2.0 for 2024/25.",
                "inclusions": "Adults (18 and over) registered with the practice; "
                "hospital-requested bloods.",
                "exclusions": "Children under 18; trial bloods.",
                "payment_model": "per_item",
                "tariffs": [_tariff("Per sample", "2.45", "per_sample")],
                "payment_frequency": "quarterly",
                "claim_method": "icb_portal",
                "equipment_supplied_by": "practice",
                **either_90,
                "visibility": "all_members",
            },
            submitter="deborah.akers",
            days_ago=70,
            thread=Thread(PHLEBOTOMY_THREAD, post_by="deborah.akers"),
        ),
        DemoRecord(
            {
                "title": PHLEBOTOMY,
                "commissioner_ref": "TRE-LCS014",
                "service_type": "phlebotomy",
                "tags": "paediatric, hospital-requested",
                **_england_icb("NHS Trentside ICB", "midlands", "Nottinghamshire LMC"),
                **_year(2024),
                "review_date": date(2025, 1, 31),
                "version": "v2.0",
                "status": "active",
                "summary": "Practices take blood samples for their own patients, adults and "
                "children aged 12 and over, including bloods requested by hospital clinics. "
                "Children under 12 stay with the trust's paediatric phlebotomy service.",
                "inclusions": "Adults and children aged 12 and over registered with the "
                "practice; hospital-requested bloods; housebound patients seen at a home "
                "visit already booked.",
                "exclusions": "Children under 12; trial bloods (research samples); samples for "
                "private providers.",
                "payment_model": "per_item",
                "tariffs": [
                    _tariff("Per sample", "2.60", "per_sample", "Paid when the sample is sent")
                ],
                "payment_frequency": "quarterly",
                "claim_method": "icb_portal",
                "equipment_supplied_by": "practice",
                "reporting_requirements": "Quarterly claim via the ICB portal: samples sent, "
                "by age band, from the clinical system search supplied by the ICB.",
                "kpis": [
                    _kpi(
                        "Sample rejection rate",
                        "under 2%",
                        "Samples rejected by the laboratory as a share of samples sent, each "
                        "quarter",
                    )
                ],
                "training_requirements": "Staff taking paediatric samples complete the "
                "trust's paediatric venepuncture update.",
                **either_90,
                "lmc_rag": "amber",
                "lmc_commentary": "Workable for adults. The 12-and-over line was the key win; "
                "the price is below cost for practices with many teenage patients.",
                "negotiation_notes": "Our ask: £2.95 per sample, which is what the LCS costing "
                "calculator gives with this year's staff costs (£2.81 before overheads). The "
                "ICB has hinted at £2.70 for 2025/26; our fall-back is an uplift clause tied "
                "to the DDRB award.",
                "visibility": "all_members",
                **_verified(12),
            },
            submitter="deborah.akers",
            days_ago=64,
            thread=Thread(PHLEBOTOMY_THREAD, post_by="deborah.akers"),
            verified_days_ago=12,
            supersedes=PHLEBOTOMY_OLD,
        ),
        DemoRecord(
            {
                "title": "12-lead ECG LCS 2024/25",
                "commissioner_ref": "DOW-LCS031",
                "service_type": "ecg",
                **_england_icb("NHS Downland ICB", "south_east", "Surrey LMC"),
                **_year(2024),
                "status": "active",
                "summary": "Practices record 12-lead ECGs for their own patients, interpret "
                "them and act on the result, instead of referring patients to the hospital "
                "for a tracing.",
                "inclusions": "Registered patients needing a non-urgent 12-lead ECG; the "
                "practice interprets the tracing and acts on it.",
                "exclusions": "Suspected acute coronary syndrome (999 or same-day hospital "
                "assessment); ECGs requested by hospital clinics for their own follow-up.",
                "payment_model": "per_item",
                "tariffs": [_tariff("Per ECG", "18.00", "per_item")],
                "payment_frequency": "quarterly",
                "claim_method": "automated_extraction",
                "equipment_supplied_by": "practice",
                "reporting_requirements": "Quarterly automated extraction of the ECG codes; "
                "a calibration log for each machine, shown on request.",
                **either_90,
                "lmc_rag": "green",
                "visibility": "all_members",
            },
            submitter="dominic.shaw",
            days_ago=41,
            thread=Thread(
                "Downland's 12-lead ECG LCS: who interprets, and is £18 enough?",
                "Sharing our area's 12-lead ECG service for anyone reviewing theirs: {ref}\n\n"
                "The practice records, interprets and acts on the tracing, which is the part "
                "that takes GP time. Claims come from a quarterly automated extraction, so "
                "there is no claim form, but every machine needs a calibration log.\n\n"
                "Has anyone managed to get interpretation paid separately, or the cost of a "
                "replacement machine built into the price?",
            ),
        ),
        DemoRecord(
            {
                "title": "24-hour ABPM Service 2024/25",
                "commissioner_ref": "PCO-LCS007",
                "service_type": "abpm",
                **_england_icb("NHS Pennine Coast ICB", "north_west", "Cheshire LMC"),
                **_year(2024),
                "status": "active",
                "summary": "Practices fit a 24-hour ambulatory blood pressure monitor to "
                "confirm a diagnosis of hypertension, following the NICE pathway, and review "
                "the readings with the patient.",
                "provider_eligibility": "Practices; a practice may subcontract the service to "
                "its PCN hub with the ICB's agreement.",
                "inclusions": "Adults with a clinic reading of 140/90 or more, to confirm "
                "hypertension (NICE pathway); repeat tests where the first failed.",
                "exclusions": "Monitoring of established hypertension; pregnant patients "
                "(maternity pathway).",
                "payment_model": "per_item",
                "tariffs": [_tariff("Per completed test", "42.00", "per_test")],
                "payment_frequency": "quarterly",
                "claim_method": "claim_form",
                "equipment_supplied_by": "practice",
                "reporting_requirements": "Quarterly claim of completed tests, with the "
                "number of new hypertension diagnoses.",
                "kpis": [
                    _kpi(
                        "Completed readings",
                        "90%",
                        "Tests with at least 14 valid daytime readings",
                    )
                ],
                **either_90,
                "visibility": "all_members",
            },
            submitter="mark.ellison",
            days_ago=36,
            thread=Thread(
                "ABPM at £42 a test: the practice buys the monitors. Is a PCN hub better?",
                "Our 24-hour ABPM service is in the tracker: {ref}\n\n"
                "It pays per completed test, but the practice supplies the monitors, and a "
                "monitor lasts about three years. Practices may subcontract to their PCN hub, "
                "and two of our PCNs now run it centrally with a shared pool of devices.\n\n"
                "If your area has a hub model, how is the money split between the hub and the "
                "practices?",
            ),
        ),
        DemoRecord(
            {
                "title": "Ear Care Service 2024/25",
                "commissioner_ref": "TAM-LCS019",
                "service_type": "ear-care",
                **_england_icb("NHS Tamar & Moor ICB", "south_west", "Devon LMC"),
                **_year(2024),
                "status": "active",
                "summary": "Ear irrigation and microsuction for registered patients who meet "
                "the access criteria, tiered by procedure; microsuction only by clinicians "
                "with accredited training.",
                "inclusions": "Patients meeting the criteria: symptomatic wax after two weeks "
                "of drops, or wax preventing an examination or a hearing-aid fitting.",
                "exclusions": "Routine wax removal without symptoms; patients under 12 for "
                "microsuction; perforation or recent ear surgery (referred).",
                "payment_model": "tiered_mixed",
                "tariffs": [
                    _tariff("Irrigation", "14.00", "per_procedure"),
                    _tariff("Microsuction", "28.00", "per_procedure", "Accredited clinicians"),
                ],
                "payment_frequency": "quarterly",
                "claim_method": "icb_portal",
                "equipment_supplied_by": "practice",
                "accreditations": ["microsuction_training"],
                "training_requirements": "Microsuction: an accredited course and annual "
                "competence update. The course fee is not funded by the ICB.",
                **either_90,
                "lmc_rag": "amber",
                "lmc_commentary": "Irrigation is viable; microsuction only where a practice "
                "already has the equipment and a trained clinician.",
                "negotiation_notes": "The ICB may fund the course fee (about £650 per "
                "clinician) if practices accept an annual activity cap. We will not agree a "
                "cap below last year's activity plus 10%.",
                "visibility": "all_members",
            },
            submitter="helen.marsh",
            days_ago=33,
            thread=Thread(EAR_CARE_THREAD, post_by="helen.marsh"),
        ),
        DemoRecord(
            {
                "title": "Wound Care & Dressings LES 2023/24",
                "commissioner_ref": "FEN-LES002",
                "service_type": "wound-care",
                "tags": "leg ulcers, notice given",
                **_england_icb("NHS Fenland & Wolds ICB", "midlands", "Lincolnshire LMC"),
                **_year(2023),
                "status": "expired",
                "summary": "A capitation payment for wound care and dressings for registered "
                "patients, including suture and clip removal and leg-ulcer care. Expired on "
                "31 March 2024 after several practices gave notice.",
                "inclusions": "Simple and complex dressings; suture and clip removal; leg "
                "ulcers, including compression bandaging.",
                "exclusions": "Housebound patients (community nursing).",
                "payment_model": "per_registered_patient_pa",
                "tariffs": [
                    _tariff(
                        "Per registered patient a year",
                        "0.28",
                        "per_registered_patient_pa",
                        "Paid quarterly (7p a quarter)",
                    )
                ],
                "payment_frequency": "quarterly",
                "equipment_supplied_by": "mixed",
                "notice_period_days": 180,
                "notice_party": "either",
                "termination_notes": "Several practices gave six months' notice in 2023.",
                "lmc_rag": "red",
                "lmc_commentary": "Rated red for years: at £0.28 per registered patient a "
                "year the LES paid a fraction of the cost of leg-ulcer care. Several practices "
                "gave six months' notice before it expired.",
                "negotiation_notes": "Do not reopen at £0.28. The minimum for a relaunched "
                "service is £0.60 per registered patient a year, with leg ulcers and "
                "compression moved to the community provider.",
                "visibility": "all_members",
            },
            submitter="rav.sandhu",
            days_ago=30,
            thread=Thread(WOUND_CARE_THREAD, post_by="grace.odhiambo"),
        ),
        DemoRecord(
            {
                "title": "Shared-Care Drug Monitoring (DMARDs) 2024/25",
                "commissioner_ref": "DAH-LCS011",
                "service_type": "shared-care",
                **_england_icb(
                    "NHS Dales & Humber ICB", "north_east_yorkshire", "Humberside Group of LMCs"
                ),
                **_year(2024),
                "status": "active",
                "summary": "Practices monitor patients on DMARDs under a signed shared-care "
                "agreement: a register, call and recall, and the protocol bloods.",
                "inclusions": "Patients on methotrexate, leflunomide, azathioprine, "
                "sulfasalazine or mycophenolate with a signed shared-care agreement.",
                "exclusions": "Patients without a signed agreement (prescribing stays with the "
                "specialist); the first three months after starting a drug.",
                "payment_model": "per_cohort_patient_pa",
                "tariffs": [
                    _tariff(
                        "Per patient on the register a year",
                        "85.00",
                        "per_cohort_patient_pa",
                        "Paid £21.25 a quarter",
                    )
                ],
                "payment_frequency": "quarterly",
                "claim_method": "icb_portal",
                "equipment_supplied_by": "practice",
                "reporting_requirements": "Quarterly register count; annual audit of "
                "monitoring intervals.",
                "kpis": [
                    _kpi(
                        "Bloods within the protocol interval",
                        "95%",
                        "Patients on the register whose monitoring bloods were taken within "
                        "the interval in their shared-care protocol",
                    )
                ],
                **either_90,
                "lmc_rag": "green",
                "visibility": "all_members",
            },
            submitter="janet.whitworth",
            days_ago=27,
            thread=Thread(SHARED_CARE_THREAD, post_by="janet.whitworth"),
        ),
        DemoRecord(
            {
                "title": "Anticoagulation (Warfarin) Level 4 NES 2024/25",
                "commissioner_ref": "BGHB-NES04",
                "service_type": "warfarin",
                "scheme_type": "nes",
                "nation": "wales",
                "region": "wales",
                "commissioner_type": "local_health_board",
                "commissioner_name": "Bae Gorllewin Health Board",
                "lmc": "Morgannwg LMC",
                "provider_level": "practice",
                **_year(2024),
                "status": "active",
                "summary": "Level 4 anticoagulation: the practice samples, tests and doses "
                "patients on warfarin, with point-of-care testing supplied by the Health "
                "Board.",
                "inclusions": "Patients on warfarin registered with the practice, from "
                "initiation; housebound patients tested at home.",
                "exclusions": "Patients on DOACs (a separate service); unstable patients "
                "referred back to the anticoagulation clinic.",
                "payment_model": "tiered_mixed",
                "tariffs": [
                    _tariff(
                        "Monitoring and dosing",
                        "150.00",
                        "per_cohort_patient_pa",
                        "Paid £37.50 a quarter",
                    ),
                    _tariff("Initiation quarter", "120.00", "one_off", "Per patient started"),
                    _tariff(
                        "Non-dosing practices",
                        "10.00",
                        "per_cohort_patient_pa",
                        "Practices that sample but do not dose",
                    ),
                ],
                "payment_frequency": "quarterly",
                "claim_method": "claim_form",
                "equipment_supplied_by": "commissioner",
                "accreditations": ["poct_eqa"],
                "training_requirements": "Point-of-care testing training and enrolment in "
                "the external quality assessment scheme, both funded by the Health Board.",
                "reporting_requirements": "Quarterly return of patients on the register and "
                "time in therapeutic range.",
                "kpis": [
                    _kpi(
                        "Time in therapeutic range",
                        "65% or more",
                        "Average time in range across the register, each quarter",
                    )
                ],
                **either_90,
                "lmc_rag": "green",
                "visibility": "all_members",
                **_verified(40),
            },
            submitter="owain.llewellyn",
            days_ago=25,
            thread=Thread(
                "Welsh warfarin NES: the Health Board supplies the POCT kit. What does yours?",
                "The Level 4 warfarin NES in Bae Gorllewin is in the tracker: {ref}\n\n"
                "What makes it work for practices is that the Health Board supplies the "
                "point-of-care machines, the strips and the EQA scheme, on top of £150 per "
                "patient a year and £120 for the initiation quarter.\n\n"
                "Colleagues in England: when your practices weigh an INR price, do they know "
                "who pays for the kit?",
            ),
            verified_days_ago=40,
        ),
        DemoRecord(
            {
                "title": "Minor Surgery (locally managed DES) 2024/25",
                "commissioner_ref": "BRO-DES01",
                "service_type": "minor-surgery",
                **_england_icb("NHS Broadland ICB", "east_of_england", "Norfolk & Waveney LMC"),
                "scheme_type": "des_local_management",
                **_year(2024),
                "status": "active",
                "summary": "The minor surgery DES as the ICB manages it locally: joint "
                "injections and excisions by accredited clinicians, with histology on all "
                "tissue removed.",
                "inclusions": "Joint and soft-tissue injections; excisions, curettage and "
                "cautery by accredited clinicians.",
                "exclusions": "Cosmetic procedures; suspected melanoma (two-week-wait referral).",
                "payment_model": "tiered_mixed",
                "tariffs": [
                    _tariff("Injection", "43.54", "per_procedure"),
                    _tariff("Excision", "87.08", "per_procedure", "Histology on all tissue"),
                ],
                "activity_cap": "9 excisions + 9 injections per 1,000 patients",
                "payment_frequency": "quarterly",
                "claim_method": "cqrs",
                "equipment_supplied_by": "practice",
                "accreditations": ["minor_surgery"],
                "training_requirements": "Accreditation for each clinician; resuscitation "
                "and infection-control training; a room meeting the premises standard.",
                "reporting_requirements": "Quarterly CQRS claim; annual audit of histology "
                "results.",
                **either_90,
                "lmc_rag": "amber",
                "lmc_commentary": "The national rates have barely changed in twenty years; "
                "the cap bites for practices with an older list.",
                "visibility": "all_members",
            },
            submitter="fiona.tremayne",
            days_ago=21,
            thread=Thread(
                "Minor surgery caps: 9 + 9 per 1,000 patients. Has anyone had theirs lifted?",
                "Norfolk & Waveney's locally managed minor surgery DES, for reference: {ref}\n\n"
                "The prices are the national ones (£43.54 an injection, £87.08 an excision) "
                "and the cap is 9 excisions and 9 injections per 1,000 patients. Practices "
                "with an older list reach the cap by January.\n\n"
                "Has any ICB agreed to pay over the cap, or to move the cap to the PCN?",
            ),
        ),
        DemoRecord(
            {
                "title": "Care Home Enhanced Service 2024/25",
                "commissioner_ref": "LOC-ES12",
                "service_type": "care-homes",
                "nation": "scotland",
                "region": "scotland",
                "commissioner_type": "nhs_board",
                "commissioner_name": "NHS Lochside",
                "lmc": "Lanarkshire LMC",
                "scheme_type": "lcs_les",
                "provider_level": "practice",
                **_year(2024),
                "status": "active",
                "summary": "A named GP for each care home, a weekly review of residents and "
                "an anticipatory care plan for every resident, paid per registered bed.",
                "inclusions": "Residents of care homes with and without nursing, registered "
                "with the practice.",
                "exclusions": "Respite residents staying under four weeks.",
                "payment_model": "per_bed_pa",
                "tariffs": [_tariff("Per bed a year", "320.00", "per_bed_pa")],
                "payment_frequency": "quarterly",
                "claim_method": "claim_form",
                "equipment_supplied_by": "practice",
                "reporting_requirements": "Annual return of care-plan coverage by home.",
                "kpis": [
                    _kpi(
                        "Care-plan coverage",
                        "90%",
                        "Residents with an anticipatory care plan reviewed in the last year",
                    )
                ],
                "notice_period_days": 180,
                "notice_party": "either",
                "lmc_rag": "green",
                "visibility": "all_members",
            },
            submitter="callum.fraser",
            days_ago=18,
            thread=Thread(
                "Care-home enhanced services in Scotland: £320 per bed with weekly rounds",
                "For comparison with English colleagues' care-home services: {ref}\n\n"
                "NHS Lochside pays per registered bed, not per resident seen, and expects a "
                "weekly review, a named GP and an anticipatory care plan for 90% of "
                "residents.\n\n"
                "Remember the Network DES pays PCNs in England per bed too, so a local service "
                "there may sit on top of it: check what each one includes before comparing.",
            ),
        ),
        DemoRecord(
            {
                "title": "LARC Fitting Service 2024/25",
                "commissioner_ref": "LBR-PH-LARC",
                "service_type": "larc",
                "nation": "england",
                "region": "london",
                "commissioner_type": "local_authority",
                "commissioner_name": "London Borough of Riverside (Public Health)",
                "lmc": "Londonwide LMCs",
                "scheme_type": "public_health_contract",
                "provider_level": "practice",
                **_year(2024),
                "status": "active",
                "summary": "A public health contract for fitting and removing intrauterine "
                "devices and contraceptive implants, open to residents of the borough.",
                "inclusions": "Contraceptive IUD and IUS fitting; implant insertion and "
                "removal; residents of the borough, registered or not.",
                "exclusions": "IUS fitted for heavy menstrual bleeding (ICB-funded); "
                "complex removals (referred to the sexual health service).",
                "payment_model": "tiered_mixed",
                "tariffs": [
                    _tariff("IUD fit", "95.00", "per_procedure"),
                    _tariff("Implant insertion", "45.00", "per_procedure"),
                    _tariff("Implant removal", "40.00", "per_procedure"),
                ],
                "payment_frequency": "quarterly",
                "claim_method": "claim_form",
                "equipment_supplied_by": "mixed",
                "accreditations": ["larc_competence"],
                "training_requirements": "A current competence certificate for each "
                "clinician who fits.",
                "reporting_requirements": "An annual activity return to the council's public "
                "health team.",
                **either_90,
                "visibility": "all_members",
            },
            submitter="nikhil.varma",
            days_ago=15,
            thread=Thread(
                "LARC under a council contract: prices for IUD fits, implants and removals",
                "Our borough's LARC service, commissioned by public health rather than the "
                "ICB: {ref}\n\n"
                "Each fitter needs a current competence certificate, and the council wants an "
                "annual activity return. The removal price is the one practices say does not "
                "cover the time.\n\n"
                "If your council pays differently for complex removals, please share.",
            ),
        ),
        DemoRecord(
            {
                "title": "Ring Pessary LCS 2025/26",
                "commissioner_ref": "TRE-LCS052",
                "service_type": "ring-pessary",
                **_england_icb("NHS Trentside ICB", "midlands", "Nottinghamshire LMC"),
                **_year(2025),
                "sign_up_deadline": date(2025, 5, 27),
                "status": "proposed",
                "summary": "A proposed service moving ring pessary fitting and changes from "
                "hospital gynaecology follow-up to practice clinics, paid per clinic session.",
                "inclusions": "Fitting and routine changes of ring pessaries for patients "
                "discharged from gynaecology.",
                "exclusions": "First fittings of shelf or Gellhorn pessaries; complications "
                "(referred back).",
                "payment_model": "per_session",
                "tariffs": [
                    _tariff("Per clinic session", "120.00", "per_session", "Up to 6 patients")
                ],
                "payment_frequency": "monthly",
                "claim_method": "icb_portal",
                "equipment_supplied_by": "commissioner",
                **either_90,
                "negotiation_notes": "Draft only: our response asks for £150 per session and "
                "pessaries supplied by the trust, and for a 1% uplift to be replaced by the "
                "GMS uplift. Not yet shared with practices.",
                "visibility": "officers_only",
            },
            submitter="deborah.akers",
            days_ago=10,
            thread=Thread(UPLIFT_THREAD, post_by="deborah.akers"),
        ),
        DemoRecord(
            {
                "title": "Spirometry Service 2024/25",
                "commissioner_ref": "PCO-PCN03",
                "service_type": "spirometry",
                **_england_icb("NHS Pennine Coast ICB", "north_west", "Cheshire LMC"),
                "scheme_type": "pcn_level_scheme",
                "provider_level": "pcn",
                **_year(2024),
                "status": "under_negotiation",
                "summary": "Diagnostic spirometry delivered by each PCN for its member "
                "practices' patients, funded as a block per PCN.",
                "inclusions": "Diagnostic spirometry with reversibility for suspected COPD and "
                "asthma.",
                "exclusions": "Full lung-function tests; children under 16.",
                "payment_model": "block",
                "block_value_gbp": "18000",
                "tariffs": [_tariff("Block per PCN", "18000.00", "per_year")],
                "activity_cap": "About 300 tests per PCN a year",
                "payment_frequency": "quarterly",
                "equipment_supplied_by": "practice",
                "accreditations": ["spirometry_certification"],
                "training_requirements": "ARTP certification for each operator and interpreter.",
                **either_90,
                "lmc_rag": "amber",
                "negotiation_notes": "ICB's opening offer is £18,000 per PCN a year. Our ask: "
                "£24,000, or £60 per test above 300, with ARTP training funded.",
                "visibility": "officers_only",
            },
            submitter="mark.ellison",
            days_ago=8,
            thread=Thread(
                "Spirometry block offer: £18,000 per PCN. Where did your negotiation land?",
                "Officers only, while we negotiate: the ICB's spirometry offer is in the "
                "tracker ({ref}), with our ask in the notes.\n\n"
                "The block is meant to cover about 300 tests a PCN; above that there is "
                "nothing. If you have settled a spirometry service recently, what did the "
                "money look like above the cap, and who paid for ARTP certification?",
                category=LOUNGE_SLUG,
            ),
        ),
        DemoRecord(
            {
                "title": "Homeless Health LES 2022/23",
                "commissioner_ref": "THR-LES09",
                "service_type": "homeless-health",
                **_england_icb("NHS Thames Reach ICB", "london", "Tower Hamlets LMC"),
                **_year(2022),
                "status": "decommissioned",
                "summary": "Extended appointments and outreach for people experiencing "
                "homelessness registered with the practice. Decommissioned at the end of "
                "2022/23 when the ICB moved the work to a specialist provider.",
                "inclusions": "Patients registered without a fixed address; outreach sessions "
                "at two hostels.",
                "exclusions": "Temporary residents.",
                "payment_model": "per_cohort_patient_pa",
                "tariffs": [
                    _tariff(
                        "Per registered homeless patient a year", "95.00", "per_cohort_patient_pa"
                    )
                ],
                "payment_frequency": "quarterly",
                "claim_method": "claim_form",
                "equipment_supplied_by": "practice",
                "notice_period_days": 90,
                "notice_party": "commissioner",
                "termination_notes": "The ICB gave three months' notice and moved the work to "
                "a specialist inclusion-health provider.",
                "lmc_commentary": "Kept for reference while the specialist service beds in.",
                "visibility": "own_lmc_only",
            },
            submitter="nikhil.varma",
            days_ago=5,
            thread=Thread(
                "After the homeless health LES: what happened when it was decommissioned",
                "Our decommissioned homeless health LES is in the tracker for our own LMC's "
                "members: {ref}\n\n"
                "Practices kept registering people without a fixed address, as CQC expects, "
                "but the extended appointments and hostel outreach stopped when the work moved "
                "to a specialist provider. Has anyone kept a practice-level service alongside "
                "a specialist one?",
            ),
        ),
    ]


# -- Seeding ----------------------------------------------------------------------------------


def seed(users: Mapping, categories: Mapping) -> None:
    """Enable the plugin on the LCS category and add the demo records that are missing, each
    with its discussion thread."""
    category = _seed_category(categories)
    _seed_records(users, categories, category)


def _seed_category(categories: Mapping) -> Category:
    """The LCS category (created like the demo's own when the forum has none), with the
    plugin enabled beside the plugins already enabled there."""
    category = categories.get(CATEGORY_SLUG) or db.session.scalar(
        select(Category).where(or_(Category.slug == CATEGORY_SLUG, Category.name == CATEGORY_NAME))
    )
    if category is None:
        last = db.session.scalar(
            select(func.max(Category.position)).where(Category.slug != UNCATEGORIZED)
        )
        category = Category(
            name=CATEGORY_NAME,
            slug=CATEGORY_SLUG,
            description=CATEGORY_DESCRIPTION,
            color=CATEGORY_COLOUR,
            position=(last or 0) + 1,
        )
        db.session.add(category)
        db.session.flush()
        groups = dict(
            db.session.execute(
                select(Group.name, Group.id).where(Group.name.in_([EVERYONE, MEMBERS]))
            ).all()
        )
        for name, level in ((EVERYONE, SEE), (MEMBERS, CREATE)):
            db.session.add(
                CategoryPermission(category_id=category.id, group_id=groups[name], permission=level)
            )
    if PLUGIN not in enabled_plugins(category.id):
        set_enabled(category, enabled_plugins(category.id) | {PLUGIN})
    db.session.flush()
    return category


def _submitter(users: Mapping, preferred: str):
    """The demo user who adds a record, or (on a forum without that user) any demo user who
    may add records; ``None`` when there is nobody."""
    user = users.get(preferred)
    if user is not None and access.can_submit(user):
        return user
    for name in sorted(users):
        if access.can_submit(users[name]):
            return users[name]
    return None


def _seed_records(users: Mapping, categories: Mapping, lcs: Category) -> list[SlaRecord]:
    demo = records()
    present = set(
        db.session.scalars(
            select(SlaRecord.title).where(SlaRecord.title.in_([r.title for r in demo]))
        )
    )
    lmcs = {
        name.lower()
        for name in db.session.scalars(
            select(Organisation.name).where(
                func.lower(Organisation.name).in_([r.form["lmc"].lower() for r in demo])
            )
        )
    }
    now = utcnow().replace(microsecond=0)
    added = []
    for item in demo:
        if item.title in present or item.form["lmc"].lower() not in lmcs:
            continue
        user = _submitter(users, item.submitter)
        if user is None:
            return added
        form = dict(item.form)
        if item.supersedes:
            older = db.session.scalar(
                select(SlaRecord.id).where(SlaRecord.title == item.supersedes).limit(1)
            )
            if older is not None:
                form["supersedes"] = str(older)
        record = services.create(user, form, is_demo=True, commit=False)
        when = now - timedelta(days=item.days_ago, hours=2)
        post = _discuss(record, item.thread, user, users, categories, lcs, when)
        # Added before the post that mentions it, when that post is older.
        _backdate(record, min(when, post.created_at - timedelta(hours=3)))
        if item.verified_days_ago is not None:
            record.verified_by_id = user.id
        record.discussion_topic_id = post.topic_id
        db.session.flush()
        added.append(record)
    return added


def _backdate(record: SlaRecord, when: datetime) -> None:
    """Date the record (and the record it supersedes, when that changed) ``when``: a tracker
    whose every record was added "just now" looks like no tracker."""
    record.created_at = record.updated_at = when
    if record.supersedes_id is not None:
        db.session.execute(
            update(SlaRecord)
            .where(SlaRecord.id == record.supersedes_id, SlaRecord.status == "superseded")
            .values(updated_at=when)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()


# -- Discussion threads -----------------------------------------------------------------------


def _discuss(record, thread: Thread, user, users, categories, lcs, when) -> Post:
    """The post that discusses ``record``, with the record attached: in the demo thread when
    the forum has it, else the first post of a new thread dated just after ``when``."""
    topic = db.session.scalar(
        select(Topic).where(Topic.title == thread.title, Topic.deleted_at.is_(None)).limit(1)
    )
    if topic is None:
        category = (
            categories.get(thread.category)
            or db.session.scalar(select(Category).where(Category.slug == thread.category))
            or lcs
        )
        body = thread.body or f"{record.title} is in the tracker: {{ref}}\n\n{record.summary}"
        body = body.replace("{ref}", f"[[sla:{record.id}]]")
        post = _new_topic(user, category, thread.title, body, when + timedelta(hours=1))
    else:
        post = _post_of(topic, users.get(thread.post_by))
    attachments.add(user, post, [(cards.KEY, record.id)])
    return post


def _post_of(topic: Topic, author) -> Post:
    """The first post ``author`` wrote in ``topic``, or its opening post."""
    query = select(Post).where(Post.topic_id == topic.id, Post.deleted_at.is_(None))
    found = None
    if author is not None:
        found = db.session.scalar(
            query.where(Post.user_id == author.id).order_by(Post.post_number).limit(1)
        )
    return found or db.session.scalar(query.order_by(Post.post_number).limit(1))


def _new_topic(user, category: Category, title: str, raw: str, when: datetime) -> Post:
    """A one-post topic written as :func:`forum.topics.services.create_topic` writes one
    (cooked text, counters, the search entry), dated ``when``, without committing: the
    seed's transaction is not ours."""
    cooked = cook(raw, lookup_mentions)
    topic = Topic(
        title=title,
        slug=slugify(title),
        category_id=category.id,
        user_id=user.id,
        created_at=when,
        bumped_at=when,
        last_posted_at=when,
        last_post_user_id=user.id,
        posts_count=1,
        highest_post_number=1,
        views=12 + len(title) % 23,
    )
    db.session.add(topic)
    db.session.flush()
    post = Post(
        topic_id=topic.id,
        post_number=1,
        user_id=user.id,
        raw=raw,
        cooked=cooked.html,
        cooked_version=cooked.version,
        created_at=when,
        updated_at=when,
    )
    db.session.add(post)
    db.session.flush()
    db.session.execute(
        update(Category)
        .where(Category.id == category.id)
        .values(topic_count=Category.topic_count + 1, post_count=Category.post_count + 1)
    )
    later = or_(User.last_posted_at.is_(None), User.last_posted_at < when)
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            topic_count=User.topic_count + 1,
            post_count=User.post_count + 1,
            last_posted_at=case((later, when), else_=User.last_posted_at),
        )
    )
    search.changed(POST_KIND, [post.id])
    return post
