"""The Resource Centre's controlled vocabularies (``../shared/docs/domain.md`` §2.3–2.4):
every enum a resource's fields take, as ``{stored value: label}`` in display order, and the
24-term topic taxonomy. Nation is a facet of its own, never a topic."""

from __future__ import annotations

COLLECTIONS = {
    "primary_document": "Primary documents",
    "tool_or_sample": "Tools and samples",
    "lmc_guidance": "LMC guidance",
    "learning": "Learning",
}

RESOURCE_TYPES = {
    "legislation": "Legislation",
    "directions": "Directions",
    "national_spec": "National specification",
    "national_guidance": "National guidance",
    "lmc_guidance_note": "LMC guidance note",
    "template_letter": "Template letter",
    "template_policy": "Template policy",
    "toolkit_checklist": "Toolkit or checklist",
    "job_description": "Job description",
    "constitution_governance": "Constitution or governance",
    "model_agreement": "Model agreement",
    "briefing_faq": "Briefing or FAQ",
    "calculator_spreadsheet": "Calculator or spreadsheet",
    "presentation_recording": "Presentation or recording",
    "report_survey": "Report or survey",
    "case_study": "Case study",
    "form": "Form",
}

NATIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}

AUDIENCES = {
    "lmc_officers": "LMC officers",
    "lmc_staff": "LMC staff",
    "gp_partners": "GP partners",
    "practice_managers": "Practice managers",
    "sessional_gps": "Sessional GPs",
    "nurses": "Nurses",
}

STATUSES = {
    "current": "Current",
    "superseded": "Superseded",
    "withdrawn": "Withdrawn",
    "draft": "Draft",
    "archived": "Archived",
}

LICENCES = {
    "ogl_crown": "Open Government Licence (Crown copyright)",
    "bma_copyright_link_only": "BMA copyright: link only",
    "lmc_share_with_attribution": "LMC material: share with attribution",
    "internal_only": "Internal use only",
}

ACCESS_LEVELS = {
    "public": "Anyone, including visitors",
    "members": "All signed-in members",
    "officers_staff": "LMC officers and staff",
    "restricted": "Named groups or LMCs only",
}

#: The 24 topics of domain.md §2.4, as ``(slug, name)``; the slug is stable, the position is
#: the order shown.
TOPICS = (
    ("contracts", "GP contracts & regulations (GMS/PMS/APMS)"),
    ("funding", "Funding & payments (SFE, global sum, QOF)"),
    ("enhanced-services", "Enhanced & locally commissioned services"),
    ("pcns", "PCNs & Network Contract DES (incl. ARRS)"),
    ("commissioners", "Commissioners & system relations (ICB / Health Board / SPPG)"),
    ("premises", "Premises & estates"),
    ("workforce", "Workforce, employment & HR"),
    ("sessional-gps", "Sessional, salaried, locum & trainee GPs"),
    ("partnerships", "Partnerships & partnership agreements"),
    ("resilience", "Practice resilience: mergers, closures, handbacks, list closure"),
    ("workload", "Workload & safe working"),
    ("interface", "Primary/secondary care interface"),
    ("regulation", "Regulation, quality & performance (CQC, Performers List, appraisal)"),
    ("pensions", "Pensions, tax & personal finance"),
    ("information-governance", "Information governance, data sharing & digital"),
    ("prescribing", "Prescribing, medicines & shared care"),
    ("public-health", "Immunisations, screening & public health"),
    ("lmc-governance", "LMC constitution, elections & governance"),
    ("lmc-finance", "LMC finance, levy & company matters"),
    ("conflicts", "Conflicts of interest & probity"),
    ("representation", "National representation & conferences (motions, GPC, GPDF)"),
    ("communications", "Communications, media & campaigns"),
    ("wellbeing", "Wellbeing, pastoral & practitioner support"),
    ("development", "LMC officer & staff development (induction, negotiation skills)"),
)
TOPIC_NAMES = dict(TOPICS)

#: Statuses a library list hides unless asked ("show superseded").
HIDDEN_BY_DEFAULT = ("superseded", "archived", "withdrawn")
