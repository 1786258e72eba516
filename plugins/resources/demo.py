"""The demo library (domain.md §6.4): run by ``flask forum seed-demo`` through the plugin's
``seed_demo_data`` hook, inside the seed's transaction (the core commits).

Eleven items: five real public documents kept as links (legislation, directions, national
guidance; the BMA's as a link only, as its licence requires), the archived 2013 Premises
Costs Directions that the 2024 Directions supersede, and five LMC tools whose files are
generated here (:mod:`plugins.resources.samples`): synthetic text, clearly marked demo, with
several pages or sections each, so that search into a document's text has something to find
("due diligence on the premises lease" is on page 7 of the merger checklist). Every item is
created through :func:`plugins.resources.services.create`, with ``is_demo`` set, so it has
the same checks, history and search entries as an item an officer adds.

Also a "Resource Centre" category, visible to everyone like the other public demo
categories, with the plugin enabled on it: the library becomes that category's page.

Safe to run again: only the items (matched by title or by slug) and the category (by slug or
name) that are missing are added. The files' text is not read here (reading commits, and
the seed's transaction is not ours): ``flask forum resources extract`` reads the pending
files afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select, update

from forum.accounts.models import EVERYONE, MEMBERS, Group
from forum.bootstrap import UNCATEGORIZED
from forum.categories.models import CREATE, SEE, Category, CategoryPermission
from forum.database import utcnow
from forum.extensions import db
from forum.plugin_system.enablement import enabled_plugins, set_enabled
from forum.topics.slugs import slugify

from . import access, samples, services
from .models import Resource, Revision
from .vocabulary import NATIONS, TOPICS

PLUGIN = "resources"
CATEGORY_SLUG = "resource-centre"
CATEGORY_NAME = "Resource Centre"
CATEGORY_DESCRIPTION = (
    "The network's reference library: contract regulations, directions and national "
    "guidance, and the template letters, toolkits, calculators and model documents LMCs "
    "share with each other. Search reaches into the text of every document."
)
CATEGORY_COLOUR = "2F5D50"
#: Marked on every generated page, sheet and section.
DEMO_NOTICE = (
    "DEMO DOCUMENT: synthetic text written for the LMC Hub demonstration. It is not advice "
    "and must not be relied on."
)
UK_WIDE = list(NATIONS)


def topic(*numbers: int) -> list[str]:
    """Topic slugs from their 1-based positions in :data:`vocabulary.TOPICS` (as §6.4
    numbers them)."""
    return [TOPICS[n - 1][0] for n in numbers]


# -- The generated files ----------------------------------------------------------------------


def template_letter_docx() -> bytes:
    title = "Template letter: responding to secondary-care workload transfer (demo)"
    return samples.docx_bytes(
        title,
        [
            (
                "About this template",
                [
                    DEMO_NOTICE,
                    "Use this letter when a hospital department asks the practice to do work "
                    "that is the hospital's to do: arranging tests it ordered, chasing its own "
                    "results, issuing fit notes for its patients or making onward referrals.",
                    "Replace everything in square brackets. Keep the tone factual and "
                    "courteous: the aim is a change in the department's process, not a "
                    "complaint about a colleague.",
                ],
            ),
            (
                "When to use it",
                [
                    "Send it for a pattern rather than a single request: three or more similar "
                    "requests from the same department in a month is a useful threshold.",
                    "Log each request on the practice's interface log first, so that the "
                    "letter can quote numbers and dates.",
                ],
            ),
            (
                "The letter",
                [
                    "[Practice letterhead]  [Date]",
                    "Dear [name of clinical director or consultant],",
                    "Re: requests from [department] for the practice to arrange tests and "
                    "follow-up",
                    "We have received [number] requests from your department since [date] "
                    "asking the practice to arrange investigations that your clinicians "
                    "requested in outpatient clinics. Examples are listed overleaf, without "
                    "patient details.",
                    "The NHS Standard Contract is clear that the clinician who requests a test "
                    "is responsible for arranging it, reviewing the result and acting on it. "
                    "Passing this to general practice adds delay for the patient and risk "
                    "that a result is not acted on.",
                    "We would be grateful if you would arrange these tests within your own "
                    "service, and tell your clinic staff how to do so. We have copied this "
                    "letter to the ICB's contract team and to [LMC name].",
                    "Yours sincerely,  [Name], on behalf of the partners",
                ],
            ),
            (
                "Optional paragraphs",
                [
                    "Fit notes: a hospital clinician who has assessed the patient should issue "
                    "the fit note for the period of their care, rather than ask the practice "
                    "to do so.",
                    "Onward referrals: where a problem is related to the condition being "
                    "treated, the hospital should refer on directly; the patient should not "
                    "be sent back to the GP for a new referral.",
                    "Discharge medication: the hospital supplies enough medication for the "
                    "period stated in the contract, not a few days with a request that the "
                    "practice prescribe the rest.",
                ],
            ),
            (
                "After sending it",
                [
                    "Keep a copy with the interface log. If nothing changes within six weeks, "
                    "ask the LMC to raise it at the next interface meeting with the trust and "
                    "the ICB.",
                    "Share what worked on the forum's Workload, Safe Working & the Interface "
                    "category so that other practices can use the same wording.",
                ],
            ),
        ],
    )


def constitution_docx() -> bytes:
    title = "Annotated model LMC constitution (demo edition)"
    annotation = "Annotation: "
    return samples.docx_bytes(
        title,
        [
            (
                "About this edition",
                [
                    DEMO_NOTICE,
                    "This demo edition follows the shape of the model constitution the BMA "
                    "published for LMCs in 2013, in its own words, with notes on the choices "
                    "an LMC has to make. Clause numbers are for this document only.",
                ],
            ),
            (
                "1. Name and area",
                [
                    "The committee is the Local Medical Committee for [area], recognised by "
                    "[ICB or Health Board] under the NHS Act.",
                    annotation + "name every commissioner area the LMC covers; after an ICB "
                    "merger, check that the recognition letter still matches.",
                ],
            ),
            (
                "2. Objects",
                [
                    "To represent all GPs on the performers list in the area, whatever their "
                    "contract or employment, in dealings with commissioners and others.",
                    annotation + "representing every GP, not only partners, is what gives the "
                    "LMC its standing to collect the statutory levy from all practices.",
                ],
            ),
            (
                "3. Membership of the committee",
                [
                    "The committee has [number] elected GP members, of whom at least "
                    "[number] are seats reserved for sessional GPs, and co-opted members "
                    "without a vote for practice managers, nurses and GP trainees.",
                    annotation + "reserved seats for sessional GPs and trainees are the "
                    "change most LMCs have made since 2013; say how an unfilled reserved seat "
                    "is handled.",
                ],
            ),
            (
                "4. Elections",
                [
                    "Elections are held every [three] years by secret ballot of the GPs in "
                    "each constituency, run by an independent returning officer.",
                    annotation + "an electronic ballot is acceptable if the returning officer "
                    "can show that each GP voted once.",
                ],
            ),
            (
                "5. Officers",
                [
                    "The committee elects a chair, a vice-chair, a medical secretary and a "
                    "treasurer each year at its first meeting after the annual meeting.",
                    annotation + "if the medical secretary is employed by the LMC company, "
                    "separate their employment from their elected role.",
                ],
            ),
            (
                "6. Meetings and quorum",
                [
                    "The committee meets at least [ten] times a year. A quorum is one third "
                    "of the voting members, of whom at least one is an officer.",
                    annotation + "allow remote attendance explicitly, and say whether remote "
                    "members count towards the quorum.",
                ],
            ),
            (
                "7. Conflicts of interest",
                [
                    "Every member declares their interests on election and whenever they "
                    "change, including PCN clinical director roles, ICB posts and shares in "
                    "provider companies. The register is published on the LMC's website.",
                    annotation + "decide in advance when a conflicted member leaves the room, "
                    "not only when they abstain from the vote.",
                ],
            ),
            (
                "8. Statutory levy and finance",
                [
                    "The committee sets the statutory and voluntary levies each year and "
                    "presents audited accounts at the annual meeting.",
                    annotation + "state the levy per registered patient and how it is "
                    "collected by the commissioner on the LMC's behalf.",
                ],
            ),
            (
                "9. Changing this constitution",
                [
                    "Changes need a two-thirds majority of the voting members present at a "
                    "meeting called with 28 days' notice of the proposed wording.",
                ],
            ),
        ],
    )


def costing_xlsx() -> bytes:
    """The LCS costing calculator: figures typed in (no formulas), totals worked out here,
    so every reader shows the same numbers."""
    staff = [
        ("Healthcare assistant (band 3)", 14.20, 10),
        ("Practice nurse (band 5)", 19.80, 4),
        ("Receptionist booking and recall", 12.60, 3),
        ("GP review of abnormal results", 78.00, 1),
    ]
    staff_rows: list[list[object]] = [
        [DEMO_NOTICE],
        ["Role", "Hourly rate (£)", "Minutes per item", "Cost per item (£)"],
    ]
    staff_total = 0.0
    for role, rate, minutes in staff:
        cost = round(rate * minutes / 60, 2)
        staff_total += cost
        staff_rows.append([role, rate, minutes, cost])
    staff_rows.append(["Staff time per item", None, None, round(staff_total, 2)])

    on_cost_rates = [
        ("Employer's National Insurance", 0.138),
        ("Employer's pension contribution (NHS Pension Scheme)", 0.2368),
        ("Holiday, sickness and training cover", 0.12),
    ]
    on_cost_rows: list[list[object]] = [
        [DEMO_NOTICE],
        ["On-cost", "Rate", "Per item (£)"],
    ]
    on_costs = 0.0
    for name, rate in on_cost_rates:
        amount = round(staff_total * rate, 2)
        on_costs += amount
        on_cost_rows.append([name, rate, amount])
    on_cost_rows.append(["On-costs per item", None, round(on_costs, 2)])

    consumables = [
        ("Vacutainer needle and holder", 0.32),
        ("Sample tubes (average of two)", 0.46),
        ("Gloves, swabs and plaster", 0.21),
        ("Sharps bin and clinical waste share", 0.18),
    ]
    consumable_rows: list[list[object]] = [[DEMO_NOTICE], ["Item", "Cost per item (£)"]]
    consumable_rows += [[name, cost] for name, cost in consumables]
    consumables_total = round(sum(cost for _name, cost in consumables), 2)
    consumable_rows.append(["Consumables per item", consumables_total])

    overhead = round((staff_total + on_costs) * 0.15, 2)
    full_cost = round(staff_total + on_costs + consumables_total + overhead, 2)
    summary = [
        [DEMO_NOTICE],
        ["LCS costing calculator (demo): what one item of a locally commissioned service costs"],
        ["Staff time", round(staff_total, 2)],
        ["On-costs", round(on_costs, 2)],
        ["Consumables", consumables_total],
        ["Premises and overheads (15% of staff costs)", overhead],
        ["Full cost per item", full_cost],
        ["Compare the full cost with the tariff the commissioner offers before signing."],
    ]
    read_me = [
        [DEMO_NOTICE],
        ["How to use this calculator"],
        ["1. On Staff time, enter who does the work, their hourly rate and minutes per item."],
        ["2. On On-costs, check the employer's rates for the current year."],
        ["3. On Consumables, list what each item uses, at the practice's purchase price."],
        ["4. Summary gives the full cost per item, to set against the offered tariff."],
        ["The example figures are for a phlebotomy service and are invented."],
    ]
    return samples.xlsx_bytes(
        {
            "Read me": read_me,
            "Staff time": staff_rows,
            "On-costs": on_cost_rows,
            "Consumables": consumable_rows,
            "Summary": summary,
        }
    )


def job_description_docx() -> bytes:
    return samples.docx_bytes(
        "Sample job description: LMC Office Manager (demo)",
        [
            (
                "About this sample",
                [
                    DEMO_NOTICE,
                    "Adapt the duties and the grade to the size of your LMC. The salary range "
                    "is left for the LMC's employment committee to set.",
                ],
            ),
            (
                "Job summary",
                [
                    "The office manager runs the LMC office, supports the committee and its "
                    "officers, and is the first point of contact for practices.",
                    "Responsible to: the chief executive (or the medical secretary where "
                    "there is no chief executive).",
                ],
            ),
            (
                "Running the office",
                [
                    "Manage the shared inbox and telephone line, and log each practice query "
                    "with the officer who will answer it.",
                    "Keep the LMC's contact lists, distribution lists and website up to date.",
                    "Manage the office's data protection records and its retention schedule.",
                ],
            ),
            (
                "Supporting the committee",
                [
                    "Prepare agendas and papers, and take minutes at the monthly committee "
                    "meeting and at meetings with the ICB.",
                    "Run the elections timetable with the independent returning officer.",
                    "Keep the register of members' interests and publish it each year.",
                ],
            ),
            (
                "Finance and levy",
                [
                    "Reconcile the statutory levy received from the commissioner each quarter "
                    "and chase any shortfall.",
                    "Prepare the figures for the treasurer and the annual accounts, and pay "
                    "suppliers once an officer has approved the invoice.",
                ],
            ),
            (
                "Person specification",
                [
                    "Essential: experience of running an office; confident with spreadsheets "
                    "and minute-taking; discretion with confidential information.",
                    "Desirable: knowledge of general practice or of NHS commissioning.",
                ],
            ),
        ],
    )


CHECKLIST_TITLE = "Practice merger & closure checklist for LMC officers (demo)"


def merger_checklist_pages() -> list[str]:
    """The checklist's eight pages (short enough that each fits one PDF page)."""
    return [
        "\n".join(
            [
                DEMO_NOTICE,
                "",
                "Who this is for: LMC officers supporting a practice that is considering a "
                "merger, a list closure or handing back its contract.",
                "",
                "Contents",
                "Page 2  Early warning signs",
                "Page 3  The first conversation with the practice",
                "Page 4  Merger: options and the commissioner",
                "Page 5  Patients and staff",
                "Page 6  Contract and money",
                "Page 7  Premises",
                "Page 8  Closure, handback and afterwards",
            ]
        ),
        "\n".join(
            [
                "Page 2. Early warning signs",
                "- A partner retiring with no successor, or a single-handed practice.",
                "- Locum spend rising for two quarters in a row.",
                "- A CQC rating of requires improvement, or a remedial notice.",
                "- List growth from a neighbouring practice's closure.",
                "- The practice stops coming to LMC or PCN meetings.",
                "Note each sign with its date: the pattern matters more than one event.",
            ]
        ),
        "\n".join(
            [
                "Page 3. The first conversation with the practice",
                "- Offer pastoral support first; the partners may be exhausted.",
                "- Agree what the LMC may share with the commissioner, and in writing.",
                "- Find out who holds the contract, and whether any partner has given notice.",
                "- Ask for the partnership agreement and the last two years' accounts.",
                "- Agree a named officer and a date for the next conversation.",
            ]
        ),
        "\n".join(
            [
                "Page 4. Merger: options and the commissioner",
                "- Compare a full merger, a federation and a shared back office.",
                "- Check whether the contracts are GMS, PMS or APMS: they merge differently.",
                "- Ask the commissioner early how it will handle the contract variation.",
                "- Check the effect on the PCN: both practices should tell the clinical "
                "director before anything is announced.",
            ]
        ),
        "\n".join(
            [
                "Page 5. Patients and staff",
                "- Plan how and when patients are told, and by whom.",
                "- TUPE applies to most staff: take HR advice before consulting them.",
                "- Check the pension position of salaried GPs and staff in each practice.",
                "- Map clinical systems and records: one system or two, and when to migrate.",
            ]
        ),
        "\n".join(
            [
                "Page 6. Contract and money",
                "- List the enhanced and locally commissioned services each practice holds.",
                "- Check QOF aspiration payments and how the year's achievement is split.",
                "- Ask for the global sum and MPIG position after the merger in writing.",
                "- Confirm who pays for legal and accountancy advice, and whether the "
                "commissioner will contribute.",
            ]
        ),
        "\n".join(
            [
                "Page 7. Premises",
                "- Arrange due diligence on the premises lease: term, break clauses, rent "
                "review dates, repairing obligations and any personal guarantees.",
                "- Check notional or cost rent reimbursement under the Premises Costs "
                "Directions, and whether it transfers to the merged practice.",
                "- Ask NHS Property Services or the landlord for the service charge "
                "reconciliation for the last three years.",
                "- For owned premises, value the building and agree how the departing "
                "partners are bought out.",
            ]
        ),
        "\n".join(
            [
                "Page 8. Closure, handback and afterwards",
                "- Notice periods: check the contract; give notice in writing to the "
                "commissioner and keep proof of delivery.",
                "- Agree a dispersal plan for the list with the commissioner and neighbouring "
                "practices, including housebound and care-home patients.",
                "- Record retention: arrange transfer of records and of the practice's data.",
                "- Afterwards: review with the partners what the LMC could have done sooner, "
                "and share the lessons with the network.",
            ]
        ),
    ]


def merger_checklist_pdf() -> bytes:
    return samples.pdf_bytes(merger_checklist_pages(), title=CHECKLIST_TITLE)


# -- The items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoItem:
    """One library item of the demo: its form (as :func:`fields.clean` reads it), who adds it
    and how long ago, and the file it comes with, if any."""

    form: dict
    contributor: str
    days_ago: int
    file: tuple[str, Callable[[], bytes]] | None = None
    #: Whether the item is shared by the contributor's LMC (its "contributing LMC").
    from_lmc: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.form["title"]


def _review(days_from_today: int) -> str:
    return (date.today() + timedelta(days=days_from_today)).isoformat()


OLD_DIRECTIONS = "NHS (GMS – Premises Costs) Directions 2013"
NEW_DIRECTIONS = "NHS (GMS – Premises Costs) Directions 2024 (supersedes the 2013 Directions)"


def items() -> list[DemoItem]:
    """The demo items, in the order they are added (oldest first; the 2013 Directions before
    the 2024 Directions that supersede them)."""
    officers = "lmc_officers,lmc_staff"
    return [
        DemoItem(
            {
                "title": OLD_DIRECTIONS,
                "summary": "The directions that governed premises payments to GMS practices "
                "in England from 2013 until May 2024: notional and cost rent, improvement "
                "grants and reimbursement of rates and service charges. Kept for reference "
                "on older applications; replaced by the 2024 Directions.",
                "collection": "primary_document",
                "resource_type": "directions",
                "topics": topic(6),
                "nations": ["england"],
                "source_org": "DHSC",
                "licence": "ogl_crown",
                "access_level": "public",
                "status": "superseded",
                "audience": officers + ",gp_partners,practice_managers",
                "publication_date": "2013-12-03",
                "effective_from": "2013-12-03",
                "version": "2013",
                "keywords": "premises directions, rent reimbursement, improvement grants",
                "external_url": "https://www.gov.uk/government/publications/"
                "nhs-general-medical-services-premises-costs-directions-previous-directions",
            },
            contributor="ruth.calloway",
            days_ago=58,
        ),
        DemoItem(
            {
                "title": "NHS (General Medical Services Contracts) Regulations 2015",
                "summary": "The regulations that set out what every GMS contract in England "
                "must contain: essential services, core hours, the practice list, "
                "prescribing, records, complaints, and how a contract is varied, suspended "
                "or ended. The starting point for most contract questions.",
                "collection": "primary_document",
                "resource_type": "legislation",
                "topics": topic(1),
                "nations": ["england"],
                "source_org": "DHSC (legislation.gov.uk)",
                "licence": "ogl_crown",
                "access_level": "public",
                "audience": officers + ",gp_partners,practice_managers",
                "publication_date": "2015-11-04",
                "effective_from": "2015-12-07",
                "review_date": _review(120),
                "version": "2015 as amended",
                "keywords": "GMS regulations, contract terms, SI 2015/1862",
                "external_url": "https://www.legislation.gov.uk/uksi/2015/1862/contents",
            },
            contributor="ruth.calloway",
            days_ago=56,
        ),
        DemoItem(
            {
                "title": "Primary Medical Care Policy and Guidance Manual (PGM), v5 July 2024",
                "summary": "NHS England's manual for commissioners on managing GP contracts: "
                "contract variations, mergers, list closures, breach and remedial notices, "
                "and how commissioners should work with LMCs. Useful to know what the ICB "
                "is told to do before it does it.",
                "collection": "primary_document",
                "resource_type": "national_guidance",
                "topics": topic(1, 5),
                "nations": ["england"],
                "source_org": "NHS England",
                "licence": "ogl_crown",
                "access_level": "public",
                "audience": officers,
                "publication_date": "2024-07-01",
                "review_date": _review(-40),
                "version": "v5 (July 2024)",
                "keywords": "PGM, policy book, commissioner guidance",
                "external_url": "https://www.england.nhs.uk/publication/"
                "primary-medical-care-policy-and-guidance-manual-pgm/",
            },
            contributor="tom.haldane",
            days_ago=52,
        ),
        DemoItem(
            {
                "title": NEW_DIRECTIONS,
                "summary": "The current directions on premises payments to GMS practices in "
                "England, in force from 9 May 2024: rent reimbursement, improvement grants "
                "of up to 100%, the notional rent review process and the new arrangements "
                "for service charges. Replaces the 2013 Directions.",
                "collection": "primary_document",
                "resource_type": "directions",
                "topics": topic(6),
                "nations": ["england"],
                "source_org": "DHSC",
                "licence": "ogl_crown",
                "access_level": "public",
                "audience": officers + ",gp_partners,practice_managers",
                "publication_date": "2024-05-09",
                "effective_from": "2024-05-09",
                "review_date": _review(300),
                "version": "2024",
                "keywords": "premises directions, notional rent, improvement grants",
                "external_url": "https://www.gov.uk/government/publications/"
                "nhs-general-medical-services-premises-costs-directions",
            },
            contributor="ruth.calloway",
            days_ago=50,
            extra={"supersedes": OLD_DIRECTIONS},
        ),
        DemoItem(
            {
                "title": "NHS (GMS Contracts) (Wales) Regulations 2023",
                "summary": "The regulations for GMS contracts in Wales under the unified "
                "contract: essential services, the practice list, access standards and the "
                "Health Board's powers to vary or end a contract. The Welsh counterpart of "
                "the English 2015 Regulations.",
                "collection": "primary_document",
                "resource_type": "legislation",
                "topics": topic(1),
                "nations": ["wales"],
                "source_org": "Welsh Government",
                "licence": "ogl_crown",
                "access_level": "public",
                "audience": officers + ",gp_partners",
                "publication_date": "2023-09-07",
                "effective_from": "2023-10-01",
                "review_date": _review(200),
                "version": "2023",
                "keywords": "Welsh GMS regulations, unified contract",
                "external_url": "https://www.legislation.gov.uk/wsi/2023/953/contents",
            },
            contributor="owain.llewellyn",
            days_ago=44,
        ),
        DemoItem(
            {
                "title": "Safe working in general practice (GPC England)",
                "summary": "GPC England's guidance on keeping clinical workload to a safe "
                "level: a ceiling of about 25 patient contacts a day per clinician, "
                "signposting beyond it, and how practices can organise their day around "
                "safe limits. Kept as a link: the BMA's page is for its members.",
                "collection": "primary_document",
                "resource_type": "national_guidance",
                "topics": topic(11),
                "nations": ["england"],
                "source_org": "BMA",
                "licence": "bma_copyright_link_only",
                "access_level": "members",
                "audience": "gp_partners,sessional_gps,practice_managers,lmc_officers",
                "publication_date": "2024-08-01",
                "review_date": _review(-10),
                "version": "2024",
                "keywords": "25 contacts, safe working limits, workload",
                "external_url": "https://www.bma.org.uk/advice-and-support/gp-practices/"
                "managing-workload/safe-working-in-general-practice",
            },
            contributor="helen.marsh",
            days_ago=38,
        ),
        DemoItem(
            {
                "title": "Template letter: responding to secondary-care workload transfer (demo)",
                "summary": "A letter practices can adapt when a hospital department keeps "
                "asking them to arrange its tests, chase its results or issue its fit notes, "
                "with optional paragraphs and advice on logging requests first. Synthetic "
                "demo text.",
                "collection": "tool_or_sample",
                "resource_type": "template_letter",
                "topics": topic(11, 12),
                "nations": ["england"],
                "source_org": "LMCSN editorial (demo)",
                "licence": "lmc_share_with_attribution",
                "access_level": "members",
                "audience": "gp_partners,practice_managers",
                "publication_date": "2026-03-02",
                "review_date": _review(150),
                "version": "1.2",
                "is_template": "yes",
                "keywords": "interface, workload shift, hospital requests, template",
            },
            contributor="priya.natarajan",
            days_ago=30,
            file=("workload-transfer-letter-demo.docx", template_letter_docx),
        ),
        DemoItem(
            {
                "title": "Annotated model LMC constitution (demo edition, based on the BMA "
                "2013 model)",
                "summary": "A model constitution for an LMC, clause by clause, with notes on "
                "the choices each LMC makes: reserved seats for sessional GPs and trainees, "
                "elections, quorum, conflicts of interest and the levy. Synthetic demo text.",
                "collection": "tool_or_sample",
                "resource_type": "constitution_governance",
                "topics": topic(18),
                "nations": UK_WIDE,
                "source_org": "LMCSN editorial (demo)",
                "licence": "lmc_share_with_attribution",
                "access_level": "officers_staff",
                "audience": officers,
                "publication_date": "2025-06-16",
                "review_date": _review(400),
                "version": "Demo 2.0",
                "is_template": "yes",
                "keywords": "constitution, elections, quorum, governance",
            },
            contributor="ruth.calloway",
            days_ago=24,
            file=("model-lmc-constitution-demo.docx", constitution_docx),
        ),
        DemoItem(
            {
                "title": "LCS costing calculator: staff time, on-costs, consumables (demo)",
                "summary": "A spreadsheet that works out what one item of a locally "
                "commissioned service really costs a practice (staff time, employer's "
                "on-costs, consumables and overheads) to set against the tariff offered. "
                "Filled in with invented phlebotomy figures.",
                "collection": "tool_or_sample",
                "resource_type": "calculator_spreadsheet",
                "topics": topic(3),
                "nations": UK_WIDE,
                "source_org": "LMCSN editorial (demo)",
                "licence": "lmc_share_with_attribution",
                "access_level": "members",
                "audience": officers + ",practice_managers",
                "publication_date": "2025-11-03",
                "review_date": _review(90),
                "version": "1.1",
                "keywords": "LES costing, LCS pricing, tariff, calculator",
            },
            contributor="tom.haldane",
            days_ago=17,
            file=("lcs-costing-calculator-demo.xlsx", costing_xlsx),
        ),
        DemoItem(
            {
                "title": "Sample job description: LMC Office Manager (demo)",
                "summary": "A job description and person specification for an LMC office "
                "manager: running the office, supporting the committee and its elections, "
                "and reconciling the levy. For LMCs recruiting or reviewing the role. "
                "Synthetic demo text.",
                "collection": "tool_or_sample",
                "resource_type": "job_description",
                "topics": topic(19, 24),
                "nations": UK_WIDE,
                "source_org": "Demo LMC",
                "licence": "lmc_share_with_attribution",
                "access_level": "officers_staff",
                "audience": officers,
                "publication_date": "2025-09-01",
                "review_date": _review(250),
                "version": "2025",
                "is_template": "yes",
                "keywords": "JD, recruitment, office manager",
            },
            contributor="janet.whitworth",
            days_ago=11,
            file=("lmc-office-manager-jd-demo.docx", job_description_docx),
            from_lmc=True,
        ),
        DemoItem(
            {
                "title": CHECKLIST_TITLE,
                "summary": "An eight-page checklist for LMC officers supporting a practice "
                "through a merger, list closure or contract handback: warning signs, the "
                "first conversation, patients and staff, contract and money, premises, and "
                "closing well. Synthetic demo text.",
                "collection": "tool_or_sample",
                "resource_type": "toolkit_checklist",
                "topics": topic(10),
                "nations": ["england"],
                "source_org": "LMCSN editorial (demo)",
                "licence": "lmc_share_with_attribution",
                "access_level": "members",
                "audience": officers,
                "publication_date": "2026-01-12",
                "review_date": _review(180),
                "version": "3.0",
                "keywords": "merger, closure, handback, caretaking, due diligence",
            },
            contributor="priya.natarajan",
            days_ago=6,
            file=("practice-merger-checklist-demo.pdf", merger_checklist_pdf),
        ),
    ]


# -- Seeding ----------------------------------------------------------------------------------


def seed(users: Mapping, categories: Mapping) -> None:
    """Add the demo items and the Resource Centre category that are missing."""
    _seed_category(categories)
    _seed_items(users)


def _seed_category(categories: Mapping) -> Category:
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
        groups = {
            name: group_id
            for name, group_id in db.session.execute(
                select(Group.name, Group.id).where(Group.name.in_([EVERYONE, MEMBERS]))
            )
        }
        for name, level in ((EVERYONE, SEE), (MEMBERS, CREATE)):
            db.session.add(
                CategoryPermission(category_id=category.id, group_id=groups[name], permission=level)
            )
        set_enabled(category, [PLUGIN])
    elif PLUGIN not in enabled_plugins(category.id):
        set_enabled(category, enabled_plugins(category.id) | {PLUGIN})
    db.session.flush()
    return category


def _present(demo_items: list[DemoItem]) -> set[str]:
    """Titles of the demo items already in the library (matched by title or by slug)."""
    by_slug = {slugify(item.title)[:100]: item.title for item in demo_items}
    rows = db.session.execute(
        select(Resource.title, Resource.slug).where(
            or_(
                Resource.title.in_([item.title for item in demo_items]),
                Resource.slug.in_(list(by_slug)),
            )
        )
    )
    found = set()
    for title, slug in rows:
        found.add(title)
        if slug in by_slug:
            found.add(by_slug[slug])
    return found


def _contributor(users: Mapping, preferred: str):
    """The demo user who adds an item, or (on a forum without that user) any demo user who
    may add items; ``None`` when there is nobody."""
    user = users.get(preferred)
    if user is not None and access.can_contribute(user):
        return user
    for name in sorted(users):
        if access.can_contribute(users[name]):
            return users[name]
    return None


def _seed_items(users: Mapping) -> list[Resource]:
    demo_items = items()
    present = _present(demo_items)
    now = utcnow()
    added = []
    for item in demo_items:
        if item.title in present:
            continue
        user = _contributor(users, item.contributor)
        if user is None:
            return added
        form = {**item.form, **_supersedes(item)}
        if item.from_lmc and getattr(user, "organisation_id", None):
            form["contributing_lmc"] = user.organisation_id
        upload = None
        if item.file is not None:
            filename, build = item.file
            upload = services.Upload(io.BytesIO(build()), filename)
        last_revision = db.session.scalar(select(func.max(Revision.id))) or 0
        resource = services.create(user, form, upload, is_demo=True, commit=False)
        _backdate(resource, last_revision, now - timedelta(days=item.days_ago, hours=3))
        added.append(resource)
    return added


def _supersedes(item: DemoItem) -> dict:
    """The ``supersedes`` field: the slug of the item it replaces, when that is present."""
    title = item.extra.get("supersedes")
    if not title:
        return {}
    slug = db.session.scalar(select(Resource.slug).where(Resource.title == title).limit(1))
    return {"supersedes": slug} if slug else {}


def _backdate(resource: Resource, after_revision: int, when) -> None:
    """Date the item, and the history rows its creation wrote (its own, and the superseded
    item's), ``when``: a library whose every item was added "just now" looks like no
    library."""
    when = when.replace(microsecond=0)
    resource.created_at = resource.updated_at = when
    db.session.execute(
        update(Revision)
        .where(Revision.id > after_revision)
        .values(created_at=when)
        .execution_options(synchronize_session=False)
    )
    if resource.supersedes_id is not None:
        db.session.execute(
            update(Resource)
            .where(Resource.id == resource.supersedes_id, Resource.status == "superseded")
            .values(updated_at=when)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
