"""The spreadsheet import page (``/sla/import``): what the columns are, the template to
download, and the upload itself, which adds every row or none (:mod:`plugins.sla.csv_import`).

For people who may add records (:func:`plugins.sla.access.can_submit`) only.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.errors import InvalidAccess, NotLoggedIn
from forum.uploads import accepts_files, megabytes

from . import access, csv_import
from .views import bp

TEMPLATE_NAME = "sla-import-template.csv"


def _importer():
    """The signed-in person, if they may add records."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        raise NotLoggedIn("Please sign in to import SLA records.")
    if not access.can_submit(user):
        raise InvalidAccess("Only LMC officers, LMC staff and moderators can import SLA records.")
    return user


def _page(report: csv_import.Report | None = None, errors=(), status: int = 200):
    config = current_app.config
    return (
        render_template(
            "sla/import.html",
            report=report,
            errors=list(errors),
            columns=csv_import.COLUMN_HELP,
            max_rows=int(config["SLA_IMPORT_MAX_ROWS"]),
            max_size=megabytes(int(config["SLA_MAX_UPLOAD_BYTES"])),
        ),
        status,
    )


@bp.get("/import")
def import_form():
    """The import page: the columns, their allowed values and the template."""
    _importer()
    return _page()


@bp.post("/import")
@accepts_files("SLA_MAX_UPLOAD_BYTES")
def import_upload():
    """Check the uploaded file and import every row, or none with the report (422)."""
    user = _importer()
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        return _page(errors=["Choose a CSV file to import."], status=422)
    report = csv_import.import_file(chosen.stream, user)
    if not report.ok:
        return _page(report, status=422)
    flash(report.summary(), "success")
    return redirect(url_for("sla.index"), 303)


@bp.get("/import/template.csv")
def import_template():
    """The template: every column and the demo phlebotomy record as an example row (with a
    byte order mark, so Excel reads "£" and accents right)."""
    _importer()
    return Response(
        "\ufeff" + csv_import.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )
