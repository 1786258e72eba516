"""The SLA tracker's tables: records (domain.md §1.8), their tariffs, KPIs and accreditation
tags, and their specification documents.

Enumerated fields hold the keys of :mod:`plugins.sla.vocabulary`. A record's first tariff is
copied onto it (``primary_tariff_gbp``/``primary_tariff_unit``) and whether it needs any
accreditation or has a document are columns too, so the tracker filters and sorts in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.database import utcnow
from forum.extensions import db


class SlaDocument(db.Model):
    """A specification document's bytes, stored once by SHA-256 (``SLA_STORAGE_DIR``)."""

    __tablename__ = "sla_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    mime: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaRecord(db.Model):
    """One agreement: what is provided, for whom, on what terms, paid how."""

    __tablename__ = "sla_record"
    __table_args__ = (
        Index("ix_sla_record_service_year", "service_type", "financial_year"),
        Index("ix_sla_record_nation_region", "nation", "region"),
        Index("ix_sla_record_price", "primary_tariff_unit", "primary_tariff_gbp"),
        Index("ix_sla_record_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    commissioner_ref: Mapped[str] = mapped_column(String(50), default="")
    #: A slug of :data:`~plugins.sla.vocabulary.SERVICE_TYPES`.
    service_type: Mapped[str] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(String(300), default="")
    scheme_type: Mapped[str] = mapped_column(String(40))
    nation: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(40))
    commissioner_type: Mapped[str] = mapped_column(String(30))
    commissioner_name: Mapped[str] = mapped_column(String(200), index=True)
    commissioner_code: Mapped[str] = mapped_column(String(10), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    lmc_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    provider_level: Mapped[str] = mapped_column(String(20))
    provider_eligibility: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text)
    inclusions: Mapped[str] = mapped_column(Text, default="")
    exclusions: Mapped[str] = mapped_column(Text, default="")
    #: ``"2024/25"``.
    financial_year: Mapped[str] = mapped_column(String(7), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    review_date: Mapped[date | None] = mapped_column(Date)
    sign_up_deadline: Mapped[date | None] = mapped_column(Date)
    duration_type: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(30), index=True)
    version: Mapped[str] = mapped_column(String(20), default="")
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_record.id", ondelete="SET NULL"), index=True
    )
    payment_model: Mapped[str] = mapped_column(String(40))
    primary_tariff_gbp: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    primary_tariff_unit: Mapped[str] = mapped_column(String(40), default="")
    block_value_gbp: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    activity_cap: Mapped[str] = mapped_column(String(120), default="")
    uplift_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    payment_frequency: Mapped[str] = mapped_column(String(20), default="")
    claim_method: Mapped[str] = mapped_column(String(30), default="")
    equipment_supplied_by: Mapped[str] = mapped_column(String(20), default="")
    reporting_requirements: Mapped[str] = mapped_column(Text, default="")
    training_requirements: Mapped[str] = mapped_column(Text, default="")
    accreditation_needed: Mapped[bool] = mapped_column(default=False)
    notice_period_days: Mapped[int | None]
    notice_party: Mapped[str] = mapped_column(String(20), default="")
    termination_notes: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_document.id", ondelete="RESTRICT"), index=True
    )
    document_name: Mapped[str] = mapped_column(String(150), default="")
    has_document: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    #: The submitter confirmed the document holds nothing identifying a practice or patient.
    redaction_confirmed: Mapped[bool] = mapped_column(default=False)
    visibility: Mapped[str] = mapped_column(String(20), default="all_members")
    lmc_rag: Mapped[str] = mapped_column(String(10), default="")
    lmc_commentary: Mapped[str] = mapped_column(Text, default="")
    #: Seen by LMC officers only, wherever the record is shown.
    negotiation_notes: Mapped[str] = mapped_column(Text, default="")
    discussion_topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL"), index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_verified_at: Mapped[date | None] = mapped_column(Date)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(default=False)

    document: Mapped[SlaDocument | None] = relationship(lazy="joined")
    tariffs: Mapped[list[SlaTariff]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SlaTariff.position"
    )
    kpis: Mapped[list[SlaKpi]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SlaKpi.position"
    )
    accreditations: Mapped[list[SlaAccreditation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SlaAccreditation.tag"
    )

    @property
    def accreditation_keys(self) -> list[str]:
        return [row.tag for row in self.accreditations]

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def is_current(self) -> bool:
        today = date.today()
        return (
            self.status == "active"
            and (self.start_date is None or self.start_date <= today)
            and (self.end_date is None or today <= self.end_date)
        )


class SlaTariff(db.Model):
    """One price of a record: a label, an amount in pounds and what it is paid per."""

    __tablename__ = "sla_tariff"
    __table_args__ = (Index("ix_sla_tariff_unit_amount", "unit", "amount_gbp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("sla_record.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(120), default="")
    amount_gbp: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    #: A key of :data:`~plugins.sla.vocabulary.TARIFF_UNITS`.
    unit: Mapped[str] = mapped_column(String(40))
    notes: Mapped[str] = mapped_column(String(200), default="")


class SlaKpi(db.Model):
    __tablename__ = "sla_kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("sla_record.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(100), default="")
    measure: Mapped[str] = mapped_column(String(200), default="")


class SlaAccreditation(db.Model):
    __tablename__ = "sla_accreditation"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("sla_record.id", ondelete="CASCADE"), primary_key=True
    )
    #: A key of :data:`~plugins.sla.vocabulary.ACCREDITATIONS`.
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


MODELS = [SlaDocument, SlaRecord, SlaTariff, SlaKpi, SlaAccreditation]
