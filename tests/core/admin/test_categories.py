"""Admin: categories, one level of subcategories, and per-group permissions."""

import pytest
from sqlalchemy import select

from forum.admin.categories import text_colour_for
from forum.categories.models import CREATE, REPLY, SEE, Category, CategoryPermission
from forum.extensions import db
from tests.core.accounts.helpers import sign_in, text
from tests.factories import add_member, group, make_category, make_topic, make_user


def _form(**overrides):
    form = {
        "name": "Contracts and funding",
        "slug": "",
        "description": "GMS, PMS and APMS contracts; LCS pricing.",
        "color": "#1D6B35",
        "position": "5",
        "parent_id": "",
        "access": "public",
    }
    form.update(overrides)
    return form


def _category(slug) -> Category | None:
    db.session.expire_all()
    return db.session.scalar(select(Category).where(Category.slug == slug))


def _levels(category) -> dict[str, int]:
    from forum.accounts.models import Group

    rows = db.session.execute(
        select(Group.name, CategoryPermission.permission)
        .join(Group, Group.id == CategoryPermission.group_id)
        .where(CategoryPermission.category_id == category.id)
    )
    return dict(rows.all())


def test_create_public_category(admin_client):
    response = admin_client.post("/admin/categories/new", data=_form())
    category = _category("contracts-and-funding")
    assert category is not None
    assert response.headers["Location"] == f"/admin/categories/{category.id}/edit"
    assert (category.color, category.text_color, category.position) == ("1D6B35", "FFFFFF", 5)
    assert category.description.startswith("GMS")
    assert _levels(category) == {"everyone": SEE, "members": CREATE}
    listing = text(admin_client.get("/admin/categories"))
    assert "Contracts and funding" in listing and "/c/contracts-and-funding" in listing


@pytest.mark.parametrize(
    "access, expected",
    [("members", {"members": CREATE}), ("private", {})],
)
def test_create_restricted_category(admin_client, access, expected):
    admin_client.post("/admin/categories/new", data=_form(access=access, slug="restricted"))
    assert _levels(_category("restricted")) == expected


def test_private_category_is_hidden_until_a_group_gets_access(app, admin_client):
    author = make_user("author")
    insider = make_user("insider")
    add_member(author, "officers")
    add_member(insider, "officers")
    admin_client.post("/admin/categories/new", data=_form(access="private", slug="officers"))
    category = _category("officers")
    officers = group("officers")
    response = admin_client.post(
        f"/admin/categories/{category.id}/permissions",
        data={"group_id": str(officers.id), "permission": str(CREATE)},
    )
    assert response.status_code == 302
    assert _levels(category) == {"officers": CREATE}
    make_topic(author, category, title="Officers only: the levy review")

    browser = app.test_client()
    sign_in(browser, "insider")
    assert "Officers only: the levy review" in text(browser.get("/u/author"))
    outsider = app.test_client()
    assert "Officers only" not in text(outsider.get("/u/author"))


def test_change_and_remove_permission_rows(admin_client):
    category = make_category("Open", permissions={"everyone": SEE, "members": CREATE})
    members = group("members")
    admin_client.post(
        f"/admin/categories/{category.id}/permissions",
        data={"group_id": str(members.id), "permission": str(REPLY)},
    )
    assert _levels(category) == {"everyone": SEE, "members": REPLY}
    page = text(admin_client.get(f"/admin/categories/{category.id}/edit"))
    assert "Reply and see" in page
    everyone = group("everyone")
    response = admin_client.post(
        f"/admin/categories/{category.id}/permissions/{everyone.id}/remove"
    )
    assert response.status_code == 302
    assert _levels(category) == {"members": REPLY}
    gone = admin_client.post(f"/admin/categories/{category.id}/permissions/{everyone.id}/remove")
    assert gone.status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"group_id": "999", "permission": "1"}, "Please choose a group from the list."),
        ({"group_id": "1", "permission": "7"}, "Level must be between 1 and 3."),
        ({"group_id": "x", "permission": "1"}, "Group must be a whole number."),
        ({"permission": "1"}, "Please enter group."),
    ],
)
def test_bad_permission_rows_are_refused(admin_client, data, message):
    category = make_category("Open")
    before = _levels(category)
    response = admin_client.post(f"/admin/categories/{category.id}/permissions", data=data)
    assert response.status_code == 422
    assert message in text(response)
    assert _levels(category) == before


def test_edit_category(admin_client):
    category = make_category("Old name")
    response = admin_client.post(
        f"/admin/categories/{category.id}/edit",
        data=_form(name="New name", slug="new-name", color="FFD700", position="2"),
    )
    assert response.status_code == 302
    category = _category("new-name")
    assert category.name == "New name" and category.color == "FFD700"
    assert category.text_color == "000000"  # dark text on a light colour
    assert category.position == 2


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Please enter a name."),
        ({"name": "x" * 51}, "Name is too long"),
        ({"name": "taken NAME"}, "Another category already has that name."),
        ({"slug": "taken-slug"}, "Another category already uses that slug."),
        ({"slug": "Bad Slug!"}, "Slug must be up to 50"),
        ({"slug": "12345"}, "Slug cannot be only digits"),
        ({"color": "red"}, "Colour must be six hexadecimal digits"),
        ({"position": "first"}, "Position must be a whole number."),
        ({"position": "-1"}, "Position must be between 0 and 100000."),
        ({"parent_id": "9999"}, "Please choose a parent category from the list."),
        ({"parent_id": "99999999999999999999"}, "Please choose a parent category"),
        ({"access": "sideways"}, "Please choose who can use the new category."),
        ({"description": "x" * 1001}, "Description is too long"),
    ],
)
def test_bad_category_input_keeps_typed_values(admin_client, overrides, message):
    make_category("Taken name", slug="taken-slug")
    form = _form(**overrides)
    response = admin_client.post("/admin/categories/new", data=form)
    assert response.status_code == 422
    body = text(response)
    assert message in body
    assert form["description"][:40] in body
    assert _category("contracts-and-funding") is None


def test_one_level_of_subcategories(admin_client):
    parent = make_category("Parent")
    child = make_category("Child", parent=parent)
    other = make_category("Other")
    # A subcategory cannot be a parent...
    response = admin_client.post(
        "/admin/categories/new", data=_form(parent_id=str(child.id), slug="grandchild")
    )
    assert response.status_code == 422
    assert "Only top-level categories can have subcategories" in text(response)
    # ...a category with children cannot get a parent...
    response = admin_client.post(
        f"/admin/categories/{parent.id}/edit",
        data=_form(name="Parent", slug="parent", parent_id=str(other.id)),
    )
    assert response.status_code == 422
    assert "cannot become a subcategory itself" in text(response)
    # ...nor be its own parent...
    response = admin_client.post(
        f"/admin/categories/{other.id}/edit",
        data=_form(name="Other", slug="other", parent_id=str(other.id)),
    )
    assert "cannot be its own parent" in text(response)
    # ...but a top-level category without children can become a subcategory.
    response = admin_client.post(
        f"/admin/categories/{other.id}/edit",
        data=_form(name="Other", slug="other", parent_id=str(parent.id)),
    )
    assert response.status_code == 302
    assert _category("other").parent_id == parent.id
    # The parent select offers top-level categories only.
    page = text(admin_client.get("/admin/categories/new"))
    assert f'<option value="{parent.id}"' in page and f'<option value="{child.id}"' not in page


def test_delete_empty_category_after_confirmation(admin_client):
    category_id = make_category("Short lived").id
    page = admin_client.get(f"/admin/categories/{category_id}/delete")
    assert page.status_code == 200 and "Delete the category Short lived?" in text(page)
    assert _category("short-lived") is not None
    response = admin_client.post(f"/admin/categories/{category_id}/delete")
    assert response.headers["Location"] == "/admin/categories"
    assert _category("short-lived") is None
    assert (
        db.session.scalar(
            select(CategoryPermission).where(CategoryPermission.category_id == category_id)
        )
        is None
    )


def test_categories_in_use_cannot_be_deleted(admin_client):
    busy = make_category("Busy")
    make_topic(category=busy)
    parent = make_category("Parent")
    make_category("Child", parent=parent)
    for category, message in (
        (busy, "Only an empty category can be deleted"),
        (parent, "This category has subcategories"),
        (_category("uncategorized"), "Uncategorized cannot be deleted"),
    ):
        response = admin_client.post(
            f"/admin/categories/{category.id}/delete", follow_redirects=True
        )
        assert message in text(response)
        assert _category(category.slug) is not None


def test_uncategorized_keeps_its_slug(admin_client):
    category = _category("uncategorized")
    response = admin_client.post(
        f"/admin/categories/{category.id}/edit",
        data=_form(name="General", slug="general"),
    )
    assert response.status_code == 422
    assert "Uncategorized keeps its slug" in text(response)
    response = admin_client.post(
        f"/admin/categories/{category.id}/edit",
        data=_form(name="General", slug="uncategorized"),
    )
    assert response.status_code == 302
    assert _category("uncategorized").name == "General"


@pytest.mark.parametrize(
    "colour, expected",
    [
        ("FFFFFF", "000000"),
        ("000000", "FFFFFF"),
        ("005EA5", "FFFFFF"),
        # White on Discourse's default blue is only 3.9:1 (fails AA); black is 5.4:1.
        ("0088CC", "000000"),
        ("F1C40F", "000000"),
    ],
)
def test_text_colour_contrast(colour, expected):
    assert text_colour_for(colour) == expected


def test_unknown_category_is_404(admin_client):
    assert admin_client.get("/admin/categories/999/edit").status_code == 404
    assert admin_client.post("/admin/categories/999/delete").status_code == 404
