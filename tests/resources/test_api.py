"""The library's JSON endpoints: the list with its facets, one item, adding and changing items
through API keys and the browser session, and the same errors as the rest of the API. A
restricted item never reaches someone who may not see it, in any answer."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from forum.extensions import db
from plugins.resources import services, storage
from plugins.resources.models import Resource, StoredFile
from tests.api.conftest import api_headers, error_of, json_of
from tests.factories import add_member, make_user
from tests.resources.conftest import item_form, make_officer, make_resource, sample_pdf

LIST = "/resources/items.json"
MEGABYTE = 1024 * 1024


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files() -> list:
    return [path for path in storage.storage_dir().rglob("*") if path.is_file()]


def multipart(form: dict, data: bytes | None = None, filename: str = "agreement.pdf") -> dict:
    """A form for the test client: lists become repeated fields, ``data`` the ``file`` part."""
    fields = dict(form)
    if data is not None:
        fields.pop("external_url", None)
        fields["file"] = (io.BytesIO(data), filename)
    return fields


def raw_multipart(form: dict, data: bytes, filename: str = "big.pdf") -> dict:
    """Keyword arguments for a multipart request whose body is built here: the test client
    would spool a large one to a temporary file that it leaves open when the server refuses
    it unread (as ``tests/core/test_uploads.py`` does)."""
    parts = []
    for name, value in form.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(
                f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{one}\r\n'.encode()
            )
    parts.append(
        f'--b\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    body = b"".join(parts) + data + b"\r\n--b--\r\n"
    return {"data": body, "content_type": "multipart/form-data; boundary=b"}


def facet(body: dict, name: str) -> dict[str, int]:
    return {entry["value"]: entry["count"] for entry in body["facets"][name]}


def library(officer=None) -> dict:
    """Four items: two visible to every member, one for officers, one restricted."""
    officer = officer or make_officer()
    return {
        "officer": officer,
        "pcn": make_resource(
            officer,
            title="Network Contract DES specification",
            collection="primary_document",
            resource_type="national_spec",
            topics=["pcns", "contracts"],
            nations=["england"],
            source_org="NHS England",
            licence="ogl_crown",
        ),
        "wales": make_resource(
            officer,
            title="Welsh GMS contract guidance",
            collection="lmc_guidance",
            resource_type="lmc_guidance_note",
            topics=["contracts"],
            nations=["wales"],
            source_org="GPC Wales",
        ),
        "officers": make_resource(
            officer,
            title="Negotiating with the ICB: officer briefing",
            collection="lmc_guidance",
            resource_type="briefing_faq",
            topics=["commissioners"],
            access_level="officers_staff",
        ),
        "secret": make_resource(
            officer,
            title="Confidential practice closure file",
            topics=["resilience"],
            access_level="restricted",
            restricted_groups=["officers"],
        ),
    }


# -- The list ---------------------------------------------------------------------------------


def test_the_list_has_items_facets_and_counts(app, client):
    items = library()
    member = make_user()
    body = json_of(client.get(LIST, headers=api_headers(member)))
    assert body["total"] == 2 and body["page"] == 1 and body["pages"] == 1
    assert {item["slug"] for item in body["resources"]} == {items["pcn"].slug, items["wales"].slug}
    assert body["more_resources_url"] is None and body["can_contribute"] is False
    assert list(body["facets"]) == ["collection", "type", "topic", "nation", "source", "status"]
    assert facet(body, "collection") == {"primary_document": 1, "lmc_guidance": 1}
    assert facet(body, "topic") == {"pcns": 1, "contracts": 2}
    assert facet(body, "nation") == {"england": 1, "wales": 1}
    assert facet(body, "source") == {"NHS England": 1, "GPC Wales": 1}
    [topic] = [entry for entry in body["facets"]["topic"] if entry["value"] == "pcns"]
    assert topic["label"].startswith("PCNs & Network Contract DES")

    [pcn] = [item for item in body["resources"] if item["slug"] == items["pcn"].slug]
    assert pcn["collection"] == "primary_document" and pcn["resource_type"] == "national_spec"
    assert pcn["topics"] == ["contracts", "pcns"] and pcn["nations"] == ["england"]
    assert pcn["labels"]["collection"] == "Primary documents"
    assert pcn["labels"]["licence"] == "Open Government Licence (Crown copyright)"
    assert pcn["external_url"] == "https://example.org/agreement" and pcn["file"] is None
    assert pcn["url"] == f"/resources/{items['pcn'].slug}"
    assert pcn["created_at"].endswith("Z")


def test_officers_see_more_and_the_counts_follow(app, client):
    items = library()
    body = json_of(client.get(LIST, headers=api_headers(items["officer"])))
    assert body["total"] == 4 and body["can_contribute"] is True
    assert facet(body, "collection") == {
        "primary_document": 1,
        "lmc_guidance": 2,
        "tool_or_sample": 1,
    }


def test_filters_narrow_the_list_and_its_facets(app, client):
    items = library()
    headers = api_headers(make_user())
    body = json_of(client.get(LIST + "?nation=wales", headers=headers))
    assert [item["slug"] for item in body["resources"]] == [items["wales"].slug]
    assert facet(body, "nation") == {"wales": 1}
    body = json_of(
        client.get(LIST + "?topic=contracts&collection=primary_document", headers=headers)
    )
    assert [item["slug"] for item in body["resources"]] == [items["pcn"].slug]
    body = json_of(client.get(LIST + "?source=GPC+Wales", headers=headers))
    assert body["total"] == 1
    body = json_of(client.get(LIST + "?sort=title", headers=headers))
    assert [item["title"] for item in body["resources"]] == [
        "Network Contract DES specification",
        "Welsh GMS contract guidance",
    ]
    body = json_of(client.get(LIST + "?topic=pensions", headers=headers))
    assert body["total"] == 0 and body["resources"] == [] and body["facets"]["topic"] == []


def test_superseded_items_are_hidden_unless_asked_for(app, client):
    officer = make_officer()
    old = make_resource(officer, title="Partnership agreement 2019")
    new = make_resource(officer, title="Partnership agreement 2024", supersedes=old.slug)
    headers = api_headers(make_user())
    body = json_of(client.get(LIST, headers=headers))
    assert [item["slug"] for item in body["resources"]] == [new.slug]
    body = json_of(client.get(LIST + "?superseded=1", headers=headers))
    assert body["total"] == 2 and facet(body, "status") == {"current": 1, "superseded": 1}
    body = json_of(client.get(LIST + "?status=superseded", headers=headers))
    assert [item["slug"] for item in body["resources"]] == [old.slug]


def test_an_unknown_filter_value_is_refused_naming_the_parameter(app, client):
    for query, name in (
        ("collection=bogus", "collection"),
        ("type=poem", "type"),
        ("topic=astrology", "topic"),
        ("nation=atlantis", "nation"),
        ("status=lost", "status"),
        ("sort=colour", "sort"),
        ("page=0", "page"),
        ("page=x", "page"),
    ):
        body = error_of(client.get(f"{LIST}?{query}"), 400, "invalid_parameters")
        assert name in body["errors"][0], (query, body)


def test_per_page_is_between_1_and_100_and_pages_link_on(app, client):
    library()
    headers = api_headers(make_user())
    for bad in ("0", "101", "-3", "many", "1.5"):
        response = client.get(f"{LIST}?per_page={bad}", headers=headers)
        body = error_of(response, 400, "invalid_parameters")
        assert "per_page" in body["errors"][0]
    first = json_of(client.get(f"{LIST}?per_page=1&sort=title", headers=headers))
    assert first["per_page"] == 1 and first["pages"] == 2 and first["total"] == 2
    assert "page=2" in first["more_resources_url"] and "per_page=1" in first["more_resources_url"]
    second = json_of(client.get(first["more_resources_url"], headers=headers))
    assert second["page"] == 2 and second["more_resources_url"] is None
    assert second["resources"][0]["slug"] != first["resources"][0]["slug"]
    assert json_of(client.get(f"{LIST}?per_page=100", headers=headers))["per_page"] == 100
    default = json_of(client.get(LIST, headers=headers))
    assert default["per_page"] == app.config["RESOURCES_PER_PAGE"]


def test_visitors_see_only_public_items(app, client):
    make_resource(title="Members' guide")
    public = make_resource(title="Public leaflet", access_level="public")
    body = json_of(client.get(LIST))
    assert [item["slug"] for item in body["resources"]] == [public.slug]
    assert facet(body, "collection") == {"tool_or_sample": 1}


# -- One item ---------------------------------------------------------------------------------


def test_an_item_has_every_field(app, client):
    officer = make_officer()
    old = make_resource(officer, title="Sessional GP handbook 2021")
    item = make_resource(
        officer,
        title="Sessional GP handbook 2024",
        supersedes=old.slug,
        audience=["sessional_gps", "practice_managers"],
        publication_date="2024-04-01",
        effective_from="2024-04-01",
        review_date="2025-04-01",
        version="2.1",
        keywords="locum, salaried",
        is_template="true",
    )
    member = make_user()
    body = json_of(client.get(f"/resources/{item.slug}.json", headers=api_headers(member)))
    resource = body["resource"]
    assert resource["title"] == "Sessional GP handbook 2024" and resource["version"] == "2.1"
    assert resource["audience"] == ["sessional_gps", "practice_managers"]
    assert resource["labels"]["audience"] == ["Sessional GPs", "Practice managers"]
    assert resource["publication_date"] == "2024-04-01" and resource["review_date"] == "2025-04-01"
    assert resource["keywords"] == ["locum", "salaried"] and resource["is_template"] is True
    assert resource["supersedes"] == {
        "slug": old.slug,
        "title": "Sessional GP handbook 2021",
        "url": f"/resources/{old.slug}",
    }
    assert resource["superseded_by"] is None and resource["due_for_review"] is True
    assert resource["contributed_by"]["username"] == officer.username
    assert resource["link_check"] == {"ok": None, "checked_at": None, "error": None}
    assert resource["discussion_topic_id"] is None and resource["download_count"] == 0
    assert resource["can_edit"] is False and "grants" not in resource
    assert resource["updated_at"].endswith("Z")

    listing = json_of(client.get(LIST + "?due=1", headers=api_headers(member)))
    assert listing["due_for_review"] == 1 and [i["slug"] for i in listing["resources"]] == [
        item.slug
    ]

    older = json_of(client.get(f"/resources/{old.slug}.json", headers=api_headers(member)))
    assert older["resource"]["status"] == "superseded"
    assert older["resource"]["superseded_by"]["slug"] == item.slug

    mine = json_of(client.get(f"/resources/{item.slug}.json", headers=api_headers(officer)))
    assert mine["resource"]["can_edit"] is True
    assert mine["resource"]["grants"] == {"groups": [], "lmcs": []}


def test_hidden_items_answer_404_like_missing_ones(app, client):
    items = library()
    member, visitor_items = make_user(), (items["officers"], items["secret"], items["pcn"])
    missing = error_of(client.get("/resources/no-such-thing.json"), 404, "not_found")
    for item in (items["officers"], items["secret"]):
        body = error_of(
            client.get(f"/resources/{item.slug}.json", headers=api_headers(member)),
            404,
            "not_found",
        )
        assert body == missing
    for item in visitor_items:
        assert error_of(client.get(f"/resources/{item.slug}.json"), 404, "not_found") == missing
    granted = make_officer()
    body = json_of(
        client.get(f"/resources/{items['secret'].slug}.json", headers=api_headers(granted))
    )
    assert body["resource"]["access_level"] == "restricted" and "grants" not in body["resource"]
    editor = make_user(role="moderator")
    body = json_of(
        client.get(f"/resources/{items['secret'].slug}.json", headers=api_headers(editor))
    )
    assert body["resource"]["grants"]["groups"][0]["name"] == "officers"


def test_a_restricted_version_is_not_named_to_those_who_may_not_see_it(app, client):
    officer = make_officer()
    old = make_resource(officer, title="Closure checklist 2020")
    make_resource(
        officer,
        title="Closure checklist 2025 (restricted)",
        supersedes=old.slug,
        access_level="restricted",
        restricted_groups=["officers"],
    )
    member = make_user()
    response = client.get(f"/resources/{old.slug}.json", headers=api_headers(member))
    body = json_of(response)
    assert body["resource"]["superseded_by"] is None
    assert "restricted" not in response.get_data(as_text=True)
    listing = client.get(LIST + "?superseded=1", headers=api_headers(member))
    assert "Closure checklist 2025" not in listing.get_data(as_text=True)


# -- Adding items -----------------------------------------------------------------------------


def test_an_officer_adds_a_link_with_an_api_key(app, client):
    officer = make_officer()
    form = item_form(title="GMS Regulations 2015", topics=["contracts"], nations=["uk"])
    response = client.post(LIST, json=form, headers=api_headers(officer))
    body = json_of(response, 201)
    resource = body["resource"]
    assert resource["slug"] == "gms-regulations-2015" and resource["file"] is None
    assert resource["nations"] == ["england", "northern_ireland", "scotland", "wales"]
    assert resource["external_url"] == "https://example.org/agreement"
    assert resource["can_edit"] is True and resource["contributed_by"]["id"] == officer.id
    item = db.session.scalar(select(Resource).where(Resource.slug == "gms-regulations-2015"))
    [(revision, _changes)] = services.revisions(item)
    assert revision.user_id == officer.id


def test_a_wrapped_json_body_is_accepted_too(app, client):
    officer = make_officer()
    body = {"resource": item_form(title="Wrapped item", keywords=["levy", "company"])}
    resource = json_of(client.post(LIST, json=body, headers=api_headers(officer)), 201)["resource"]
    assert resource["title"] == "Wrapped item" and resource["keywords"] == ["levy", "company"]


def test_an_officer_uploads_a_pdf_from_the_browser_and_its_text_is_read(app, client, auth):
    officer = make_officer()
    auth.login_as(officer)
    form = item_form(title="Model partnership agreement", topics=["partnerships", "workforce"])
    data = sample_pdf(pages=7, phrase="deed of adherence", on_page=7)
    response = client.post(LIST, data=multipart(form, data, "Model agreement.pdf"))
    resource = json_of(response, 201)["resource"]
    assert resource["topics"] == ["partnerships", "workforce"]
    file = resource["file"]
    assert file["name"].endswith(".pdf") and file["kind"] == "pdf" and file["size"] == len(data)
    assert file["mime"] == "application/pdf" and len(file["sha256"]) == 64
    assert file["download_url"] == f"/resources/{resource['slug']}/download"
    assert resource["external_url"] is None and resource["link_check"] is None

    shown = json_of(client.get(f"/resources/{resource['slug']}.json"))["resource"]
    assert shown["file"]["extraction"] == "done" and shown["file"]["sections"] == 7
    assert count(StoredFile) == 1 and len(stored_files()) == 1


def test_form_lists_may_be_repeated_or_comma_separated(app, client):
    officer = make_officer()
    form = item_form(topics="pcns, workforce", nations=["england", "wales"], audience="nurses")
    resource = json_of(client.post(LIST, data=form, headers=api_headers(officer)), 201)["resource"]
    assert resource["topics"] == ["pcns", "workforce"]
    assert resource["nations"] == ["england", "wales"] and resource["audience"] == ["nurses"]


def test_unknown_choices_are_refused_listing_each(app, client):
    officer = make_officer()
    form = item_form(collection="bogus", topics=["pcns", "astrology"], nations=["atlantis"])
    body = error_of(client.post(LIST, json=form, headers=api_headers(officer)), 422)
    messages = " ".join(body["errors"])
    assert "Collection: 'bogus'" in messages
    assert "'astrology'" in messages and "'atlantis'" in messages
    assert count(Resource) == 0


def test_every_missing_field_is_listed(app, client):
    officer = make_officer()
    body = error_of(client.post(LIST, json={}, headers=api_headers(officer)), 422)
    messages = " ".join(body["errors"])
    for expected in (
        "Title is required",
        "Summary is required",
        "Collection is required",
        "Type is required",
        "Source organisation is required",
        "Licence is required",
        "Choose at least one topic",
        "Choose at least one nation",
        "Upload a file or give a link",
    ):
        assert expected in messages, (expected, messages)
    assert count(Resource) == 0


def test_a_review_date_before_publication_is_refused(app, client):
    officer = make_officer()
    form = item_form(publication_date="2025-05-01", review_date="2024-01-01")
    body = error_of(client.post(LIST, json=form, headers=api_headers(officer)), 422)
    assert body["errors"] == ["Review date: it cannot be before the publication date."]


def test_bad_json_is_a_400(app, client):
    headers = {**api_headers(make_officer()), "Content-Type": "application/json"}
    error_of(client.post(LIST, data="{not json", headers=headers), 400, "invalid_parameters")
    error_of(client.post(LIST, data="[1, 2]", headers=headers), 400, "invalid_parameters")


def test_values_of_the_wrong_shape_are_refused_not_crashed_on(app, client):
    officer = make_officer()
    form = item_form(
        title={"en": "x"},
        collection=["primary_document"],
        topics=[{"slug": "pcns"}],
        publication_date=12,
        is_template="perhaps",
        contributing_lmc=[1],
        supersedes={"slug": ["x"]},
    )
    body = error_of(client.post(LIST, json=form, headers=api_headers(officer)), 422)
    assert any(message.startswith("Title") for message in body["errors"])
    assert count(Resource) == 0


def test_refused_files_leave_nothing_behind(app, client):
    officer = make_officer()
    headers = api_headers(officer)
    for data, filename, expected in (
        (b"<html><script>alert(1)</script></html>", "report.pdf", "says it is a PDF"),
        (b"", "empty.pdf", "empty"),
    ):
        response = client.post(LIST, data=multipart(item_form(), data, filename), headers=headers)
        body = error_of(response, 422)
        assert expected in " ".join(body["errors"]), body
    assert count(Resource) == 0 and count(StoredFile) == 0 and stored_files() == []


def test_a_file_over_the_limit_is_refused_and_not_kept(app, client):
    app.config["RESOURCES_MAX_UPLOAD_BYTES"] = MEGABYTE
    officer = make_officer()
    headers = api_headers(officer)
    form = item_form(external_url=None)
    over = b"%PDF-1.4\n" + b"0" * (MEGABYTE + 1000)  # within the form allowance: read, refused
    body = error_of(client.post(LIST, headers=headers, **raw_multipart(form, over)), 422)
    assert body["errors"] == ["That file is too large: files can be at most 1 MB."]
    far_over = b"%PDF-1.4\n" + b"0" * (3 * MEGABYTE)  # past the body limit: refused as it streams
    response = client.post(LIST, headers=headers, **raw_multipart(form, far_over))
    body = error_of(response, 413, "too_large")
    assert body["errors"] == ["That file is too large: files can be at most 1 MB."]
    assert count(Resource) == 0 and count(StoredFile) == 0 and stored_files() == []


def test_the_same_file_twice_is_refused_naming_the_item_that_has_it(app, client):
    officer = make_officer()
    data = sample_pdf(pages=2, phrase="unique words for this test")
    first = client.post(
        LIST, data=multipart(item_form(title="First copy"), data), headers=api_headers(officer)
    )
    slug = json_of(first, 201)["resource"]["slug"]
    again = client.post(
        LIST, data=multipart(item_form(title="Second copy"), data), headers=api_headers(officer)
    )
    body = error_of(again, 422)
    assert "First copy" in body["errors"][0] and f"/resources/{slug}" in body["errors"][0]
    assert count(Resource) == 1 and count(StoredFile) == 1 and len(stored_files()) == 1


def test_a_duplicate_of_a_hidden_item_does_not_name_it(app, client):
    data = sample_pdf(pages=1, phrase="closure plan")
    make_resource(
        file=data,
        title="Secret closure plan",
        access_level="restricted",
        restricted_groups=["officers"],
    )
    contributor = make_user()
    add_member(contributor, "lmc-staff")
    response = client.post(
        LIST, data=multipart(item_form(), data), headers=api_headers(contributor)
    )
    body = error_of(response, 422)
    assert "Secret" not in body["errors"][0] and "cannot see" in body["errors"][0]


def test_members_without_permission_and_visitors_cannot_add(app, client):
    member = make_user()
    body = error_of(
        client.post(LIST, json=item_form(), headers=api_headers(member)), 403, "invalid_access"
    )
    assert "LMC officers" in body["errors"][0]
    response = client.post(LIST, data=multipart(item_form(), sample_pdf(1)))
    error_of(response, 403, "not_logged_in")
    assert count(Resource) == 0 and count(StoredFile) == 0 and stored_files() == []


# -- Changing items ---------------------------------------------------------------------------


def test_a_change_keeps_the_fields_not_given_and_is_in_the_history(app, client):
    officer = make_officer()
    item = make_resource(officer, title="LMC levy guide", topics=["lmc-finance"], version="1")
    url = f"/resources/{item.slug}.json"
    response = client.put(
        url,
        json={"version": "2", "topics": ["lmc-finance", "lmc-governance"]},
        headers=api_headers(officer),
    )
    body = json_of(response)
    assert body["changed"] is True
    resource = body["resource"]
    assert resource["version"] == "2" and resource["title"] == "LMC levy guide"
    assert resource["topics"] == ["lmc-finance", "lmc-governance"]
    assert resource["external_url"] == "https://example.org/agreement"
    [(latest, changes), _first] = services.revisions(db.session.get(Resource, item.id))
    assert latest.user_id == officer.id
    assert changes == {
        "topics": ["lmc-finance", "lmc-finance, lmc-governance"],
        "version": ["1", "2"],
    }


def test_sending_back_what_was_read_changes_nothing(app, client):
    officer = make_officer()
    old = make_resource(officer)
    item = make_resource(
        officer,
        supersedes=old.slug,
        keywords="levy, company",
        audience=["lmc_officers"],
        access_level="restricted",
        restricted_groups=["officers"],
        review_date="2026-01-01",
    )
    headers = api_headers(officer)
    url = f"/resources/{item.slug}.json"
    read = json_of(client.get(url, headers=headers))["resource"]
    body = json_of(client.put(url, json=read, headers=headers))
    assert body["changed"] is False
    assert len(services.revisions(db.session.get(Resource, item.id))) == 1
    assert json_of(client.put(url, json={}, headers=headers))["changed"] is False


def test_a_change_from_the_browser_replaces_the_file(app, client, auth):
    officer = make_officer()
    item = make_resource(officer, file=sample_pdf(2, "first edition"))
    auth.login_as(officer)
    data = sample_pdf(4, "second edition", on_page=4)
    response = client.put(
        f"/resources/{item.slug}.json", data=multipart({"version": "2"}, data, "edition 2.pdf")
    )
    body = json_of(response)
    assert body["changed"] is True and body["resource"]["version"] == "2"
    file = body["resource"]["file"]
    assert (
        file["name"] == "edition 2.pdf" and file["extraction"] == "done" and file["sections"] == 4
    )
    assert count(StoredFile) == 2


def test_a_bad_change_is_refused_and_nothing_changes(app, client):
    officer = make_officer()
    item = make_resource(officer, publication_date="2024-01-01", title="Kept title")
    url = f"/resources/{item.slug}.json"
    response = client.put(
        url, json={"title": "", "review_date": "2023-01-01"}, headers=api_headers(officer)
    )
    body = error_of(response, 422)
    assert "Title is required." in body["errors"]
    assert "Review date: it cannot be before the publication date." in body["errors"]
    assert db.session.get(Resource, item.id).title == "Kept title"


def test_only_contributors_and_editors_change_items(app, client):
    owner = make_officer()
    item = make_resource(owner, title="Owned item")
    hidden = make_resource(owner, access_level="officers_staff")
    url = f"/resources/{item.slug}.json"
    other_officer = make_officer()
    body = error_of(
        client.put(url, json={"title": "Taken over"}, headers=api_headers(other_officer)),
        403,
        "invalid_access",
    )
    assert "contributor or a library editor" in body["errors"][0]
    member = api_headers(make_user())
    error_of(client.put(url, json={"title": "Taken over"}, headers=member), 403, "invalid_access")
    error_of(client.put(url, json={"title": "Taken over"}), 403, "not_logged_in")
    error_of(
        client.put(f"/resources/{hidden.slug}.json", json={}, headers=api_headers(make_user())),
        404,
        "not_found",
    )
    missing = client.put("/resources/nothing-here.json", json={}, headers=api_headers(owner))
    error_of(missing, 404, "not_found")
    assert db.session.get(Resource, item.id).title == "Owned item"

    editor = make_user(role="moderator")
    body = json_of(client.put(url, json={"title": "Edited by staff"}, headers=api_headers(editor)))
    assert body["changed"] is True and body["resource"]["title"] == "Edited by staff"
