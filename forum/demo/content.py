"""Demo content for LMC Hub.

Plain data used by the demo seed command: organisations (real LMC names), forum categories,
synthetic users and synthetic discussion threads. All people are fictional.

In each thread, post 1 is the opening post and reply ``i`` of ``replies`` (0-based) becomes
post number ``i + 2``. ``reply_to`` and ``quote["post"]`` refer to those post numbers.
"""

ORGANISATIONS = [
    {
        "name": "Londonwide LMCs",
        "nation": "England",
        "region": "London",
        "parent": None,
    },
    {
        "name": "Barking & Havering LMC",
        "nation": "England",
        "region": "London",
        "parent": None,
    },
    {
        "name": "Tower Hamlets LMC",
        "nation": "England",
        "region": "London",
        "parent": "Londonwide LMCs",
    },
    {
        "name": "Croydon LMC",
        "nation": "England",
        "region": "London",
        "parent": "Surrey & Sussex LMCs",
    },
    {
        "name": "Kingston & Richmond LMC",
        "nation": "England",
        "region": "London",
        "parent": "Surrey & Sussex LMCs",
    },
    {
        "name": "Surrey & Sussex LMCs",
        "nation": "England",
        "region": "South East",
        "parent": None,
    },
    {
        "name": "Surrey LMC",
        "nation": "England",
        "region": "South East",
        "parent": "Surrey & Sussex LMCs",
    },
    {
        "name": "East Sussex LMC",
        "nation": "England",
        "region": "South East",
        "parent": "Surrey & Sussex LMCs",
    },
    {
        "name": "West Sussex LMC",
        "nation": "England",
        "region": "South East",
        "parent": "Surrey & Sussex LMCs",
    },
    {
        "name": "Kent LMC",
        "nation": "England",
        "region": "South East",
        "parent": None,
    },
    {
        "name": "Berkshire, Buckinghamshire & Oxfordshire (BBO) LMCs",
        "nation": "England",
        "region": "South East",
        "parent": None,
    },
    {
        "name": "Wessex LMCs",
        "nation": "England",
        "region": "South East",
        "parent": None,
    },
    {
        "name": "Devon LMC",
        "nation": "England",
        "region": "South West",
        "parent": None,
    },
    {
        "name": "Cornwall & Isles of Scilly LMC",
        "nation": "England",
        "region": "South West",
        "parent": None,
    },
    {
        "name": "Somerset LMC",
        "nation": "England",
        "region": "South West",
        "parent": None,
    },
    {
        "name": "Avon LMC",
        "nation": "England",
        "region": "South West",
        "parent": None,
    },
    {
        "name": "Beds & Herts LMC",
        "nation": "England",
        "region": "East of England",
        "parent": None,
    },
    {
        "name": "Cambridgeshire LMC",
        "nation": "England",
        "region": "East of England",
        "parent": None,
    },
    {
        "name": "Norfolk & Waveney LMC",
        "nation": "England",
        "region": "East of England",
        "parent": None,
    },
    {
        "name": "Lincolnshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Nottinghamshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Derby & Derbyshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Leicester, Leicestershire & Rutland LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Birmingham LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Coventry LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Warwickshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Solihull LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Dudley LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Sandwell LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Walsall LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Wolverhampton LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Shropshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "North Staffordshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "South Staffordshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Worcestershire & Herefordshire LMC",
        "nation": "England",
        "region": "Midlands",
        "parent": None,
    },
    {
        "name": "Cheshire LMC",
        "nation": "England",
        "region": "North West",
        "parent": None,
    },
    {
        "name": "Mid Mersey LMC",
        "nation": "England",
        "region": "North West",
        "parent": None,
    },
    {
        "name": "Wirral LMC",
        "nation": "England",
        "region": "North West",
        "parent": None,
    },
    {
        "name": "Manchester LMC",
        "nation": "England",
        "region": "North West",
        "parent": None,
    },
    {
        "name": "Salford & Trafford LMC",
        "nation": "England",
        "region": "North West",
        "parent": None,
    },
    {
        "name": "Lancashire & Cumbria Consortium of LMCs",
        "nation": "England",
        "region": "North West",
        "parent": None,
    },
    {
        "name": "YORLMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Calderdale LMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Humberside Group of LMCs",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Doncaster LMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Cleveland LMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Newcastle & North Tyneside LMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Gateshead & South Tyneside LMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Northumberland LMC",
        "nation": "England",
        "region": "North East & Yorkshire",
        "parent": None,
    },
    {
        "name": "Glasgow LMC",
        "nation": "Scotland",
        "region": "Scotland",
        "parent": None,
    },
    {
        "name": "Lanarkshire LMC",
        "nation": "Scotland",
        "region": "Scotland",
        "parent": None,
    },
    {
        "name": "Ayrshire & Arran LMC",
        "nation": "Scotland",
        "region": "Scotland",
        "parent": None,
    },
    {
        "name": "Fife LMC",
        "nation": "Scotland",
        "region": "Scotland",
        "parent": None,
    },
    {
        "name": "Borders LMC",
        "nation": "Scotland",
        "region": "Scotland",
        "parent": None,
    },
    {
        "name": "North Wales LMC",
        "nation": "Wales",
        "region": "Wales",
        "parent": None,
    },
    {
        "name": "Dyfed Powys LMC",
        "nation": "Wales",
        "region": "Wales",
        "parent": None,
    },
    {
        "name": "Morgannwg LMC",
        "nation": "Wales",
        "region": "Wales",
        "parent": None,
    },
    {
        "name": "Bro Taf LMC",
        "nation": "Wales",
        "region": "Wales",
        "parent": None,
    },
    {
        "name": "Gwent LMC",
        "nation": "Wales",
        "region": "Wales",
        "parent": None,
    },
    {
        "name": "Northern Ireland LMC",
        "nation": "Northern Ireland",
        "region": "Northern Ireland",
        "parent": None,
    },
]

CATEGORIES = [
    {
        "name": "Contracts & Regulations",
        "slug": "contracts",
        "description": (
            "GMS, PMS and APMS terms, annual contract changes, the SFE, remedial and breach "
            "notices."
        ),
        "color": "1F4E79",
    },
    {
        "name": "PCNs & the Network DES",
        "slug": "pcns",
        "description": "Network agreements, ARRS roles, access payments and PCN governance.",
        "color": "0B6E4F",
    },
    {
        "name": "ICB & Commissioner Relations",
        "slug": "icb-relations",
        "description": (
            "Working with ICBs, Health Boards and SPPG: committees, delegation, restructures, "
            "escalation routes."
        ),
        "color": "5B2C83",
    },
    {
        "name": "Locally Commissioned Services & SLAs",
        "slug": "lcs-slas",
        "description": (
            "Negotiating, pricing and uplifting LCS/LES, giving notice, and linking to tracker "
            "records."
        ),
        "color": "9C2A00",
    },
    {
        "name": "Workload, Safe Working & the Interface",
        "slug": "workload-interface",
        "description": (
            "Hospital workload transfer, template letters, safe-working limits and collective "
            "action."
        ),
        "color": "B0003A",
    },
    {
        "name": "Workforce & Employment",
        "slug": "workforce",
        "description": (
            "HR queries, contracts, job descriptions, recruitment and retention schemes."
        ),
        "color": "005A70",
    },
    {
        "name": "Sessional, Locum & Trainee GPs",
        "slug": "sessional-gps",
        "description": "Representation, employment, chambers and the early-career transition.",
        "color": "3D5A00",
    },
    {
        "name": "Premises & Estates",
        "slug": "premises",
        "description": (
            "Premises Costs Directions, leases, rent reviews, service charges and improvement "
            "grants."
        ),
        "color": "6B4226",
    },
    {
        "name": "Finance, Pensions & Tax",
        "slug": "finance-pensions",
        "description": "Practice finance, NHS Pension Scheme issues and reimbursements.",
        "color": "2E4A62",
    },
    {
        "name": "Practice Resilience: Mergers, Closures & Handbacks",
        "slug": "practice-resilience",
        "description": (
            "Supporting practices in difficulty: list closures, mergers, last partner standing, "
            "caretaking."
        ),
        "color": "8A1C7C",
    },
    {
        "name": "LMC Governance, Levy & Conflicts of Interest",
        "slug": "lmc-governance",
        "description": (
            "Constitutions, elections, company matters, levy setting and declarations of interest."
        ),
        "color": "3B3B98",
    },
    {
        "name": "Conferences, Motions & National Representation",
        "slug": "conferences",
        "description": "Drafting motions, conference reports, GPC and GPDF business.",
        "color": "A3470A",
    },
    {
        "name": "Communications & Media",
        "slug": "communications",
        "description": "Newsletters, press enquiries, campaigns and patient-facing messaging.",
        "color": "00695C",
    },
    {
        "name": "Wellbeing, Pastoral Support & LMC Staff Room",
        "slug": "wellbeing",
        "description": (
            "Pastoral support practice, GPs in difficulty (anonymised), and peer support for LMC "
            "staff."
        ),
        "color": "7A3E9D",
    },
    {
        "name": "Officers' Lounge",
        "slug": "officers-lounge",
        "description": "A private room for LMC chief executives and officers.",
        "color": "333333",
        "private": True,
    },
]

USERS = [
    {
        "username": "ruth.calloway",
        "name": "Ruth Calloway",
        "email": "ruth.calloway@example.org",
        "role": "admin",
        "organisation": None,
        "job_role": "Head of service",
        "bio": (
            "Leads the LMC Support Network's hub team after twenty years in NHS primary care "
            "commissioning. Happy to be nudged about anything that is not working on the site."
        ),
        "groups": ["lmcsn-staff"],
    },
    {
        "username": "tom.haldane",
        "name": "Tom Haldane",
        "email": "tom.haldane@example.org",
        "role": "admin",
        "organisation": None,
        "job_role": "Liaison officer",
        "bio": (
            "LMCSN liaison officer looking after the resource library and the monthly network "
            "meeting. Previously an LMC office manager in the North West."
        ),
        "groups": ["lmcsn-staff"],
    },
    {
        "username": "priya.natarajan",
        "name": "Priya Natarajan",
        "email": "priya.natarajan@example.org",
        "role": "admin",
        "organisation": None,
        "job_role": "Executive officer",
        "bio": (
            "Runs LMCSN's events, induction programme and mentoring scheme. Ask me about "
            "workshop dates or getting matched with a buddy."
        ),
        "groups": ["lmcsn-staff"],
    },
    {
        "username": "helen.marsh",
        "name": "Dr Helen Marsh",
        "email": "helen.marsh@example.org",
        "role": "moderator",
        "organisation": "Devon LMC",
        "job_role": "Medical secretary",
        "bio": (
            "GP partner for 22 years and medical secretary at Devon LMC. Spends most weeks on "
            "LCS negotiations and contract disputes with the ICB."
        ),
        "groups": ["officers"],
    },
    {
        "username": "mark.ellison",
        "name": "Mark Ellison",
        "email": "mark.ellison@example.org",
        "role": "moderator",
        "organisation": "Cheshire LMC",
        "job_role": "Chief executive",
        "bio": (
            "Non-clinical chief executive and former NHS manager. Interested in LMC governance, "
            "levy and company matters, and in helping new chief executives find their feet."
        ),
        "groups": ["officers"],
    },
    {
        "username": "callum.fraser",
        "name": "Dr Callum Fraser",
        "email": "callum.fraser@example.org",
        "role": "member",
        "organisation": "Glasgow LMC",
        "job_role": "Medical secretary",
        "bio": (
            "LMC secretary and GP partner in the east end of Glasgow. Happy to explain how "
            "things work under the Scottish 2018 GMS contract."
        ),
        "groups": ["officers"],
    },
    {
        "username": "rav.sandhu",
        "name": "Dr Rav Sandhu",
        "email": "rav.sandhu@example.org",
        "role": "member",
        "organisation": "Birmingham LMC",
        "job_role": "Vice-chair",
        "bio": (
            "Vice-chair of Birmingham LMC and a former PCN clinical director. Can usually be "
            "found arguing about ARRS budgets and access payments."
        ),
        "groups": ["officers"],
    },
    {
        "username": "fiona.tremayne",
        "name": "Dr Fiona Tremayne",
        "email": "fiona.tremayne@example.org",
        "role": "member",
        "organisation": "Cornwall & Isles of Scilly LMC",
        "job_role": "Chair",
        "bio": (
            "Chair of the LMC and a GP partner in a rural dispensing practice. Rurality, "
            "premises and recruitment are never far from the agenda here."
        ),
        "groups": ["officers"],
    },
    {
        "username": "owain.llewellyn",
        "name": "Dr Owain Llewellyn",
        "email": "owain.llewellyn@example.org",
        "role": "member",
        "organisation": "North Wales LMC",
        "job_role": "Medical secretary",
        "bio": (
            "Medical secretary covering the whole of North Wales. Has supported more practices "
            "through resignations and health board management than he would like."
        ),
        "groups": ["officers"],
    },
    {
        "username": "deborah.akers",
        "name": "Deborah Akers",
        "email": "deborah.akers@example.org",
        "role": "member",
        "organisation": "Nottinghamshire LMC",
        "job_role": "Chief executive",
        "bio": (
            "Chief executive with a background in NHS finance. Keeps a close eye on LCS pricing "
            "and the tracker records for our area."
        ),
        "groups": ["officers"],
    },
    {
        "username": "nikhil.varma",
        "name": "Dr Nikhil Varma",
        "email": "nikhil.varma@example.org",
        "role": "member",
        "organisation": "Tower Hamlets LMC",
        "job_role": "Chair",
        "bio": (
            "Chair of Tower Hamlets LMC and a GP partner in a large inner-city practice. "
            "Interested in interface workload and fair funding for deprived populations."
        ),
        "groups": ["officers"],
    },
    {
        "username": "janet.whitworth",
        "name": "Janet Whitworth",
        "email": "janet.whitworth@example.org",
        "role": "member",
        "organisation": "Humberside Group of LMCs",
        "job_role": "Office manager",
        "bio": (
            "Has run the LMC office for eleven years: elections, levy collection, GDPR and "
            "events. Always glad to share templates."
        ),
        "groups": ["lmc-staff"],
    },
    {
        "username": "amy.foulkes",
        "name": "Amy Foulkes",
        "email": "amy.foulkes@example.org",
        "role": "member",
        "organisation": "Somerset LMC",
        "job_role": "Office manager",
        "bio": (
            "Newly appointed LMC office manager, joining from a practice management role. "
            "Learning fast and asking lots of questions."
        ),
        "groups": ["lmc-staff"],
    },
    {
        "username": "leanne.corbett",
        "name": "Leanne Corbett",
        "email": "leanne.corbett@example.org",
        "role": "member",
        "organisation": "Kent LMC",
        "job_role": "Executive officer",
        "bio": (
            "Executive officer handling communications, the weekly bulletin and our interface "
            "reporting log."
        ),
        "groups": ["lmc-staff"],
    },
    {
        "username": "dominic.shaw",
        "name": "Dominic Shaw",
        "email": "dominic.shaw@example.org",
        "role": "member",
        "organisation": "Surrey & Sussex LMCs",
        "job_role": "Liaison officer",
        "bio": (
            "Liaison officer working across five LMCs, mainly on ICB committee business and "
            "practice support."
        ),
        "groups": ["lmc-staff"],
    },
    {
        "username": "bethan.rowlands",
        "name": "Bethan Rowlands",
        "email": "bethan.rowlands@example.org",
        "role": "member",
        "organisation": "Dyfed Powys LMC",
        "job_role": "Lay secretary",
        "bio": (
            "Lay secretary running the LMC office and committee business. Works bilingually and "
            "covers a very large rural patch."
        ),
        "groups": ["lmc-staff"],
    },
    {
        "username": "graham.fenwick",
        "name": "Graham Fenwick",
        "email": "graham.fenwick@example.org",
        "role": "member",
        "organisation": "Newcastle & North Tyneside LMC",
        "job_role": "Head of service",
        "bio": (
            "Head of practice support and company secretary. Background in NHS contracting and HR."
        ),
        "groups": ["lmc-staff"],
    },
    {
        "username": "aisha.okafor",
        "name": "Dr Aisha Okafor",
        "email": "aisha.okafor@example.org",
        "role": "member",
        "organisation": "Londonwide LMCs",
        "job_role": "Sessional GP representative",
        "bio": (
            "Salaried GP and sessional GP representative. Mentors First5 GPs and returners "
            "through the early-career transition."
        ),
        "groups": ["gps"],
    },
    {
        "username": "eilis.mccann",
        "name": "Dr Eilís McCann",
        "email": "eilis.mccann@example.org",
        "role": "member",
        "organisation": "Northern Ireland LMC",
        "job_role": "Elected member",
        "bio": (
            "GP partner and divisional representative for the Western division. Trained Balint "
            "group leader with an interest in practice resilience and wellbeing."
        ),
        "groups": ["gps"],
    },
    {
        "username": "dan.kowalski",
        "name": "Dr Dan Kowalski",
        "email": "dan.kowalski@example.org",
        "role": "member",
        "organisation": "Avon LMC",
        "job_role": "Locum GP representative",
        "bio": (
            "Portfolio locum GP and the sessional seat on Avon LMC. Currently trying to get a "
            "locum chambers off the ground."
        ),
        "groups": ["gps"],
    },
    {
        "username": "hannah.lindqvist",
        "name": "Dr Hannah Lindqvist",
        "email": "hannah.lindqvist@example.org",
        "role": "member",
        "organisation": "Manchester LMC",
        "job_role": "Elected member",
        "bio": (
            "First5 GP working in an ARRS-funded post and an elected member of the LMC. "
            "Conference representative for the first time this year."
        ),
        "groups": ["gps"],
    },
    {
        "username": "sian.prys-jones",
        "name": "Siân Prys-Jones",
        "email": "sian.prys-jones@example.org",
        "role": "member",
        "organisation": "Morgannwg LMC",
        "job_role": "Co-opted member",
        "bio": (
            "Lead general practice nurse and co-opted nurse member of the LMC. Welsh speaker; "
            "interested in nurse-led services, INR and wound care."
        ),
        "groups": ["nurses"],
    },
    {
        "username": "grace.odhiambo",
        "name": "Grace Odhiambo",
        "email": "grace.odhiambo@example.org",
        "role": "member",
        "organisation": "Lincolnshire LMC",
        "job_role": "Co-opted member",
        "bio": (
            "Advanced nurse practitioner and co-opted member of the LMC, with a long-standing "
            "interest in tissue viability and leg ulcer care."
        ),
        "groups": ["nurses"],
    },
    {
        "username": "stuart.ridley",
        "name": "Stuart Ridley",
        "email": "stuart.ridley@example.org",
        "role": "member",
        "organisation": "Derby & Derbyshire LMC",
        "job_role": "Co-opted member",
        "bio": (
            "Practice manager of a 14,000-patient partnership and co-opted practice manager "
            "member of the LMC. Spends far too much time reconciling SFE payments."
        ),
        "groups": ["practice-managers"],
    },
]

THREADS = [
    {
        "title": (
            "Has anyone seen the ICB's draft 2025/26 LCS specifications yet? Ours land with a 1% "
            "uplift"
        ),
        "category": "lcs-slas",
        "author": "deborah.akers",
        "body": (
            "Our ICB circulated its draft 2025/26 LCS specifications to the LMC on Friday with a "
            "flat 1% uplift across every service, and a two-week window for comments before they "
            "go to the Primary Care Commissioning Committee.\n\nFor context, the GMS contract "
            "uplift and the pay award for practice staff are running well ahead of that, and "
            "employer National Insurance went up in April. On our costings a 1% uplift is a "
            "real-terms cut of around 4% on most services, more on the staff-heavy ones such as "
            "phlebotomy and dressings.\n\nBefore we respond, it would help to know:\n\n- whether "
            "your ICB has published its LCS uplift yet, and at what figure;\n- whether anyone "
            "has managed to get the uplift linked to the DDRB award or the GMS uplift in the "
            "specification itself;\n- how you have modelled the effect of the employer NI "
            "changes.\n\nI have put our draft response in the tracker against each service "
            "record and will update it once we have a reply."
        ),
        "replies": [
            {
                "author": "helen.marsh",
                "body": (
                    "Our numbers look almost identical. Devon has not seen the drafts yet, but "
                    'the finance lead has already told us informally that "1–2%" is the '
                    "planning assumption.\n\nWhat worked for us last year was refusing to "
                    "discuss price service by service. We sent one letter covering the whole LCS "
                    "portfolio, set out the cost drivers (pay award, employer NI, consumables) "
                    "and asked the ICB to confirm, in writing, which services it expects "
                    "practices to keep providing at a loss. That question tends to focus minds "
                    "at committee."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "On our costings a 1% uplift is a real-terms cut of around 4% on most "
                        "services, more on the staff-heavy ones such as phlebotomy and dressings."
                    ),
                },
            },
            {
                "author": "graham.fenwick",
                "body": (
                    "No drafts here either, but our ICB has written an uplift clause into the "
                    '2024/25 specifications that ties the LCS uplift to "the percentage uplift '
                    'applied to the GMS global sum" for the same year. It took two rounds of '
                    "negotiation and it only applies to the four services on the core list, but "
                    "it has saved a lot of arguing since.\n\nHappy to share the exact wording if "
                    "it helps, @deborah.akers."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "deborah.akers",
                "body": (
                    "Yes please, Graham. Even if we only get it on the core list this year it "
                    "would set the principle for 2026/27.\n\nOn employer NI, we modelled it as "
                    "1.2% of pay costs for a typical practice, using an average salaried staff "
                    "cost per service taken from the LCS costing calculator in the resource "
                    "library. It is crude but it is transparent, and the ICB's finance team "
                    "could not really argue with the method."
                ),
                "reply_to": 3,
                "quote": {
                    "post": 3,
                    "text": (
                        "It took two rounds of negotiation and it only applies to the four "
                        "services on the core list, but it has saved a lot of arguing since."
                    ),
                },
            },
            {
                "author": "mark.ellison",
                "body": (
                    "One practical point: check the notice period in the current specifications "
                    "before you respond. Several of ours say the commissioner must give three "
                    "months' notice of any variation to price, which means a new tariff issued "
                    "in March cannot lawfully apply from 1 April without the practices' "
                    "agreement.\n\nWe have reminded the ICB of that clause and suggested that, "
                    "until the price is agreed, the 2024/25 specifications roll over at the GMS "
                    "uplift."
                ),
                "reply_to": 1,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Phlebotomy LCS: paediatric bloods are included but the price hasn't changed. How "
            "did you push back?"
        ),
        "category": "lcs-slas",
        "author": "fiona.tremayne",
        "body": (
            "The refreshed phlebotomy LCS for our area now includes children aged 5 and over, "
            "where the old specification was adults only. The per-sample price is unchanged.\n\n"
            "Practices are telling us that paediatric venepuncture takes two to three times as "
            "long, usually needs a second member of staff, and often has to be rebooked. Several "
            "nurses and HCAs have never been trained for it, and the specification now asks for "
            '"appropriate paediatric competence" without saying who funds the training. '
            "Meanwhile the community paediatric phlebotomy clinic at the acute trust is quietly "
            "being wound down.\n\nWe are planning to tell the ICB that practices will continue "
            "to provide adult phlebotomy under the LCS but that paediatric samples are out of "
            "scope unless there is a separate tariff and a training offer.\n\nHas anyone "
            "negotiated a separate paediatric rate, an age threshold, or a training budget? How "
            "did you frame it?"
        ),
        "replies": [
            {
                "author": "deborah.akers",
                "body": (
                    "We had the same argument in 2023. The compromise in our 2024/25 "
                    "specification is adults and children aged 12 and over, at £2.60 per sample, "
                    "with children under 12 staying with the trust's paediatric service. Trial "
                    "bloods are excluded too.\n\nThe age line mattered more to practices than "
                    "the price did. Our tracker record has the full specification and the notes "
                    "from the negotiation if you want to compare."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "grace.odhiambo",
                "body": (
                    "From the nursing side, please do push on this point. Paediatric "
                    "venepuncture is not something an HCA should pick up from a half-day update, "
                    "and a failed attempt on a frightened five-year-old can put a family off "
                    "blood tests for years.\n\nIf the ICB wants it done in practices, the "
                    "specification should name the training provider, include protected time for "
                    "supervised practice, and pay for a second person in the room."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Several nurses and HCAs have never been trained for it, and the "
                        'specification now asks for "appropriate paediatric competence" '
                        "without saying who funds the training."
                    ),
                },
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "For what it is worth, when we timed it in our practice a paediatric "
                    "appointment averaged 20 minutes of nurse time against 7 minutes for an "
                    "adult, and about one in four needed rebooking. Once you add the second "
                    "person, the unchanged price works out at well under half of our cost for "
                    "each child.\n\nA simple time-and-motion sheet over a fortnight is very "
                    "persuasive with ICB finance colleagues."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "fiona.tremayne",
                "body": (
                    "Thank you all. We will propose the 12-and-over line as a starting position, "
                    "quote Grace's point about named training in our response, and ask two or "
                    "three practices to run Stuart's time-and-motion exercise before the next "
                    "meeting."
                ),
                "reply_to": 3,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Comparing ear-care services: irrigation vs microsuction pricing and accreditation "
            "requirements"
        ),
        "category": "lcs-slas",
        "author": "helen.marsh",
        "body": (
            "We are reviewing our ear-care service before it rolls over. At present it is "
            "tiered: irrigation at £14.00 per procedure and microsuction at £28.00, with "
            "microsuction restricted to clinicians who have completed accredited training and "
            "criteria-based access for both.\n\nThree issues keep coming up:\n\n1. **Training.** "
            "Accredited microsuction courses cost practices £500–£800 per clinician plus "
            "backfill, and the ICB funds none of it.\n2. **Equipment.** A microsuction unit and "
            "a decent otoscope or microscope is a significant capital outlay, and some practices "
            "are not confident the service will last long enough to recover it.\n3. **Access "
            "criteria.** Patients referred for wax removal who have not used drops for two weeks "
            "are bounced back, which generates extra appointments.\n\nI would be grateful if "
            "others could share how their services are priced, whether training is funded, and "
            "whether any ICB has commissioned a PCN-level hub instead of practice-by-practice "
            "provision."
        ),
        "replies": [
            {
                "author": "sian.prys-jones",
                "body": (
                    "In our health board area, ear care was decommissioned as a practice service "
                    "some years ago and moved to audiology, with very long waits as a result. A "
                    "few clusters now run nurse-led microsuction clinics funded through cluster "
                    "monies.\n\nThe nurses who trained did so on a course recognised by the "
                    "health board, and the board paid half the fee. Backfill was the sticking "
                    "point, not the fee itself."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "This is exactly why our practices voted not to take on microsuction at all. "
                    "The tariff difference between irrigation and microsuction does not come "
                    "close to covering the training and kit in year one.\n\nWe asked for a "
                    'one-off set-up payment per practice or per PCN and were told there was "no '
                    'non-recurrent funding available". A hub model could make sense, but only '
                    "if the hub is properly funded and practices are not left with the follow-up "
                    "when it fails."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Accredited microsuction courses cost practices £500–£800 per clinician "
                        "plus backfill, and the ICB funds none of it."
                    ),
                },
            },
            {
                "author": "grace.odhiambo",
                "body": (
                    "A clinical safety point worth building into any specification: microsuction "
                    "should only be done by someone who does it often enough to stay competent. "
                    "Many of our nurses would rather see a small number of trained clinicians "
                    "across a PCN doing regular sessions than everyone doing one or two a month."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "helen.marsh",
                "body": (
                    "That is a very fair point, @grace.odhiambo, and it strengthens the case for "
                    "a hub. I will put a proposal to the ICB for a PCN-level microsuction "
                    "service with a set-up payment, leaving irrigation at practice level, and "
                    "post the outcome here."
                ),
                "reply_to": 4,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Template wording for giving three months' notice on an unfunded wound-care service"
        ),
        "category": "lcs-slas",
        "author": "nikhil.varma",
        "body": (
            "Several of our practices have decided to stop providing complex wound care and leg "
            "ulcer management, which they have done for years without any specific funding. The "
            'ICB view is that it is "part of essential services". The LMC view is that the '
            "specialist elements, including compression bandaging, Doppler assessment and "
            "ongoing leg ulcer care, are not.\n\nPractices want to give notice properly, in "
            "writing, with a clear end date and an offer to discuss a commissioned service. "
            "Three months feels right given that there is no specification to terminate, but we "
            "want the letter to be accurate about what remains core.\n\nDoes anyone have "
            "template wording they are willing to share? In particular:\n\n- how you describe "
            "which activity stops and which continues;\n- whether you copy in the community "
            "nursing provider;\n- how you handle patients who are mid-treatment on the end date."
        ),
        "replies": [
            {
                "author": "grace.odhiambo",
                "body": (
                    "Lincolnshire went through this with the old wound care LES, which was paid "
                    "at £0.28 per registered patient and rated red by the LMC for years. When it "
                    "expired several practices gave six months' notice. The longer period gave "
                    "the community provider time to plan and took a lot of heat out of the "
                    "conversation.\n\nThe most useful thing we did was a one-page list of "
                    "examples that practices would continue to treat (simple dressings after "
                    "minor surgery, suture and clip removal) and examples they would not (leg "
                    "ulcers, compression, complex post-surgical wounds)."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "mark.ellison",
                "body": (
                    "Our template letter has the following structure, which seems to work:\n\n- "
                    "**Opening:** the practice has reviewed the services it provides that fall "
                    "outside the GMS contract and are not commissioned.\n- **What stops:** a "
                    "specific list, with the date care stops (not less than three months from "
                    "the letter).\n- **What continues:** the essential services the practice "
                    "will still provide, so nobody can say patients are being abandoned.\n- "
                    "**Patients mid-treatment:** the practice will complete episodes of care "
                    "already under way or hand over with a clinical summary.\n- **Offer:** the "
                    "practice is willing to provide the service under a properly funded LCS and "
                    "invites the ICB to discuss.\n\nCopy the community nursing provider and the "
                    "LMC. The BMA guidance on [safe working in general "
                    "practice](https://www.bma.org.uk/advice-and-support/gp-pract"
                    "ices/managing-workload/safe-working-in-general-practice) is a useful "
                    "reference to cite."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "ruth.calloway",
                "body": (
                    "Thanks, Mark. There is a demo template letter on secondary-care workload "
                    "transfer in the resource library that uses a similar structure. If you are "
                    "willing to share an anonymised version of yours, we can add it to the same "
                    "collection and link it from this thread."
                ),
                "reply_to": 3,
                "quote": None,
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "That is a helpful steer. We will suggest three months as the minimum and "
                    "six where the practice has a large leg-ulcer caseload. Grace, would you be "
                    "happy for us to adapt your list of examples?"
                ),
                "reply_to": 2,
                "quote": {
                    "post": 2,
                    "text": (
                        "The longer period gave the community provider time to plan and took a "
                        "lot of heat out of the conversation."
                    ),
                },
            },
        ],
    },
    {
        "title": "Shared-care drug monitoring without a signed SCA: what is your LMC's position?",
        "category": "workload-interface",
        "author": "rav.sandhu",
        "body": (
            'We are seeing a steady rise in hospital letters that say "please continue '
            'prescribing and monitoring as per shared care" when no shared care agreement has '
            "been offered, let alone signed. The commonest are DMARDs, ADHD medicines and some "
            "of the newer anticoagulant regimes.\n\nOur current advice to practices is that "
            "shared care is voluntary, requires the GP's agreement for each patient, and must "
            "come with a protocol and a route back to the specialist. Where there is no signed "
            "agreement, prescribing and monitoring remain with the specialist.\n\nWe are about "
            "to reissue that guidance with a template response letter and want to make sure it "
            "is consistent with what other LMCs are saying. In particular:\n\n- Do you advise "
            "practices to accept shared care only where there is an LCS paying for the "
            "monitoring?\n- How do you deal with patients who are left without a prescriber in "
            "the meantime?\n- Has anyone got the ICB to take ownership of the gap?"
        ),
        "replies": [
            {
                "author": "janet.whitworth",
                "body": (
                    "Our DMARD monitoring service is paid per cohort patient at £85 a year, and "
                    "a signed SCA for each patient is a condition of payment. That has helped, "
                    "because the ICB now has a financial reason to make sure the paperwork "
                    "exists.\n\nWhere there is no SCA, practices use our template letter "
                    "returning prescribing to the specialist, and copy in the medicines "
                    "optimisation team at the ICB."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "eilis.mccann",
                "body": (
                    "That is the position we take in Northern Ireland too, although the "
                    "arrangements are regional rather than ICB-based. The important thing for "
                    "patients is that the letter back to the specialist goes the same day and "
                    "the patient is told plainly who is prescribing. Most of the complaints we "
                    "see are about the patient being caught in the middle, not about the "
                    "principle."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Where there is no signed agreement, prescribing and monitoring remain "
                        "with the specialist."
                    ),
                },
            },
            {
                "author": "hannah.lindqvist",
                "body": (
                    "As a salaried GP I would find it really helpful if LMC guidance included a "
                    "short script for the conversation with the patient. Newer GPs often feel "
                    'under pressure to "just do the prescription this once", and that is how a '
                    "practice ends up with shared care by default."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "rav.sandhu",
                "body": (
                    "Good idea, Hannah. We will add a short patient-facing paragraph and a "
                    "suggested form of words for clinicians. I will post the draft here before "
                    "it goes out."
                ),
                "reply_to": 4,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            'Surge in "please arrange these bloods" requests from outpatient clinics: '
            "interface log templates?"
        ),
        "category": "workload-interface",
        "author": "leanne.corbett",
        "body": (
            "Over the last quarter our practices have logged a sharp rise in outpatient letters "
            'asking the GP to "please arrange these bloods and forward results to clinic". '
            "Under the NHS Standard Contract the hospital should be arranging tests it has "
            "requested itself, but the requests keep coming.\n\nWe run a simple interface log "
            "that practices complete online. It captures the date, the trust and specialty, the "
            "type of request and the time it took to deal with. Once a month we send an "
            "anonymised summary to the ICB's contracting team and the trust's medical "
            "director.\n\nThe log works, but completion drops off after the first few weeks. I "
            "would like to hear:\n\n- what fields others capture, and whether you ask for "
            "patient-level detail;\n- how you keep practices reporting;\n- whether the summaries "
            "have actually changed behaviour at your trusts."
        ),
        "replies": [
            {
                "author": "dominic.shaw",
                "body": (
                    "We capture less than you do and get better completion. Practices only tell "
                    "us the trust, the specialty and a one-line description. We found that "
                    "asking for time taken put people off, because nobody had a stopwatch "
                    "running.\n\nThe thing that made the biggest difference was feeding results "
                    "back to practices. Every month we tell them how many reports came in, what "
                    "we raised and what the trust said. People keep reporting when they can see "
                    "it going somewhere."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "aisha.okafor",
                "body": (
                    "Do you also send it to the clinical leads for the specialties concerned? In "
                    "my experience the medical director agrees, sends an email round, and "
                    "nothing changes at clinic level. When the rheumatology lead saw their own "
                    "department's numbers, the requests stopped within a month."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Once a month we send an anonymised summary to the ICB's contracting "
                        "team and the trust's medical director."
                    ),
                },
            },
            {
                "author": "graham.fenwick",
                "body": (
                    "We built ours on a simple online form with a QR code on a poster in each "
                    "practice's admin office. Reception and secretaries report far more than "
                    "clinicians do, so make it easy for them."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "priya.natarajan",
                "body": (
                    "This would make a really good short session at the next LMCSN network "
                    "meeting. @dominic.shaw and @leanne.corbett, would you be willing to do ten "
                    "minutes each on what has and has not worked?"
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": "Practices using the 25-contacts guidance: how are ICBs responding locally?",
        "category": "workload-interface",
        "author": "mark.ellison",
        "body": (
            "A growing number of our practices are now working to the safe working guidance of "
            "25 patient contacts per clinician per day, with the rest of demand signposted to "
            "NHS 111, pharmacy or the urgent treatment centre.\n\nSo far the ICB's response has "
            'been measured in public. Privately, practices have been asked to "explain" their '
            "appointment data, and one was told its access improvement plan would be reviewed at "
            "the next contract meeting.\n\nWe have advised practices that this is a legitimate "
            "decision about safe working, that the contract requires them to meet the reasonable "
            "needs of patients rather than every demand, and that the LMC will support them in "
            "any conversation with the ICB.\n\nHow are ICBs in your areas responding? Have you "
            "seen any attempt to link safe working to contract performance, access payments or "
            "remedial notices? And what are you telling practices about recording the "
            "signposting?"
        ),
        "replies": [
            {
                "author": "nikhil.varma",
                "body": (
                    "We have had exactly the same thing. Our advice is that any meeting about "
                    "appointment data should have the LMC present and a written agenda in "
                    "advance. When we asked the ICB which contractual requirement it thought was "
                    "not being met, the meeting was postponed and has not been rebooked."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        'Privately, practices have been asked to "explain" their appointment '
                        "data, and one was told its access improvement plan would be reviewed at "
                        "the next contract meeting."
                    ),
                },
            },
            {
                "author": "dan.kowalski",
                "body": (
                    "From the locum side, some practices have started asking locums to see 30 or "
                    'more to "make up" for partners who are capping at 25. Please remind '
                    "practices that the guidance applies to every clinician, including sessional "
                    "GPs."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "hannah.lindqvist",
                "body": (
                    "Agreed, Dan. Salaried GPs are in a similar position. The job plan says one "
                    "thing and the extras list says another."
                ),
                "reply_to": 3,
                "quote": None,
            },
            {
                "author": "deborah.akers",
                "body": (
                    "Our ICB has taken a more constructive line: it has asked the LMC to help it "
                    "understand where the overflow is going so it can plan capacity at the UTC "
                    "and in pharmacy. We agreed to share anonymised figures from practices that "
                    "are willing, on the basis that none of it is used for performance "
                    "management."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "helen.marsh",
                "body": (
                    "That sounds like the right way round, Deborah. Could you share the wording "
                    'of that agreement? Having "not for performance management" written down '
                    "before the data goes over would reassure our practices enormously."
                ),
                "reply_to": 5,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Network DES 2025/26: how are PCNs using the local Capacity & Access Improvement "
            "Payment?"
        ),
        "category": "pcns",
        "author": "rav.sandhu",
        "body": (
            "The local portion of the Capacity and Access Improvement Payment is meant to reward "
            "improvement against plans agreed with the ICB. In practice, our PCNs are getting "
            "very different answers depending on which place team they deal with.\n\nSome have "
            "agreed simple measures, such as moving to a modern general practice access model or "
            "improving online consultation response times. Others have been given a list of "
            "metrics that depend on data that practices cannot easily extract.\n\nI am keen to "
            "collect examples of:\n\n- improvement plans that ICBs accepted without argument;\n- "
            "measures that turned out to be unworkable;\n- how PCNs are distributing the payment "
            "between member practices, and whether any is held back for PCN-level staff.\n\nA "
            "small collection of anonymised plans would be very useful to share with clinical "
            "directors, who are often new to this and under time pressure."
        ),
        "replies": [
            {
                "author": "fiona.tremayne",
                "body": (
                    "Our PCNs kept it simple: three measures, each backed by data already "
                    "reported nationally. The ICB accepted them all, and the clinical directors "
                    "told us that agreeing less ambitious measures that they could actually "
                    "demonstrate was far better than promising a transformation they could not "
                    "evidence."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "graham.fenwick",
                "body": (
                    "That was our experience last year, and it cost practices real money when "
                    "the evidence could not be produced. This year we asked the ICB to confirm "
                    "in writing, before plans were signed off, that every measure could be "
                    "reported from existing data sources."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Others have been given a list of metrics that depend on data that "
                        "practices cannot easily extract."
                    ),
                },
            },
            {
                "author": "deborah.akers",
                "body": (
                    "On distribution, most of our PCNs pass the whole payment to practices on a "
                    "weighted list basis. Two hold back a small proportion to fund a PCN-level "
                    "care coordinator, but only with the unanimous agreement of the practices, "
                    "which is recorded in the network agreement schedules."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": "ARRS GP roles: TUPE and employment questions when a PCN reconfigures",
        "category": "pcns",
        "author": "graham.fenwick",
        "body": (
            "One of our PCNs is reconfiguring. Two member practices are leaving to join a "
            "neighbouring network, and the lead practice that currently employs all the ARRS "
            "staff, including two newly qualified GPs funded through the ARRS GP route, is "
            "stepping down as the employing body.\n\nThe PCN wants to move the staff to a GP "
            "federation, which would then provide them to the network under a subcontract. We "
            "think TUPE is likely to apply, but the practices involved have very different views "
            "about who carries the liabilities.\n\nQuestions we are working through:\n\n- Does "
            "TUPE apply when the PCN itself is not a legal entity and the employer is a member "
            "practice?\n- Who bears redundancy risk if ARRS funding for the roles is not "
            "renewed?\n- How do you protect the GPs' continuity of service for NHS Pension and "
            "maternity purposes?\n\nWe will of course take employment law advice, but I would "
            "welcome any practical experience."
        ),
        "replies": [
            {
                "author": "aisha.okafor",
                "body": (
                    "Please make sure the ARRS GPs themselves are involved early. Many are in "
                    "their first post after CCT and will not know their rights. They need to "
                    "hear that their contract, pay and continuity of service transfer with them "
                    "if TUPE applies, and they need that in writing."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "rav.sandhu",
                "body": (
                    "This was the sticking point in our area. In the end the network agreement "
                    "was amended so that redundancy costs arising from loss of ARRS funding are "
                    "shared by all member practices in proportion to their list size, whoever "
                    "the employer is. It is not perfect, but it meant the lead practice was "
                    "willing to carry on employing."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Who bears redundancy risk if ARRS funding for the roles is not renewed?"
                    ),
                },
            },
            {
                "author": "mark.ellison",
                "body": (
                    "That is a sensible model, Rav. I would add one thing: put an indemnity from "
                    "the receiving employer into the subcontract, so that any pre-transfer "
                    "liabilities stay with the original employer and anything arising afterwards "
                    "sits with the federation."
                ),
                "reply_to": 3,
                "quote": None,
            },
            {
                "author": "hannah.lindqvist",
                "body": (
                    "Speaking as an ARRS-funded GP: the uncertainty is the worst part. A clear "
                    "timetable and a named HR contact would make a huge difference to the staff "
                    "involved, even before all the answers are known."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "PCN with a departing member practice: network agreement schedules and financial "
            "settlement"
        ),
        "category": "pcns",
        "author": "janet.whitworth",
        "body": (
            "A practice is leaving one of our PCNs at the end of the financial year to join "
            "another network. The remaining practices are asking the LMC how to handle the "
            "financial side.\n\nThe network agreement schedules say very little. There is a "
            "clause on notice but nothing on:\n\n- a share of any underspend or reserves held by "
            "the lead practice;\n- ongoing liabilities for staff employed on behalf of the "
            "network;\n- equipment bought with PCN funds that sits on the departing practice's "
            "premises;\n- the departing practice's share of any clawback if targets for the year "
            "are missed.\n\nHas anyone drafted an exit schedule or a settlement agreement for "
            "this situation? I would be grateful for a template, or a list of the questions you "
            "made the practices answer before the exit date."
        ),
        "replies": [
            {
                "author": "rav.sandhu",
                "body": (
                    "We advise PCNs to agree an exit schedule as part of the annual review of "
                    "the network agreement, before anyone is thinking of leaving. When it "
                    "happens for real, we use a short settlement agreement covering four "
                    "headings: money held, staff, assets and contingent liabilities. Each "
                    "heading gets a named owner and a figure or a nil return."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "This caught us out. A spirometer, two BP monitors and a laptop bought with "
                    "PCN money stayed with us when we moved network, and nobody had recorded who "
                    "owned them. Please make practices keep a simple asset register. It saves a "
                    "lot of awkward emails."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "equipment bought with PCN funds that sits on the departing practice's "
                        "premises;"
                    ),
                },
            },
            {
                "author": "deborah.akers",
                "body": (
                    "Agree with Rav's four headings. I would add a fifth: data. Make sure the "
                    "data sharing and data processing agreements are updated, and that any "
                    "shared clinical system access for network staff is closed on the exit date."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "ICB running-cost cuts and merger plans: who will our primary care team be next year?"
        ),
        "category": "icb-relations",
        "author": "helen.marsh",
        "body": (
            "Our ICB has confirmed that it needs to cut running costs by around half and is in "
            "talks about merging with a neighbouring ICB. The primary care team has already lost "
            "two contract managers, and nobody can tell us who will hold the GP contracts, the "
            "LCS portfolio or the premises budget after April.\n\nFor an LMC this matters a "
            "great deal. The relationships we have built with the primary care team are the main "
            "route for resolving disputes early. If those people go and the function moves to a "
            "cluster or to a regional team, we lose the informal channels and any local "
            "knowledge of our practices.\n\nHow are other LMCs approaching this? We are "
            "considering:\n\n- asking for a named primary care contact for each place throughout "
            "the transition;\n- a written commitment that delegated primary care functions and "
            "the LMC liaison meeting will continue;\n- a joint letter with neighbouring LMCs "
            "setting out what we expect from any merged ICB."
        ),
        "replies": [
            {
                "author": "mark.ellison",
                "body": (
                    "This is exactly our worry. We have asked for the LMC liaison meeting to be "
                    "written into the transition plan as a standing item, with the date of the "
                    "last meeting under the old arrangements and the first under the new one "
                    "agreed now."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "If those people go and the function moves to a cluster or to a regional "
                        "team, we lose the informal channels and any local knowledge of our "
                        "practices."
                    ),
                },
            },
            {
                "author": "leanne.corbett",
                "body": (
                    "We have started keeping a simple log of every open issue with the primary "
                    "care team, who owns it and what was agreed. If the people change, at least "
                    "we have a written record to hand to whoever comes next."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "Count us in for a joint letter. In London we are already seeing functions "
                    "move between ICBs, and the lesson is that written commitments made early "
                    "are far easier to hold people to than anything agreed in a corridor."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "callum.fraser",
                "body": (
                    "For comparison, in Scotland the Health Board holds the contract and the "
                    "HSCP commissions most services, so we have had two sets of relationships "
                    "for years. The thing that helps most is a signed memorandum of "
                    "understanding with each body about consultation with the LMC. People move "
                    "on, but the document does not."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "ruth.calloway",
                "body": (
                    "If any LMCs are drafting a joint letter, we are happy to host a shared "
                    "draft and circulate it to the network. Just send it to me."
                ),
                "reply_to": 4,
                "quote": None,
            },
        ],
    },
    {
        "title": "Primary Care Commissioning Committee papers: do your ICBs publish them on time?",
        "category": "icb-relations",
        "author": "dominic.shaw",
        "body": (
            "Across our five LMCs the picture is mixed. One ICB publishes Primary Care "
            "Commissioning Committee papers a full week before the meeting, another uploads them "
            "the evening before, and on two occasions papers with significant decisions on LCS "
            "funding appeared only after the meeting had taken place.\n\nThe LMC has a standing "
            "invitation to attend as a non-voting participant, but that is of limited use if we "
            "cannot read the papers in time to consult practices.\n\nWe are drafting a request "
            "to the ICB board secretary asking for papers at least five working days before each "
            "meeting, and for any item affecting GP contracts or LCS funding to be shared with "
            "the LMC in draft.\n\nDo other LMCs have an agreed timescale written into terms of "
            "reference or a memorandum of understanding? And where papers have been late, has "
            "raising it formally with the board secretary or the chair made a difference?"
        ),
        "replies": [
            {
                "author": "janet.whitworth",
                "body": (
                    "Our committee's terms of reference say papers go out five working days "
                    "ahead, and we have a separate agreement that the LMC receives draft papers "
                    "on anything touching GP contracts ten working days ahead. It took a formal "
                    "letter to the ICB chair to get that second part agreed."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "fiona.tremayne",
                "body": (
                    "Same here. Once it was in writing, the board secretary became our ally, "
                    "because she could point to the agreement when directorates submitted papers "
                    "late."
                ),
                "reply_to": 2,
                "quote": {
                    "post": 2,
                    "text": (
                        "It took a formal letter to the ICB chair to get that second part agreed."
                    ),
                },
            },
            {
                "author": "owain.llewellyn",
                "body": (
                    "In Wales the health boards publish board papers, but most primary care "
                    "decisions go through sub-committees where publication is patchy. We ask for "
                    "a standing agenda item at our liaison meeting to go through anything coming "
                    "up, which at least means we are not surprised."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": "Remedial notice issued over access data: anyone challenged one successfully?",
        "category": "contracts",
        "author": "nikhil.varma",
        "body": (
            "One of our practices has received a remedial notice alleging a breach of the "
            "contractual requirements on access, based on GPAD appointment data and a handful of "
            "patient complaints. The notice gives 28 days to remedy.\n\nThe practice believes "
            "the data are wrong. It changed its appointment mapping last year, and a large share "
            "of same-day activity is now recorded in a slot type that does not appear in the "
            "figures the ICB relied on. There was no contract review meeting beforehand and no "
            "informal discussion.\n\nWe are helping the practice respond. Our current plan is "
            "to:\n\n1. ask the ICB to withdraw the notice pending a proper review of the data;\n"
            "2. set out why the alleged breach is not a breach at all;\n3. if necessary, invoke "
            "the local dispute resolution process and then the NHS dispute resolution "
            "procedure.\n\nHas anyone successfully challenged a remedial notice like this? Any "
            "advice on evidence or tone would be welcome."
        ),
        "replies": [
            {
                "author": "helen.marsh",
                "body": (
                    "We had a remedial notice withdrawn last year in very similar circumstances. "
                    "The key was a short, factual response with the practice's own appointment "
                    "data, mapped against the national categories, and a request for the ICB to "
                    "identify the specific contractual clause it believed had been breached. "
                    "When the ICB could not point to one, it withdrew the notice and agreed a "
                    '"supportive review" instead.'
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "mark.ellison",
                "body": (
                    "That in itself is worth making a point of. The policy book expects "
                    "commissioners to try to resolve concerns informally before moving to a "
                    "formal notice, and jumping straight to a remedial notice is hard to justify "
                    "where the concern is about data quality."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "There was no contract review meeting beforehand and no informal "
                        "discussion."
                    ),
                },
            },
            {
                "author": "graham.fenwick",
                "body": (
                    "Please make sure the practice keeps to the 28-day timescale whatever else "
                    "is going on. Even if the notice is flawed, missing the deadline can make "
                    "things much harder later."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "Thank you both. We will ask the ICB to identify the clause and send the "
                    "mapped data with the response. I will let you know how it goes."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "SFE locum reimbursement rates for parental leave: practices still being paid old rates"
        ),
        "category": "contracts",
        "author": "stuart.ridley",
        "body": (
            "We have three practices in our area, including mine, with GPs on maternity or "
            "shared parental leave. The SFE maximum amounts for locum cover were increased, but "
            "all three practices have been reimbursed at the previous rate for claims made after "
            "the change.\n\nWhen I raised it with the ICB I was told that the payments team "
            '"had not been notified" of the new rates and that the claims would be "reviewed '
            'in due course". That was six weeks ago.\n\nFor a practice paying a locum for nine '
            "months of maternity cover, the shortfall adds up quickly.\n\nHas anyone else seen "
            "this? If so:\n\n- did your ICB backdate the difference automatically or did each "
            "practice have to reclaim;\n- how long did it take;\n- is it worth raising "
            "nationally?"
        ),
        "replies": [
            {
                "author": "janet.whitworth",
                "body": (
                    "Yes, we saw the same thing. We sent the ICB a single spreadsheet listing "
                    "every affected practice, the claim periods and the shortfall, rather than "
                    "leaving each practice to chase individually. The difference was paid in the "
                    "next payment run."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "aisha.okafor",
                "body": (
                    "Worth also checking that practices know the reimbursement covers shared "
                    "parental leave and adoption leave too, not just maternity leave. Some "
                    "practice managers are still not claiming for those."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "mark.ellison",
                "body": (
                    "Same approach worked for us. It also makes it much easier to escalate if "
                    "nothing happens, because the total is visible."
                ),
                "reply_to": 2,
                "quote": {
                    "post": 2,
                    "text": (
                        "We sent the ICB a single spreadsheet listing every affected practice, "
                        "the claim periods and the shortfall, rather than leaving each practice "
                        "to chase individually."
                    ),
                },
            },
            {
                "author": "priya.natarajan",
                "body": (
                    "If several ICBs are affected, this is worth raising through the network so "
                    "that it can be fed to GPC England. @stuart.ridley, would you be willing to "
                    "put a short summary together?"
                ),
                "reply_to": 1,
                "quote": None,
            },
        ],
    },
    {
        "title": 'Online consultation "open all core hours" requirement: practical experiences',
        "category": "contracts",
        "author": "leanne.corbett",
        "body": (
            "The contract now requires practices to keep their online consultation tool open "
            "throughout core hours for non-urgent requests. Our practices are asking for "
            "practical advice, and the concerns fall into three groups.\n\n**Capacity.** Several "
            "practices currently switch the tool off once the day's triage capacity is full. "
            "They worry that leaving it open will simply create a backlog that spills into the "
            "next day.\n\n**Safety.** Practices want to be sure that urgent requests submitted "
            "online are picked up, and that patients are told clearly how quickly they will get "
            "a response.\n\n**Equity.** Some practices serve populations with low digital access "
            "and want to make sure that phone and walk-in patients are not disadvantaged.\n\nWe "
            "are preparing a short guidance note. I would be grateful to hear how practices in "
            "your areas are managing, and whether your ICBs are offering any support with tools "
            "or triage capacity."
        ),
        "replies": [
            {
                "author": "hannah.lindqvist",
                "body": (
                    "In my practice the tool now stays open, but the auto-reply says non-urgent "
                    "requests will be dealt with within two working days and directs urgent "
                    "problems to the phone line or NHS 111. That expectation-setting has reduced "
                    "complaints more than anything else."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "It does, at least at first. We staffed an extra care navigator for the "
                    "first two months and found that demand settled at about 15% above what it "
                    "had been. Budget for some extra admin time early on."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "They worry that leaving it open will simply create a backlog that "
                        "spills into the next day."
                    ),
                },
            },
            {
                "author": "grace.odhiambo",
                "body": (
                    "For nurse-led chronic disease reviews we now use structured online forms. "
                    "It has shortened appointments and means the patient arrives with their "
                    "readings done, so online access does not have to be just about extra demand."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "Our guidance will make the equity point explicitly. Practices should make "
                    "sure that the same triage rules apply to requests made by phone, online and "
                    "in person, so that nobody is disadvantaged by how they contact the practice."
                ),
                "reply_to": 1,
                "quote": None,
            },
        ],
    },
    {
        "title": "Newly qualified GPs unable to find salaried posts: what is your LMC doing?",
        "category": "sessional-gps",
        "author": "aisha.okafor",
        "body": (
            "Every week I speak to newly qualified GPs who cannot find a salaried post. Some are "
            "doing ad hoc locum sessions, some are considering leaving general practice, and a "
            "few are looking at jobs abroad. At the same time practices tell us they cannot "
            "afford to recruit, even though demand is rising.\n\nLMCs are in a strange position "
            "here. We represent the practices that are not recruiting as well as the GPs who "
            "cannot find work.\n\nThings we are trying locally:\n\n- a jobs board on the LMC "
            "website, free to practices and to GPs;\n- a First5 peer group meeting monthly "
            "online;\n- lobbying the ICB to use any unspent ARRS allocation for GP posts.\n\n"
            "What are other LMCs doing? Has anyone persuaded their ICB to fund a local scheme, "
            "such as a fellowship or a retention post, specifically for newly qualified GPs?"
        ),
        "replies": [
            {
                "author": "hannah.lindqvist",
                "body": (
                    "I was one of those GPs a year ago. What helped me most was not a jobs board "
                    "but a conversation with a more experienced GP who helped me understand what "
                    "practices were actually looking for and how to present myself as someone "
                    "who could take on a lead area."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "callum.fraser",
                "body": (
                    "In Scotland the picture is a little different, because health boards run "
                    "some salaried posts directly, but we are seeing the same problem in parts "
                    "of Glasgow. The LMC has asked the health board to ring-fence some of the "
                    "Primary Care Improvement Fund for newly qualified GP posts, with a limited "
                    "response so far."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "deborah.akers",
                "body": (
                    "We did this last year and the ICB agreed, but only once PCNs had confirmed "
                    "they would not otherwise spend the money. The LMC helped by collecting that "
                    "confirmation from every clinical director in a single week, which removed "
                    "the ICB's main objection."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": "lobbying the ICB to use any unspent ARRS allocation for GP posts.",
                },
            },
            {
                "author": "dan.kowalski",
                "body": (
                    "Hannah makes an important point. Mentoring should be part of any offer. A "
                    "lot of newly qualified GPs also do not realise that they can join a locum "
                    "chambers or a peer group rather than working entirely alone."
                ),
                "reply_to": 2,
                "quote": None,
            },
            {
                "author": "eilis.mccann",
                "body": (
                    "In Northern Ireland we have had good results from pairing newly qualified "
                    "GPs with practices that have a partner approaching retirement. It does not "
                    "solve the funding problem, but it helps practices see a newly qualified GP "
                    "as part of their succession plan rather than a cost."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": "Setting up a locum chambers / peer group with LMC support",
        "category": "sessional-gps",
        "author": "dan.kowalski",
        "body": (
            "A group of about fifteen locum GPs in our area would like to set up a chambers, or "
            "at least a peer group that shares admin, rates guidance and CPD. The LMC has "
            "offered to help but we are not sure what form that help should take.\n\nQuestions "
            "we have:\n\n- What legal structure have other chambers used? A limited company, a "
            "partnership or a cooperative?\n- Can the LMC host meetings or provide admin support "
            "without creating a conflict of interest with the practices it also represents?\n- "
            "How do chambers handle indemnity, pension contributions and invoicing?\n- Is there "
            "any funding available, for example from the ICB or a GPDF development grant?\n\nIf "
            "anyone has been through this, I would love to hear what worked and what you would "
            "avoid next time."
        ),
        "replies": [
            {
                "author": "aisha.okafor",
                "body": (
                    "The chambers I know of in London are limited companies, with a small "
                    "monthly fee from each member to cover a part-time administrator. The LMC's "
                    "role has mostly been to advertise the chambers to practices and to host the "
                    "occasional CPD event, which keeps it at arm's length."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "amy.foulkes",
                "body": (
                    "We asked ourselves the same question when a locum group approached us. We "
                    "decided the LMC could host peer group meetings and CPD, which benefit all "
                    "GPs, but would not be involved in setting rates or placing locums."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Can the LMC host meetings or provide admin support without creating a "
                        "conflict of interest with the practices it also represents?"
                    ),
                },
            },
            {
                "author": "tom.haldane",
                "body": (
                    "There are some useful locum and sessional GP resources on the BMA website, "
                    "including its [pensions "
                    "guidance](https://www.bma.org.uk/pay-and-contracts/pensions), which covers "
                    "locum pension contributions. If the group gets going, we would welcome a "
                    "short write-up for the resource library."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "mark.ellison",
                "body": (
                    "Agree with Amy's line. It is also worth thinking about a GPDF development "
                    "grant. A joint bid from several LMCs to develop a model for LMC-supported "
                    "chambers could benefit many areas, not just one."
                ),
                "reply_to": 3,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Premises Costs Directions 2024: first experiences of the 12-week notional rent "
            "acceptance window"
        ),
        "category": "premises",
        "author": "deborah.akers",
        "body": (
            "We now have a handful of practices that have been through a notional rent review "
            "under the 2024 Premises Costs Directions. Each received the District Valuer's "
            "assessment with a 12-week window to accept it or to dispute it, and the ICB is "
            "treating that window strictly.\n\nTwo practices nearly missed the deadline. The DV "
            "report went to a generic practice inbox, nobody recognised its significance, and by "
            "the time it reached a partner only three weeks were left to appoint a surveyor.\n\n"
            "Our early learning:\n\n- practices should tell the ICB which named person should "
            "receive premises correspondence;\n- the 12 weeks is short if you need your own "
            "valuation;\n- some DV assessments have been lower than expected because of the way "
            "the building's floor area was measured.\n\nHas anyone else had experience of the "
            "new arrangements? Are ICBs being flexible about the window, and how are disputes "
            "being handled?"
        ),
        "replies": [
            {
                "author": "graham.fenwick",
                "body": (
                    "Exactly the same happened to one of ours. We now advise practices to write "
                    "to the ICB premises team now, before any review is due, naming a partner "
                    "and the practice manager as the contacts for all premises correspondence."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "The DV report went to a generic practice inbox, nobody recognised its "
                        "significance, and by the time it reached a partner only three weeks "
                        "were left to appoint a surveyor."
                    ),
                },
            },
            {
                "author": "helen.marsh",
                "body": (
                    "On floor area, we have had two cases where the DV measured the building in "
                    "a way that reduced the reimbursable area. Both were resolved after the "
                    "practice's surveyor re-measured. It is worth checking the measurement basis "
                    "before accepting any figure."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "Helpful thread. We are due a review next year, so I have just sent the ICB "
                    "our nominated contacts. Thank you."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": "NHSPS service charge disputes: is anyone still running a collective challenge?",
        "category": "premises",
        "author": "nikhil.varma",
        "body": (
            "A number of practices in NHS Property Services buildings in our area are still "
            "disputing service charge invoices going back several years. Some have paid, some "
            "have paid under protest, and some have paid nothing beyond their historic "
            "charges.\n\nSince the national test cases concluded, several practices have asked "
            "whether there is any point continuing, and whether the LMC should coordinate a "
            "collective approach.\n\nOur view is that each practice's position depends heavily "
            "on its own lease, or on whether it has a lease at all, and on what it can show "
            "about the services actually provided. That makes a single collective challenge "
            "difficult, but there may still be value in:\n\n- a shared template for requesting a "
            "breakdown of charges;\n- pooling evidence on the services actually delivered;\n- "
            "jointly instructing a surveyor to review the charges in a sample of buildings.\n\n"
            "Is anyone still running a collective challenge, and has it achieved anything?"
        ),
        "replies": [
            {
                "author": "dominic.shaw",
                "body": (
                    "We are supporting a group of eight practices across two buildings. The most "
                    "useful thing so far has been the shared request for a breakdown of charges. "
                    "NHSPS responded with far more detail than any individual practice had "
                    "received, which has made the negotiations much more focused."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "fiona.tremayne",
                "body": (
                    "Agreed. Our practices without a lease have had the most difficulty, and we "
                    "are advising them to make getting a lease in place their first priority."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Our view is that each practice's position depends heavily on its own "
                        "lease, or on whether it has a lease at all, and on what it can show "
                        "about the services actually provided."
                    ),
                },
            },
            {
                "author": "ruth.calloway",
                "body": (
                    "If anyone has a template request for a breakdown that they are willing to "
                    "share, please send it over and we will add it to the premises collection in "
                    "the resource library."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": "100% improvement grants in theory, but no capital in practice?",
        "category": "premises",
        "author": "fiona.tremayne",
        "body": (
            "The premises directions allow ICBs to fund improvement grants at up to 100% of the "
            "cost in some circumstances, which on paper is very welcome. In practice, our ICB "
            "has told practices there is no capital available this year and possibly next, so "
            "the higher grant rate is academic.\n\nMeanwhile practices are being asked to host "
            "more ARRS staff, and several are using corridors and converted storerooms as "
            "clinical space.\n\nWe are considering:\n\n- asking the ICB for a published list of "
            "priority schemes and the criteria used to rank them;\n- encouraging practices to "
            "keep a record of applications made and refused, so the unmet need is visible;\n- "
            "pressing for revenue funding for short-term solutions, such as leasing nearby "
            "space, where capital is not available.\n\nAre other LMCs seeing capital actually "
            "released for improvement grants? And has anyone managed to get revenue support for "
            "temporary space?"
        ),
        "replies": [
            {
                "author": "bethan.rowlands",
                "body": (
                    "In Wales the arrangements are different, but the problem is the same: "
                    "grants exist, capital does not. We have had some success with health boards "
                    "funding temporary modular buildings from revenue budgets, on the basis that "
                    "this is cheaper than turning patients away."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "rav.sandhu",
                "body": (
                    "This is a really important point to make to the ICB. ARRS funding for staff "
                    "without funding for space is a false economy. We asked every PCN to report "
                    "how many ARRS staff had no dedicated clinical room, and the ICB found the "
                    "number hard to ignore."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Meanwhile practices are being asked to host more ARRS staff, and "
                        "several are using corridors and converted storerooms as clinical space."
                    ),
                },
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "Our practice did exactly that survey for its own PCN. Out of 14 ARRS staff, "
                    "6 were working from shared rooms or hot-desking. It led to a small revenue "
                    "contribution towards renting space in the local library."
                ),
                "reply_to": 3,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Annual allowance tax charges and Scheme Pays: signposting resources for GP partners"
        ),
        "category": "finance-pensions",
        "author": "mark.ellison",
        "body": (
            "Pension savings statements are landing, and we are again getting calls from GP "
            "partners with unexpected annual allowance charges. Even with the higher annual "
            "allowance, partners with big jumps in pensionable pay or with a tapered allowance "
            "can still be caught out.\n\nThe LMC cannot give individual financial advice, but we "
            "want to put out a short signposting note that covers:\n\n- how to check the pension "
            "savings statement and request one if it has not arrived;\n- the difference between "
            "voluntary and mandatory Scheme Pays, and the deadlines;\n- where to find a "
            "specialist medical accountant or independent financial adviser;\n- the BMA pensions "
            "guidance and calculators for members.\n\nIf other LMCs have a similar note, I would "
            "be grateful to see it. It would also be useful to know which accountants or "
            "advisers your GPs have found helpful, though I appreciate that needs to be handled "
            "carefully."
        ),
        "replies": [
            {
                "author": "eilis.mccann",
                "body": (
                    "In Northern Ireland the scheme is administered separately, so our note has "
                    "to point to a different pension body, but otherwise the content is the "
                    "same. I would strongly suggest a line about wellbeing. An unexpected tax "
                    "bill in the thousands is very stressful, and some of the calls we get are "
                    "as much about that as about tax."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "A practical tip: ask practices to make sure their end-of-year certificates "
                    "are submitted on time. Late or incorrect certificates are a common reason "
                    "for wrong pension savings statements."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "tom.haldane",
                "body": (
                    "That is the right line to take. The BMA's [pensions "
                    "guidance](https://www.bma.org.uk/pay-and-contracts/pensions) is a good "
                    "place to start, and we can add your note to the finance collection once it "
                    "is ready so other LMCs can adapt it."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "The LMC cannot give individual financial advice, but we want to put out "
                        "a short signposting note that covers:"
                    ),
                },
            },
        ],
    },
    {
        "title": "Last partner standing: what support package does your LMC offer?",
        "category": "practice-resilience",
        "author": "owain.llewellyn",
        "body": (
            "We are currently supporting two practices where only one partner remains. Both GPs "
            "are exhausted, carry personal liability for the lease and staff, and feel trapped: "
            "they cannot retire or resign without putting patients and staff at risk.\n\nOur "
            "current offer is informal: a named LMC officer, advice on the contract and their "
            "options, and help talking to the health board. It does not feel enough.\n\nI would "
            "like to hear what other LMCs offer. Things we are considering:\n\n- a structured "
            "package, agreed with the health board, that includes funded locum support and "
            "practice management help;\n- independent legal and financial advice paid for by the "
            "LMC for the first consultation;\n- a clear explanation of the options, from "
            "recruiting partners to merger or handing back the contract;\n- pastoral support "
            "from someone outside the area.\n\nWhat works, and what do GPs in this situation "
            "actually value?"
        ),
        "replies": [
            {
                "author": "eilis.mccann",
                "body": (
                    "This is so familiar. What GPs value most is someone who will listen without "
                    "an agenda, and then a clear account of what their choices are. In my "
                    "experience the practical help only lands once the GP feels they have some "
                    "control back."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Both GPs are exhausted, carry personal liability for the lease and "
                        "staff, and feel trapped: they cannot retire or resign without putting "
                        "patients and staff at risk."
                    ),
                },
            },
            {
                "author": "helen.marsh",
                "body": (
                    "We fund one hour of independent legal advice and one hour with a specialist "
                    "accountant for any last partner standing. It costs the LMC relatively "
                    "little, and it gives the GP an honest picture of their personal exposure, "
                    "which is usually the thing keeping them awake at night."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "callum.fraser",
                "body": (
                    "In Scotland the 2018 contract moved much of the premises risk to health "
                    "boards over time, which has made the last partner situation less "
                    "frightening for some. It might be worth setting out for your GPs exactly "
                    "what would happen to their lease and staff under each option."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "janet.whitworth",
                "body": (
                    "From the office side: we keep a short checklist for the first conversation "
                    "with a last partner standing, so nothing is missed. I am happy to share it."
                ),
                "reply_to": 3,
                "quote": None,
            },
        ],
    },
    {
        "title": "Practice merger due diligence checklist: please share and improve",
        "category": "practice-resilience",
        "author": "tom.haldane",
        "body": (
            "Several LMCs have asked for a practice merger due diligence checklist. We have "
            "pulled together a first draft from checklists shared at the network meeting. It "
            "covers:\n\n- contracts and variations;\n- partnership agreements and any "
            "outstanding disputes;\n- premises, leases and personal guarantees;\n- staff, TUPE "
            "and pensions;\n- finances, including debts and liabilities;\n- clinical systems, "
            "data and information governance;\n- CQC registration.\n\nIt is a draft, and it will "
            "be better with your input. In particular, we would like to hear about anything that "
            "caught you out in a merger that you supported, and anything that should be done "
            "earlier than most practices realise.\n\nPlease reply here with suggestions, or send "
            "me any checklists that you are willing to share."
        ),
        "replies": [
            {
                "author": "deborah.akers",
                "body": (
                    "Things that caught our practices out:\n\n- **Pension contributions:** one "
                    "practice had under-declared pensionable pay for a partner for two years;\n- "
                    "**Leases:** a break clause in one lease required six months' notice that "
                    "nobody had given;\n- **IT:** the two practices were on different clinical "
                    "systems and the migration took far longer than planned;\n- **Staff:** "
                    "differences in terms and conditions that had not been identified until "
                    "after the merger."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "I would add the patient communications plan and the practice website. Ours "
                    "got overlooked until the week before the merger and caused a lot of "
                    "confusion."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "graham.fenwick",
                "body": (
                    "We have seen that too. I would move the lease review right to the start of "
                    "the checklist, because it can determine the whole timetable."
                ),
                "reply_to": 2,
                "quote": {
                    "post": 2,
                    "text": (
                        "a break clause in one lease required six months' notice that nobody had "
                        "given;"
                    ),
                },
            },
            {
                "author": "mark.ellison",
                "body": (
                    "Excellent start. I would add a short section on governance after the "
                    "merger: how decisions will be made, who will be the contract signatory and "
                    "how the new partnership will manage its relationship with the ICB."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "Reviewing our LMC constitution: seats for sessional GPs, trainees and practice "
            "managers"
        ),
        "category": "lmc-governance",
        "author": "fiona.tremayne",
        "body": (
            "We are reviewing our constitution for the first time since we adopted the BMA model "
            "constitution over a decade ago. The committee wants to make sure that it reflects "
            "the whole of general practice, not just partners.\n\nSpecifically, we are "
            "considering:\n\n- ring-fenced seats for sessional GPs, including salaried and locum "
            "GPs;\n- a seat for a GP registrar;\n- co-opted places for a practice manager and a "
            "general practice nurse;\n- whether co-opted members should have voting rights.\n\n"
            "Has anyone recently made similar changes? I would be particularly interested in how "
            "you handled the election process for ring-fenced seats, and whether co-opted "
            "members can vote."
        ),
        "replies": [
            {
                "author": "callum.fraser",
                "body": (
                    "Glasgow has two sessional GP seats and one registrar seat. The ring-fenced "
                    "seats are elected separately from the geographical constituencies. It has "
                    "made a real difference to the conversations at committee, particularly on "
                    "employment issues."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "aisha.okafor",
                "body": (
                    "This is important. When sessional GPs have to compete in geographical "
                    "constituencies they rarely get elected, because partners are better known "
                    "locally."
                ),
                "reply_to": 2,
                "quote": {
                    "post": 2,
                    "text": (
                        "The ring-fenced seats are elected separately from the geographical "
                        "constituencies."
                    ),
                },
            },
            {
                "author": "stuart.ridley",
                "body": (
                    "As a co-opted practice manager, I do not have a vote, and I think that is "
                    "right. It means I can contribute without anyone questioning whether I "
                    "should be voting on matters affecting GPs' contracts."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "priya.natarajan",
                "body": (
                    "The resource library has a demo annotated version of the model "
                    "constitution, which notes the options for co-opted members. It may be a "
                    "useful starting point."
                ),
                "reply_to": 1,
                "quote": None,
            },
        ],
    },
    {
        "title": "Setting next year's statutory levy: how do you present it at the AGM?",
        "category": "lmc-governance",
        "author": "bethan.rowlands",
        "body": (
            "The committee will set next year's statutory levy at the AGM, and I am preparing "
            "the papers. Last year, the proposed increase was questioned by several practices, "
            "who felt they had not been told what the levy paid for.\n\nThis year I would like "
            "to present it more clearly. My draft covers:\n\n- the proposed rate per registered "
            "patient, and how it compares with previous years;\n- a summary of what the levy "
            "funds, with an estimate of the time spent on each area;\n- a forecast of income and "
            "expenditure for the year, with reserves;\n- a few examples of the support provided "
            "to practices.\n\nHow do other LMCs present the levy? Do you include a comparison "
            "with neighbouring LMCs, and how much detail do you give on reserves?"
        ),
        "replies": [
            {
                "author": "mark.ellison",
                "body": (
                    "We present the levy alongside a one-page annual report, with a few headline "
                    "figures: number of practices supported, number of disputes resolved and so "
                    "on. It helps practices see the levy as a return on investment."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "janet.whitworth",
                "body": (
                    "Please do include the reserves policy. Practices are much more comfortable "
                    "with reserves when they can see the LMC has a target level, usually "
                    "expressed as a number of months of running costs, and a reason for it."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": "a forecast of income and expenditure for the year, with reserves;",
                },
            },
            {
                "author": "owain.llewellyn",
                "body": (
                    "We share a comparison with other Welsh LMCs, but only in broad terms. The "
                    "real differences are in the size and geography of each area, so direct "
                    "comparisons can mislead."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
    {
        "title": "Register of interests for LMC officers who are also PCN clinical directors",
        "category": "lmc-governance",
        "author": "graham.fenwick",
        "body": (
            "Two of our elected officers are also PCN clinical directors. Both are doing "
            "excellent work, but practices have started asking whether it is appropriate for "
            "them to represent the LMC in discussions with the ICB about PCN funding.\n\nOur "
            "current register of interests is a simple annual declaration. It does not say how "
            "conflicts should be managed in practice.\n\nWe are considering:\n\n- updating the "
            "register at each meeting, not just annually;\n- a clear protocol for when an "
            "officer should step out of a discussion;\n- publishing the register on the LMC "
            "website.\n\nHow do other LMCs manage this? Do you allow officers who are clinical "
            "directors to lead on PCN issues, or do you ask someone else to take the lead?"
        ),
        "replies": [
            {
                "author": "rav.sandhu",
                "body": (
                    "As a former clinical director and current vice-chair, I stepped back from "
                    "leading on PCN funding issues while I was a clinical director. It was "
                    "frustrating at times, but it protected both me and the LMC."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "mark.ellison",
                "body": (
                    "We publish ours, and it has been very helpful. It deals with questions "
                    "before they are asked."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": "publishing the register on the LMC website.",
                },
            },
            {
                "author": "helen.marsh",
                "body": (
                    "We allow officers who are clinical directors to contribute their expertise, "
                    "but not to lead the negotiation or vote on matters that affect their PCN. "
                    "The chair decides at the start of each item."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": "Motions for the UK LMC conference: drafting tips and deadlines",
        "category": "conferences",
        "author": "hannah.lindqvist",
        "body": (
            "I am a conference representative for the first time this year, and our LMC has "
            "asked me to draft a motion on the future of ARRS-funded GP posts once the current "
            "funding arrangements end. I would be grateful for tips from those who have done "
            "this before.\n\nMy questions:\n\n- How long should a motion be, and how specific "
            'should the "calls on" part be?\n- Where do you find the agenda committee\'s '
            "deadlines, and how much time do you leave for your own committee to approve the "
            "wording?\n- What makes a motion likely to be prioritised for debate rather than "
            "ending up in the unreached section?\n- Is it worth coordinating with other LMCs on "
            "a similar motion?\n\nExamples of motions that were debated and became policy would "
            "be very welcome."
        ),
        "replies": [
            {
                "author": "callum.fraser",
                "body": (
                    "Keep it short and specific. One clear demand, addressed to a named body "
                    "(GPC, the government, NHS England), is far easier to debate and far easier "
                    "to turn into policy than a motion with six sub-clauses. If you need "
                    "sub-clauses, make sure each one can stand alone, because conference may "
                    "vote on them separately.\n\nOn timing, work back from the agenda "
                    "committee's deadline and allow at least one committee meeting to approve "
                    "the final text."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "Yes. If several LMCs submit motions on the same theme, the agenda committee "
                    "will usually composite them or choose one as the lead motion. A motion "
                    "supported by several LMCs is more likely to be prioritised, and the "
                    "best-drafted version tends to be picked as the lead.\n\nPost a draft here "
                    "and I am sure others will comment."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": "Is it worth coordinating with other LMCs on a similar motion?",
                },
            },
            {
                "author": "eilis.mccann",
                "body": (
                    "Check the policy database and previous agendas for existing policy on your "
                    "topic. If your motion simply restates existing policy, it is likely to be "
                    "marked as such and passed without debate. Finding a new angle, such as a "
                    "specific ask about funding continuity for GPs already in post, gives it a "
                    "much better chance."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "hannah.lindqvist",
                "body": (
                    "Thank you all, this is really helpful. I will put a draft up next week. If "
                    "anyone from another LMC is working on the same theme, please message me and "
                    "we can compare wording."
                ),
                "reply_to": 3,
                "quote": {
                    "post": 3,
                    "text": (
                        "A motion supported by several LMCs is more likely to be prioritised, "
                        "and the best-drafted version tends to be picked as the lead."
                    ),
                },
            },
            {
                "author": "priya.natarajan",
                "body": (
                    "We run a short online session on drafting motions a few weeks before each "
                    "conference, with a couple of experienced representatives on hand. "
                    "@hannah.lindqvist, I will send you the joining details."
                ),
                "reply_to": 5,
                "quote": None,
            },
        ],
    },
    {
        "title": "GPDF development grant round: anyone planning a joint bid?",
        "category": "conferences",
        "author": "bethan.rowlands",
        "body": (
            "The new GPDF development grant round is open, and our committee is keen to put in a "
            "joint bid with other LMCs rather than something for our area alone. We have two "
            "ideas:\n\n- a structured induction programme for new LMC office staff and lay "
            "secretaries, delivered jointly across several LMCs with shared materials;\n- a "
            "shared, maintained bank of template letters for practices on interface workload, so "
            "that each LMC is not rewriting the same letters every year.\n\nA joint bid would be "
            "stronger and a better use of the funds, but it needs careful coordination on who "
            "leads, who holds the money and how outcomes are reported.\n\nIs anyone else "
            "planning a bid on either topic? We have a committee meeting in three weeks and "
            "would like to bring a proposal with named partners."
        ),
        "replies": [
            {
                "author": "ruth.calloway",
                "body": (
                    "Both ideas fit closely with what LMCSN has been asked for. We would be glad "
                    "to support a joint bid, help coordinate partners and host the shared "
                    "materials on the hub once they exist. Happy to join a call to scope it."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "janet.whitworth",
                "body": (
                    "Yes please, count Humberside in for this one. I have induction notes built "
                    "up over eleven years that could form the first draft, and there is a real "
                    "gap for staff joining small LMCs without anyone to shadow."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "a structured induction programme for new LMC office staff and lay "
                        "secretaries, delivered jointly across several LMCs with shared "
                        "materials;"
                    ),
                },
            },
            {
                "author": "owain.llewellyn",
                "body": (
                    "North Wales would be interested too, particularly if the materials could be "
                    "produced in both English and Welsh. That would make it genuinely useful "
                    "across all five Welsh LMCs."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "deborah.akers",
                "body": (
                    "Nottinghamshire would like to be involved in the induction bid as well. I "
                    "can draft the budget and the evaluation section, which is usually where "
                    "joint bids fall down."
                ),
                "reply_to": 3,
                "quote": None,
            },
        ],
    },
    {
        "title": "Media training for LMC officers: recommended providers?",
        "category": "communications",
        "author": "leanne.corbett",
        "body": (
            "Our officers are increasingly asked for interviews by local papers and BBC local "
            "radio, mostly about access, appointment waits and collective action. Several are "
            "willing but nervous, and one interview last month did not go as planned when the "
            "questions moved from workload to a practice closure.\n\nWe would like to arrange "
            "media training for the chair, the medical secretary and two committee members. Has "
            "anyone done this recently? I would be grateful for recommendations of providers and "
            "for views on:\n\n- individual sessions versus a group day;\n- whether it should "
            "cover social media and handling online criticism;\n- realistic costs per person;\n- "
            'whether you agree "lines to take" in advance for each topic.'
        ),
        "replies": [
            {
                "author": "helen.marsh",
                "body": (
                    "We used a provider recommended through the BMA. It was not cheap, but it "
                    "was very good. The most valuable part was rehearsing hostile interviews on "
                    "camera and watching them back. Our officers now agree three key messages "
                    "before any interview and keep coming back to them whatever the question."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "dominic.shaw",
                "body": (
                    "Definitely include it. Most of the difficult situations we have faced "
                    "started online, not with a journalist. A short protocol on who responds, "
                    "and when not to, has saved us more than once."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": "whether it should cover social media and handling online criticism;",
                },
            },
            {
                "author": "tom.haldane",
                "body": (
                    "LMCSN is looking at a group media training day for officers across the "
                    "network, which should bring the cost per person down. I will post details "
                    "here if there is enough interest, so please reply if your LMC would send "
                    "someone."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": (
            "New LMC office manager here. What do you wish you had known in your first 90 days?"
        ),
        "category": "wellbeing",
        "author": "amy.foulkes",
        "body": (
            "Hello everyone. I started three weeks ago as office manager at the LMC, having "
            "spent eight years as a practice manager. The officers and committee have been very "
            "welcoming, but the LMC world is very different from running a practice, and there "
            "is a great deal to learn.\n\nI would love to hear from experienced LMC staff about "
            "what you wish you had known in your first 90 days. For example:\n\n- which things "
            "are worth getting right early, and which can wait;\n- how you learned who is who in "
            "the ICB and the wider local NHS;\n- how you manage the boundary between the office "
            "and the elected committee;\n- how you look after yourself when everything feels "
            "urgent.\n\nAny reading, templates or people I should meet would be gratefully "
            "received."
        ),
        "replies": [
            {
                "author": "janet.whitworth",
                "body": (
                    "Welcome, Amy! Get to know the committee calendar first, especially "
                    "elections, the AGM and levy setting, because everything else in the year is "
                    "organised around them. Keep a simple log of every enquiry from practices "
                    "for the first few months too; it shows you very quickly where the pressure "
                    "points are."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "bethan.rowlands",
                "body": (
                    "Meet your ICB counterparts early, before there is a problem to discuss. A "
                    "coffee with the primary care contracts team and the board secretary's "
                    "office will pay off many times over."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "mark.ellison",
                "body": (
                    "Agree clear boundaries with the chair and medical secretary early on: what "
                    "the office decides, what needs an officer, and how urgent matters are "
                    "handled out of hours. Writing it down on one page saves a lot of confusion "
                    "later, for you and for them."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "how you manage the boundary between the office and the elected committee;"
                    ),
                },
            },
            {
                "author": "leanne.corbett",
                "body": (
                    "Take breaks and protect your evenings. LMC work can feel urgent all the "
                    "time, but very little of it genuinely is. And find a peer in another LMC "
                    "you can message when something odd lands in the inbox."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "priya.natarajan",
                "body": (
                    "LMCSN runs an induction programme and a buddy scheme for new LMC staff, and "
                    "Janet is one of our buddies. @amy.foulkes, I will send you the details and "
                    "the dates of the next induction session."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": "Succession planning for chief executives: handing over without a cliff edge",
        "category": "officers-lounge",
        "author": "mark.ellison",
        "body": (
            "I am planning to step down in about eighteen months, and the board has asked me to "
            "propose a succession plan. Much of what a chief executive knows is held in "
            "relationships and memory rather than in files.\n\nMy outline so far: a written "
            '"state of the LMC" handover, an overlap of at least three months, introductions '
            "to the ICB and GPDF contacts, and a review of the scheme of delegation.\n\nHow have "
            "others handled this? Did you recruit externally, appoint from within, or share a "
            "chief executive with a neighbouring LMC? And how did you keep the ICB from treating "
            "the transition as an opportunity to reopen settled agreements?"
        ),
        "replies": [
            {
                "author": "deborah.akers",
                "body": (
                    "Very true. When I took over, the single most useful document was a list of "
                    "every standing agreement with the ICB, with the date and who signed it. It "
                    "stopped two attempts to reopen things in my first year."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "Much of what a chief executive knows is held in relationships and "
                        "memory rather than in files."
                    ),
                },
            },
            {
                "author": "callum.fraser",
                "body": (
                    "We appointed from within and it worked well, but only because the person "
                    "had already been deputising at health board meetings for a year. Visibility "
                    "before the handover matters as much as the overlap itself."
                ),
                "reply_to": None,
                "quote": None,
            },
            {
                "author": "helen.marsh",
                "body": (
                    "Seconding Deborah's list. I would add a confidential note for the chair on "
                    "live disputes and on any practices in difficulty, kept separately from the "
                    "general handover file."
                ),
                "reply_to": 2,
                "quote": None,
            },
        ],
    },
    {
        "title": "Benchmarking officer honoraria and sessional rates for 2025/26",
        "category": "officers-lounge",
        "author": "owain.llewellyn",
        "body": (
            "Our committee is reviewing the rates we pay officers and members for LMC sessions, "
            "which have not changed for three years. The treasurer would like some benchmarking "
            "before the next meeting.\n\nCould colleagues share, in confidence and in broad "
            "terms, how you set your rates? For example, whether you link them to a BMA "
            "sessional rate, pay a flat honorarium for officers, reimburse practices for "
            "backfill, or some combination. It would also help to know whether rates are "
            "reviewed annually and who approves them."
        ),
        "replies": [
            {
                "author": "rav.sandhu",
                "body": (
                    "We reimburse practices for backfill at a rate reviewed annually by the "
                    "finance committee, and officers receive an additional honorarium approved "
                    "at the AGM. Linking the review to the levy discussion makes it transparent "
                    "to practices."
                ),
                "reply_to": 1,
                "quote": None,
            },
            {
                "author": "fiona.tremayne",
                "body": (
                    "Ours are reviewed every year by a small remuneration group with no officers "
                    "on it, which then reports to the full committee. It avoids officers setting "
                    "their own pay, which practices rightly notice."
                ),
                "reply_to": 1,
                "quote": {
                    "post": 1,
                    "text": (
                        "It would also help to know whether rates are reviewed annually and who "
                        "approves them."
                    ),
                },
            },
            {
                "author": "nikhil.varma",
                "body": (
                    "Happy to share our figures privately, Owain. I will send them to you "
                    "directly rather than post them here."
                ),
                "reply_to": None,
                "quote": None,
            },
        ],
    },
]
