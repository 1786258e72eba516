"""Admin: groups and their members."""

from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import GroupMembership
from forum.extensions import db
from tests.core.accounts.helpers import text
from tests.factories import make_user


def _create(client, **data):
    form = {"name": "officers", "display_name": "LMC officers", "description": "Paid officers"}
    form.update(data)
    return client.post("/admin/groups", data=form)


def _members(group):
    return set(
        db.session.scalars(
            select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
        )
    )


def test_builtin_groups_are_listed_as_automatic(admin_client):
    body = text(admin_client.get("/admin/groups"))
    assert "Everyone (including visitors)" in body and "All members" in body
    assert body.count("Automatic") == 2


def test_create_group(admin_client):
    response = _create(admin_client, name="Officers")
    group = services.find_group("officers")
    assert group is not None and group.display_name == "LMC officers"
    assert response.headers["Location"] == f"/admin/groups/{group.id}"
    assert "LMC officers" in text(admin_client.get("/admin/groups"))


def test_create_group_errors_keep_typed_values(admin_client):
    _create(admin_client)
    response = _create(admin_client, display_name="Second try")
    assert response.status_code == 422
    body = text(response)
    assert "A group with that name already exists." in body
    assert 'value="Second try"' in body
    bad = _create(admin_client, name="no spaces allowed", description="kept text")
    assert bad.status_code == 422
    assert "Group name must be" in text(bad) and "kept text" in text(bad)
    assert services.find_group("no spaces allowed") is None


def test_add_and_remove_members(admin_client):
    _create(admin_client)
    group = services.find_group("officers")
    alice, bob = make_user("alice"), make_user("Bob")
    response = admin_client.post(
        f"/admin/groups/{group.id}/members", data={"usernames": "alice, @bob alice"}
    )
    assert response.status_code == 302
    assert _members(group) == {alice.id, bob.id}
    page = text(admin_client.get(f"/admin/groups/{group.id}"))
    assert "Members (2)" in page and "@alice" in page and "@Bob" in page

    response = admin_client.post(f"/admin/groups/{group.id}/members/{bob.id}/remove")
    assert response.status_code == 302
    assert _members(group) == {alice.id}
    assert admin_client.post(f"/admin/groups/{group.id}/members/{bob.id}/remove").status_code == 404


def test_unknown_usernames_add_nobody(admin_client):
    _create(admin_client)
    group = services.find_group("officers")
    make_user("alice")
    response = admin_client.post(
        f"/admin/groups/{group.id}/members", data={"usernames": "alice ghost"}
    )
    assert response.status_code == 422
    assert "No account with the username: ghost" in text(response)
    assert 'value="alice ghost"' in text(response)
    assert _members(group) == set()
    empty = admin_client.post(f"/admin/groups/{group.id}/members", data={"usernames": " , "})
    assert "Please enter at least one username." in text(empty)


def test_builtin_groups_cannot_get_members(admin_client):
    make_user("alice")
    for name in ("everyone", "members"):
        group = services.find_group(name)
        page = text(admin_client.get(f"/admin/groups/{group.id}"))
        assert "automatic" in page and "Add to group" not in page
        response = admin_client.post(
            f"/admin/groups/{group.id}/members", data={"usernames": "alice"}
        )
        assert response.status_code == 422
        assert "nobody is added to it by hand" in text(response)
        assert _members(group) == set()


def test_unknown_group_is_404(admin_client):
    assert admin_client.get("/admin/groups/999").status_code == 404
    assert (
        admin_client.post("/admin/groups/999/members", data={"usernames": "x"}).status_code == 404
    )
