"""The library's HTML pages through the HTTP client: the library with its facets, an item's
page and file, the form (uploads good and bad), history, discussion threads, the items due
for review, the category libraries and the cards under posts."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from forum.accounts.models import Organisation
from forum.extensions import db
from forum.plugin_system.enablement import set_enabled
from forum.topics.models import Topic
from plugins.resources import extraction, services, storage
from plugins.resources.models import CategoryTopic, FileSection, Resource, StoredFile
from tests.core.accounts.helpers import QueryCounter
from tests.factories import add_member, group, make_category, make_topic, make_user
from tests.resources.conftest import item_form, make_officer, make_resource, sample_pdf

PHRASE = "partners agree to share the list of registered patients"


def text(response) -> str:
    return response.get_data(as_text=True)


def titles(page: str) -> list[str]:
    """The titles of the items listed on a library page, in order."""
    found = re.findall(
        r'data-resource="[^"]+">\s*<h2 class="search-result-title">\s*<a [^>]+>([^<]+)<', page
    )
    return [html.unescape(title) for title in found]


def stored_files() -> list[Path]:
    """Files kept in the storage folder (not counting the empty ``incoming`` folder)."""
    return [p for p in storage.storage_dir().rglob("*") if p.is_file()]


def get(client, url):
    """A GET whose response is closed at once (a download holds its file open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def post_form(client, url, fields=None, file=None, **extra):
    """Post the item form as a browser does: multipart, with a file or an empty file part."""
    data = dict(fields or {})
    data["file"] = file if file is not None else (io.BytesIO(b""), "")
    return client.post(url, data=data, content_type="multipart/form-data", **extra)


# -- The library ------------------------------------------------------------------------------


def test_the_library_lists_the_items_each_person_may_see(client, auth):
    officer = make_officer()
    make_resource(officer, title="Public guidance on premises", access_level="public")
    make_resource(officer, title="Members' partnership model", access_level="members")
    make_resource(officer, title="Officers' negotiating brief", access_level="officers_staff")

    page = text(client.get("/resources/"))
    assert titles(page) == ["Public guidance on premises"]
    assert "Add to the library" not in page

    auth.login_as(make_user())
    page = text(client.get("/resources/"))
    assert sorted(titles(page)) == ["Members' partnership model", "Public guidance on premises"]
    assert "2 items" in page and "Add to the library" not in page

    auth.login_as(make_officer())
    page = text(client.get("/resources/"))
    assert len(titles(page)) == 3
    assert 'href="/resources/new"' in page


def test_facets_filter_the_list_and_count_what_is_there(client, auth):
    officer = make_officer()
    make_resource(officer, title="Premises guidance", topics=["premises"], nations=["wales"])
    make_resource(officer, title="Premises costs", topics=["premises", "funding"])
    make_resource(officer, title="Pensions explained", topics=["pensions"], source_org="BMA")
    auth.login_as(make_user())

    page = text(client.get("/resources/"))
    assert '<a href="/resources/?topic=premises">Premises &amp; estates</a> (2)' in page
    assert '<a href="/resources/?nation=wales">Wales</a> (1)' in page
    assert '<a href="/resources/?source=BMA">BMA</a> (1)' in page

    page = text(client.get("/resources/?topic=premises"))
    assert sorted(titles(page)) == ["Premises costs", "Premises guidance"]
    assert "Topic: Premises &amp; estates" in page  # the filter in use, to remove
    assert 'href="/resources/?topic=premises&amp;nation=wales"' in page
    page = text(client.get("/resources/?topic=premises&nation=wales"))
    assert titles(page) == ["Premises guidance"]

    page = text(client.get("/resources/?sort=title"))
    assert titles(page) == ["Pensions explained", "Premises costs", "Premises guidance"]


def test_unknown_filter_values_are_refused_with_a_message(client):
    response = client.get("/resources/?topic=nonsense&page=x")
    assert response.status_code == 400
    assert "topic" in text(response)


def test_superseded_items_are_hidden_unless_asked_and_point_to_the_current_one(client, auth):
    officer = make_officer()
    old = make_resource(officer, title="Partnership model 2023", version="1")
    new = make_resource(officer, title="Partnership model 2025", version="2", supersedes=old.slug)
    auth.login_as(make_user())

    page = text(client.get("/resources/"))
    assert titles(page) == ["Partnership model 2025"]
    assert "Show superseded items" in page

    page = text(client.get("/resources/?superseded=1"))
    assert sorted(titles(page)) == ["Partnership model 2023", "Partnership model 2025"]
    assert "Hide superseded items" in page
    assert f'Superseded — <a href="/resources/{new.slug}">see the current version</a>' in page

    page = text(client.get(f"/resources/{old.slug}"))
    assert "Superseded:" in page and f'href="/resources/{new.slug}"' in page
    page = text(client.get(f"/resources/{new.slug}"))
    assert "Supersedes" in page and f'href="/resources/{old.slug}"' in page


def test_the_library_has_pages(app, client, auth):
    app.config["RESOURCES_PER_PAGE"] = 2
    officer = make_officer()
    for n in range(5):
        make_resource(officer, title=f"Guidance note {n}")
    auth.login_as(make_user())

    page = text(client.get("/resources/?sort=title"))
    assert titles(page) == ["Guidance note 0", "Guidance note 1"]
    assert 'rel="next" href="/resources/?sort=title&amp;page=2"' in page
    page = text(client.get("/resources/?sort=title&page=3"))
    assert titles(page) == ["Guidance note 4"]
    assert 'rel="prev"' in page and 'rel="next"' not in page
    page = text(client.get("/resources/?page=9"))
    assert "There are no more items here" in page


def test_empty_states_say_what_to_do(client, auth):
    auth.login_as(make_officer())
    page = text(client.get("/resources/"))
    assert "The library is empty." in page and 'href="/resources/new"' in page

    make_resource(title="Pensions explained", topics=["pensions"])
    page = text(client.get("/resources/?topic=premises"))
    assert "No items match these filters." in page
    assert '<a href="/resources/">Clear the filters</a>' in page


# -- Who may see what -------------------------------------------------------------------------


def test_restricted_items_are_out_of_reach_of_everyone_not_granted(client, auth):
    granted = make_user("granted")
    add_member(granted, "wessex-secretariat")
    secret = make_resource(
        title="Secretariat negotiating position",
        file=sample_pdf(2),
        access_level="restricted",
        restricted_groups=["wessex-secretariat"],
    )
    urls = [f"/resources/{secret.slug}", f"/resources/{secret.slug}/download"]

    for someone in (None, make_user(), make_officer()):
        if someone is None:
            auth.logout()
        else:
            auth.login_as(someone)
        assert "Secretariat negotiating position" not in text(client.get("/resources/"))
        for url in [*urls, f"/resources/{secret.slug}/history"]:
            assert get(client, url).status_code == 404, url

    auth.login_as(granted)
    assert "Secretariat negotiating position" in text(client.get("/resources/"))
    assert get(client, urls[0]).status_code == 200
    assert get(client, urls[1]).status_code == 200


def test_officers_only_items_are_hidden_from_members(client, auth):
    brief = make_resource(
        title="Officers' brief", file=sample_pdf(1), access_level="officers_staff"
    )
    auth.login_as(make_user())
    assert client.get(f"/resources/{brief.slug}").status_code == 404
    assert get(client, f"/resources/{brief.slug}/download").status_code == 404
    auth.login_as(make_officer())
    assert client.get(f"/resources/{brief.slug}").status_code == 200


def test_only_contributors_may_add_items(client, auth):
    response = client.get("/resources/new")
    assert response.status_code == 403 and "sign in" in text(response).lower()
    auth.login_as(make_user())
    assert client.get("/resources/new").status_code == 403
    assert post_form(client, "/resources/new", item_form()).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 0


# -- Uploading --------------------------------------------------------------------------------


def test_an_officer_uploads_a_document_and_its_pages_are_listed(client, auth):
    auth.login_as(make_officer())
    form = text(client.get("/resources/new"))
    assert 'enctype="multipart/form-data"' in form and 'accept=".pdf,' in form
    assert form.count('name="topics"') == 24 and 'value="uk"' in form
    assert "at most 25 MB" in form

    pdf = sample_pdf(8, PHRASE, on_page=7)
    fields = item_form(title="Model partnership agreement", external_url="", version="3")
    response = post_form(client, "/resources/new", fields, (io.BytesIO(pdf), "agreement.pdf"))
    assert response.status_code == 303
    item = db.session.scalar(select(Resource))
    assert response.headers["Location"].endswith(f"/resources/{item.slug}")
    assert item.file.size == len(pdf) and item.file.extraction == "done"
    assert storage.path_for(item.file.sha256).read_bytes() == pdf

    page = text(client.get(response.headers["Location"]))
    assert "is in the library" in page
    assert "Download (PDF)" in page and "agreement.pdf" in page
    assert 'id="section-7"' in page and "Page 7" in page
    assert PHRASE[:30] in page


def test_the_download_is_the_exact_file_as_an_attachment(client, auth):
    pdf = sample_pdf(2)
    item = make_resource(file=pdf, filename="Partnership agreement.pdf")
    auth.login_as(make_user())
    response = get(client, f"/resources/{item.slug}/download")
    assert response.status_code == 200
    assert response.data == pdf
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Partnership" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"
    db.session.expire_all()
    assert db.session.get(Resource, item.id).download_count == 1


def test_a_file_missing_from_disk_is_a_clear_404(client, auth, caplog):
    item = make_resource(file=sample_pdf(1))
    storage.path_for(item.file.sha256).unlink()
    auth.login_as(make_user())
    response = client.get(f"/resources/{item.slug}/download")
    assert response.status_code == 404
    assert "could not be found on the server" in text(response)
    assert "missing" in caplog.text


def test_an_item_without_a_file_has_no_download(client, auth):
    item = make_resource()
    auth.login_as(make_user())
    assert client.get(f"/resources/{item.slug}/download").status_code == 404
    page = text(client.get(f"/resources/{item.slug}"))
    assert "Open the document on example.org" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "agreement.pdf", "its content is"),
        (b"", "agreement.pdf", "empty"),
    ],
)
def test_bad_uploads_are_refused_with_the_form_kept(client, auth, content, name, message):
    auth.login_as(make_officer())
    fields = item_form(title="An agreement for partners", external_url="", keywords="deed")
    response = post_form(client, "/resources/new", fields, (io.BytesIO(content), name))
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert 'value="An agreement for partners"' in page and 'value="deed"' in page
    assert 'value="partnerships" checked' in page
    assert "Please choose the file again" in page
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert stored_files() == []


def test_a_file_over_the_limit_is_refused(app, client, auth):
    app.config["RESOURCES_MAX_UPLOAD_BYTES"] = 2000
    auth.login_as(make_officer())
    fields = item_form(external_url="")
    big = sample_pdf(1) + b"%" * 5000
    response = post_form(client, "/resources/new", fields, (io.BytesIO(big), "big.pdf"))
    assert response.status_code == 422
    assert "too large" in text(response)
    assert stored_files() == []

    # Past the limit and the form's allowance: refused from its Content-Length, unread. (The
    # body is built in memory: the test client's own spill file would never be read.)
    huge = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 5000)
    boundary, body = encode_multipart(
        {**fields, "file": FileStorage(io.BytesIO(huge), filename="huge.pdf")}
    )
    response = client.post(
        "/resources/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "That file is too large" in text(response)
    assert stored_files() == []
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 0


def test_a_review_date_before_the_publication_date_is_refused(client, auth):
    auth.login_as(make_officer())
    fields = item_form(publication_date="2025-04-01", review_date="2024-04-01")
    response = post_form(client, "/resources/new", fields)
    assert response.status_code == 422
    page = text(response)
    assert "Review date: it cannot be before the publication date." in page
    assert 'value="2025-04-01"' in page and 'value="2024-04-01"' in page
    assert "Please choose the file again" not in page
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 0


def test_every_field_of_the_form_is_saved(client, auth):
    lmc = Organisation(name="Wessex LMCs", nation="england", region="South West")
    db.session.add(lmc)
    db.session.commit()
    add_member(make_user(), "wessex-secretariat")
    auth.login_as(make_officer())
    form = text(client.get("/resources/new"))
    assert "Wessex LMCs" in form and 'value="wessex-secretariat"' in form

    fields = item_form(
        title="Practice merger checklist",
        nations=["uk"],
        audience=["practice_managers", "gp_partners"],
        contributing_lmc=str(lmc.id),
        publication_date="2025-01-15",
        effective_from="2025-02-01",
        review_date="2026-01-15",
        version="1.2",
        status="draft",
        is_template="1",
        access_level="restricted",
        restricted_groups=["wessex-secretariat"],
        restricted_lmcs=[str(lmc.id)],
        keywords="merger, due diligence",
        licence="lmc_share_with_attribution",
    )
    response = post_form(client, "/resources/new", fields)
    assert response.status_code == 303
    item = db.session.scalar(select(Resource))
    assert item.nation_keys == sorted(["england", "wales", "scotland", "northern_ireland"])
    assert item.is_template and item.status == "draft" and item.contributing_lmc_id == lmc.id
    assert len(item.grants) == 2

    page = text(client.get(f"/resources/{item.slug}"))
    assert "UK-wide" in page and "Practice managers" in page and "Wessex LMCs" in page
    assert "15 January 2025" in page and "Version 1.2" in page
    assert "Draft:" in page and "Template: adapt before use." in page
    assert "Named groups or LMCs only" in page  # (the grants are shown to its editors only)
    form = text(client.get(f"/resources/{item.slug}/edit"))
    assert 'value="wessex-secretariat" checked' in form
    assert f'<option value="{lmc.id}" selected>Wessex LMCs</option>' in form
    assert (
        'value="2026-01-15"' in form
        and 'id="is_template" name="is_template" value="1" checked' in form
    )


def test_badges_in_the_list(client, auth):
    officer = make_officer()
    services.create(officer, item_form(title="A demo item"), is_demo=True)
    make_resource(officer, title="A template letter", is_template="1")
    make_resource(officer, title="A draft note", status="draft")
    auth.login_as(make_user())
    page = text(client.get("/resources/"))
    assert "Demo data" in page and "Template: adapt before use" in page
    assert "A draft note" not in page
    auth.login_as(officer)
    page = text(client.get("/resources/"))
    assert 'class="status-tag status-draft">Draft<' in page
    assert get(client, "/resources/_static/resources.css").status_code == 200


# -- Changing items ---------------------------------------------------------------------------


def test_an_edit_is_saved_and_shown_in_the_history(client, auth):
    officer = make_officer("ann")
    item = make_resource(officer, title="Locum agreement", version="1", topics=["workforce"])
    auth.login_as(officer)

    form = text(client.get(f"/resources/{item.slug}/edit"))
    assert 'value="Locum agreement"' in form and 'value="workforce" checked' in form
    fields = item_form(
        title="Locum agreement",
        version="2",
        topics=["workforce", "sessional-gps"],
        review_date="2030-01-01",
    )
    response = post_form(client, f"/resources/{item.slug}/edit", fields)
    assert response.status_code == 303
    assert "Your changes are saved." in text(client.get(response.headers["Location"]))

    page = text(client.get(f"/resources/{item.slug}/history"))
    assert "Changed by" in page and "ann" in page and "Added by" in page
    assert re.search(
        r"<strong>Version</strong>:\s*<span class=\"change-before\">"
        r"<span class=\"visually-hidden\">was </span>1</span>",
        page,
    )
    assert "Sessional, salaried, locum &amp; trainee GPs" in page
    assert "1 January 2030" in page
    assert page.index("Changed by") < page.index("Added by")


def test_saving_without_a_change_says_so(client, auth):
    officer = make_officer()
    item = make_resource(officer)
    auth.login_as(officer)
    fields = {k: v for k, v in item_form().items()}
    fields["title"] = item.title
    response = post_form(client, f"/resources/{item.slug}/edit", fields)
    assert response.status_code == 303
    assert "Nothing changed" in text(client.get(response.headers["Location"]))


def test_only_the_contributor_and_editors_may_edit(client, auth):
    item = make_resource()
    auth.login_as(make_officer())
    assert client.get(f"/resources/{item.slug}/edit").status_code == 403
    assert post_form(client, f"/resources/{item.slug}/edit", item_form()).status_code == 403
    auth.login_as(make_user("mod", role="moderator"))
    assert client.get(f"/resources/{item.slug}/edit").status_code == 200


def test_a_new_file_replaces_the_old_one(client, auth):
    officer = make_officer()
    item = make_resource(officer, file=sample_pdf(1, "first edition"))
    auth.login_as(officer)
    fields = item_form(title=item.title, external_url="")
    second = sample_pdf(2, "second edition", on_page=2)
    response = post_form(
        client, f"/resources/{item.slug}/edit", fields, (io.BytesIO(second), "v2.pdf")
    )
    assert response.status_code == 303
    db.session.expire_all()
    item = db.session.get(Resource, item.id)
    assert item.file_name == "v2.pdf" and item.file.extraction == "done"
    assert get(client, f"/resources/{item.slug}/download").data == second


# -- Discussion -------------------------------------------------------------------------------


def test_a_discussion_is_started_once(client, auth):
    room = make_category("Library discussions")
    set_enabled(room, ["resources"])
    db.session.commit()
    item = make_resource(title="Premises cost directions", summary="What the directions say.")
    auth.login_as(make_user())

    page = text(client.get(f"/resources/{item.slug}"))
    assert "Start a discussion" in page
    response = client.post(f"/resources/{item.slug}/discuss")
    assert response.status_code == 303
    topic = db.session.scalar(select(Topic))
    assert topic.title == "Discussion: Premises cost directions"
    assert topic.category_id == room.id
    assert response.headers["Location"].endswith(f"/t/{topic.slug}/{topic.id}")

    again = client.post(f"/resources/{item.slug}/discuss")
    assert again.headers["Location"] == response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 1
    page = text(client.get(f"/resources/{item.slug}"))
    assert "Start a discussion" not in page and "Discussion: Premises cost directions" in page
    thread = text(client.get(response.headers["Location"]))
    assert 'data-resource="' + item.slug + '"' in thread  # its card under the first post


def test_a_discussion_needs_a_library_category(client, auth):
    item = make_resource()
    auth.login_as(make_user())
    response = client.post(f"/resources/{item.slug}/discuss", follow_redirects=True)
    assert "no library category you can start a discussion in" in text(response)
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 0
    auth.logout()
    assert client.post(f"/resources/{item.slug}/discuss").status_code == 403


def test_a_card_shows_under_a_post_and_warns_once_superseded(client, auth):
    officer = make_officer()
    old = make_resource(officer, title="Sessional GP model contract", version="1")
    post = make_topic(
        make_user(),
        title="Which locum contract do you use?",
        raw=f"We use this one: [[resource:{old.slug}]]",
    )
    topic_url = f"/t/{post.topic.slug}/{post.topic.id}"
    auth.login_as(make_user())

    page = text(client.get(topic_url))
    assert f'data-resource="{old.slug}"' in page and "Sessional GP model contract" in page
    assert "Model agreement" in page and "Version 1" in page and "Superseded" not in page

    new = make_resource(officer, title="Sessional GP model contract 2025", supersedes=old.slug)
    page = text(client.get(topic_url))
    assert "Superseded:" in page and f'href="/resources/{new.slug}">See the current version' in page

    page = text(client.get(f"/resources/{old.slug}"))
    assert "Discussed in" in page and f'href="{topic_url}">Which locum contract do you use?' in page


def test_discussed_in_leaves_out_categories_the_reader_cannot_see(client, auth):
    item = make_resource(access_level="public")
    hidden = make_category("Officers' room", permissions={"officers": 1})
    make_topic(
        make_officer(),
        hidden,
        title="A private thread about the item",
        raw=f"See [[resource:{item.slug}]]",
    )
    auth.login_as(make_user())
    assert "A private thread about the item" not in text(client.get(f"/resources/{item.slug}"))
    auth.login_as(make_officer())
    assert "A private thread about the item" in text(client.get(f"/resources/{item.slug}"))


# -- Review and settings ----------------------------------------------------------------------


def test_items_due_for_review_are_listed_for_their_contributor(client, auth):
    officer = make_officer()
    past = (date.today() - timedelta(days=10)).isoformat()
    make_resource(officer, title="Old guidance", publication_date="2020-01-01", review_date=past)
    make_resource(officer, title="Fresh guidance", review_date="2099-01-01")
    make_resource(title="Someone else's old note", review_date=past)

    auth.login_as(officer)
    page = text(client.get("/resources/review"))
    assert "Old guidance" in page and "10 days ago" in page
    assert "Fresh guidance" not in page and "Someone else" not in page
    page = text(client.get("/resources/"))
    assert "Due for review</a> (2)" in page  # the facet counts every one
    assert page.count('class="status-tag status-review"') == 1  # the badge: their own

    auth.login_as(make_user())
    assert client.get("/resources/review").status_code == 403
    auth.login_as(make_officer())
    assert "Nothing is due for review." in text(client.get("/resources/review"))


def test_settings_choose_the_topics_a_category_shows(client, auth):
    room = make_category("Premises")
    set_enabled(room, ["resources"])
    db.session.commit()
    make_resource(title="Premises guidance", topics=["premises"])
    make_resource(title="Pensions explained", topics=["pensions"])

    auth.login_as(make_officer())
    assert client.get("/resources/settings").status_code == 403
    admin = make_user("boss", role="admin")
    auth.login_as(admin)
    assert "Topics shown in each category" in text(client.get("/resources/"))
    page = text(client.get("/resources/settings"))
    assert f'name="topics-{room.id}"' in page and "Shows the whole library now" in page

    category_page = f"/c/{room.slug}/{room.id}"
    page = text(client.get(category_page))
    assert "Premises guidance" in page and "Pensions explained" in page

    response = client.post("/resources/settings", data={f"topics-{room.id}": ["premises"]})
    assert response.status_code == 303
    assert db.session.scalars(select(CategoryTopic.topic)).all() == ["premises"]
    page = text(client.get(category_page))
    assert "Premises guidance" in page and "Pensions explained" not in page
    assert 'href="/resources/new"' in page
    assert f'href="{category_page}?topic=premises"' in page  # facets stay on the category
    assert 'value="premises" checked' in text(client.get("/resources/settings"))

    response = client.post("/resources/settings", data={f"topics-{room.id}": ["nonsense"]})
    assert response.status_code == 422 and "not one of the topics" in text(response)


def test_settings_without_a_library_category(client, auth):
    auth.login_as(make_user(role="admin"))
    assert "not turned on for any category" in text(client.get("/resources/settings"))


# -- Speed ------------------------------------------------------------------------------------


def test_the_library_page_costs_the_same_queries_however_many_items(app, client, auth):
    officer = make_officer()
    old = make_resource(officer, title="Old version", file=sample_pdf(1))
    make_resource(officer, supersedes=old.slug)
    reader = make_user()
    group("officers")

    def queries() -> int:
        auth.login_as(reader)
        client.get("/resources/?superseded=1")  # warm: caches, first-request work
        with QueryCounter() as counter:
            response = client.get("/resources/?superseded=1")
        assert response.status_code == 200
        return counter.count

    few = queries()
    for n in range(6):
        item = make_resource(officer, title=f"Another item {n}", topics=["premises", "pensions"])
        make_resource(officer, title=f"Its successor {n}", supersedes=item.slug)
    many = queries()
    assert len(titles(text(client.get("/resources/?superseded=1")))) == 14
    assert many == few


def test_sections_are_read_in_one_query(client, auth):
    item = make_resource(file=sample_pdf(6))
    extraction.start(item.file_id)
    assert db.session.scalar(select(func.count()).select_from(FileSection)) == 6
    auth.login_as(make_user())
    client.get(f"/resources/{item.slug}")
    with QueryCounter() as six:
        client.get(f"/resources/{item.slug}")
    other = make_resource(file=sample_pdf(2))
    extraction.start(other.file_id)
    client.get(f"/resources/{other.slug}")
    with QueryCounter() as two:
        client.get(f"/resources/{other.slug}")
    assert six.count == two.count


def test_no_title_makes_a_slug_that_a_page_of_the_library_shadows(client, auth):
    officer = make_officer()
    for title in ("New", "Review", "Settings", "Static"):
        item = make_resource(officer, title=title, file=sample_pdf(1, title))
        auth.login_as(officer)
        assert title in text(client.get(f"/resources/{item.slug}")), title
        assert get(client, f"/resources/{item.slug}/download").status_code == 200, title
        assert client.get(f"/resources/{item.slug}/history").status_code == 200, title
