"""The database is the source of truth: the outbox records changes in the write's
transaction, a rolled-back write is never indexed, a crash after the commit loses nothing,
and a rebuild replaces the index without taking search offline."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum import create_app, hookimpl, search
from forum.bootstrap import ensure_defaults
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.search import outbox
from forum.search.models import SearchOutboxRow
from forum.search.reindex import reindex
from forum.search.service import search as run_search
from forum.topics import services
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_category, make_topic, make_user


def titles(user, text) -> list[str]:
    return [r.title for r in run_search(user, text).results]


def pending() -> int:
    return outbox.pending_count()


def test_a_write_records_its_change_and_search_applies_it(search_app):
    post = make_topic(title="Wound care formulary changes", raw="Dressings list.")
    rows = db.session.execute(select(SearchOutboxRow.kind, SearchOutboxRow.object_id)).all()
    assert rows == [("core.post", post.id)]
    assert pending() == 1
    assert titles(make_user(), "formulary") == ["Wound care formulary changes"]
    assert pending() == 0


def test_a_rolled_back_write_is_never_indexed(search_app, plugin_app):
    class Refuser:
        name = "refuser"

        @hookimpl
        def post_created(self, post):
            if "refuse" in post.raw:
                raise ValidationFailed("Refused by the test plugin.")

    app = plugin_app(Refuser(), SEARCH_BACKEND=search_app.config["SEARCH_BACKEND"])
    user = make_user()
    category = make_category()
    with pytest.raises(ValidationFailed):
        services.create_topic(
            user, title="Secret phlebotomy plans", raw="Please refuse this.", category=category
        )
    assert db.session.scalar(select(func.count()).select_from(SearchOutboxRow)) == 0
    assert titles(user, "phlebotomy") == []
    assert app.config["SEARCH_BACKEND"] == search_app.config["SEARCH_BACKEND"]


def test_a_crash_between_commit_and_index_write_loses_nothing(search_app, monkeypatch):
    """The index write fails after the post is committed (the process could as well have
    died there): the change stays queued and the next search applies it."""
    backend = search.backend()
    real_write = backend.write

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(backend, "write", crash)
    member = make_user()
    response = _post_topic(search_app, member, "Premises rent reimbursement")
    assert response.status_code == 200  # the writer never hears of the index
    assert pending() == 1
    assert titles(member, "reimbursement") == []  # still failing: nothing shown, no 500
    monkeypatch.setattr(backend, "write", real_write)
    assert titles(member, "reimbursement") == ["Premises rent reimbursement"]
    assert pending() == 0


def test_changes_left_by_a_dead_process_are_applied_on_the_next_start(search_app, tmp_path):
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'forum.sqlite3'}"
    settings = {
        "SECRET_KEY": "restart-test",
        "SQLALCHEMY_DATABASE_URI": url,
        "DATA_DIR": str(tmp_path),
        "SEARCH_BACKEND": search_app.config["SEARCH_BACKEND"],
        "LOAD_ENTRY_POINTS": False,
    }
    first = create_app(settings)
    with first.app_context():
        if url.startswith("sqlite"):
            db.create_all()
            ensure_defaults()
        make_topic(title="Seasonal flu vaccination claims", raw="Claims close in March.")
        assert outbox.pending_count() == 1  # the process "dies" with this queued
        db.session.remove()
    # The next process, whose first request is not a search, applies it.
    second = create_app(settings)
    assert second.test_client().get("/").status_code == 200
    with second.app_context():
        assert outbox.pending_count() == 0
        hits = (
            search.backend()
            .search(search.parser().parse("vaccination"), _everyone(), offset=0, limit=5)
            .hits
        )
        assert [h.title for h in hits] == ["Seasonal flu vaccination claims"]
        db.session.remove()
        db.engine.dispose()
    with first.app_context():
        db.engine.dispose()


def test_a_response_is_sent_before_its_post_is_indexed(search_app):
    response = _post_topic(search_app, make_user(), "Locum rates survey results")
    assert response.status_code == 200
    assert pending() == 1
    db.session.commit()  # in-memory SQLite: one connection, so end the test's transaction
    response.close()  # the server closes the response once sent: then it indexes
    assert pending() == 0


def test_reindex_rebuilds_from_the_database_and_replays_changes_made_meanwhile(search_app):
    user = make_user()
    category = make_category()
    for n in range(5):
        make_topic(user, category, title=f"Estates and premises question {n}")
    assert len(titles(user, "premises")) == 5
    late = {}

    def progress(n):
        # A post written while the rebuild runs (after it read the posts table).
        if not late:
            late["post"] = make_topic(user, category, title="Premises written mid-rebuild")

    counts = reindex(progress)
    assert counts == {"core.post": 5}
    assert pending() == 0
    found = titles(user, "premises")
    assert "Premises written mid-rebuild" in found and len(found) == 6


def test_reindex_and_status_commands(search_app):
    make_topic(title="Appraisal support for sessional GPs")
    runner = search_app.test_cli_runner()
    status = runner.invoke(args=["forum", "search", "status"])
    assert status.exit_code == 0, status.output
    assert f"Backend: {search_app.config['SEARCH_BACKEND']}" in status.output
    assert "Posts (post): 0" in status.output and "Pending changes: 1" in status.output
    result = runner.invoke(args=["forum", "search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 documents" in result.output
    status = runner.invoke(args=["forum", "search", "status"])
    assert "Posts (post): 1" in status.output and "Pending changes: 0" in status.output


def _post_topic(app, user, title):
    """Start a topic through the JSON API, as a client would."""
    from forum.accounts.services import create_api_key

    headers = {"Api-Key": create_api_key(user)[1], "Api-Username": user.username}
    body = {"title": title, "raw": "Details to follow.", "category": make_category().id}
    return app.test_client().post("/posts.json", json=body, headers=headers)


def _everyone():
    from forum.accounts.models import AnonymousUser
    from forum.search.service import resolve_filters

    return resolve_filters(search.parser().parse("x1"), AnonymousUser())


def test_a_write_request_never_inherits_the_read_transaction_of_a_check(search_app):
    """On SQLite a transaction begun DEFERRED cannot wait for the write lock; a POST whose
    first step checks the outbox must still begin its own (IMMEDIATE) transaction."""
    if TEST_DATABASE_URL:
        pytest.skip("a SQLite matter (PostgreSQL transactions wait for locks in any case)")
    with search_app.test_request_context("/posts.json", method="POST"):
        search.apply_pending_now()
        assert not db.session().in_transaction()


def test_applying_changes_leaves_no_read_transaction_behind(search_app):
    make_topic(title="Dispensing fees consultation", raw="Closes in May.")
    db.session.commit()
    with search_app.test_request_context("/posts.json", method="POST"):
        assert search.apply_pending_now() == 1
        assert not db.session().in_transaction()


def test_a_broken_index_gives_a_clear_answer_not_a_500(search_app, search_client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("segment vanished")

    monkeypatch.setattr(search.backend(), "search", broken)
    page = search_client.get("/search?q=dispensing")
    assert page.status_code == 503 and "Search is unavailable" in page.get_data(as_text=True)
    api = search_client.get("/search.json?q=dispensing")
    assert api.status_code == 503 and "try again" in api.get_json()["errors"][0]
