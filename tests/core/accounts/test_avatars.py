from forum.accounts.avatars import COLOURS, letter_avatar_svg
from tests.factories import make_user


def test_avatar_template_from_the_api_serves_an_svg(client):
    make_user("Helen.Marsh")
    template = client.get("/u/helen.marsh.json").get_json()["user"]["avatar_template"]
    response = client.get(template.replace("{size}", "48"))
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert 'width="48"' in response.text and ">H</text>" in response.text


def test_sizes_are_clamped_and_unknown_or_pending_people_are_404(client):
    make_user("tiny")
    assert 'width="512"' in client.get("/letter_avatar/tiny/99999/1.svg").text
    assert client.get("/letter_avatar/nobody/48/1.svg").status_code == 404
    make_user("waiting", status="pending")
    assert client.get("/letter_avatar/waiting/48/1.svg").status_code == 404


def test_letters_are_escaped_and_colours_are_stable():
    assert ">&amp;</text>" in letter_avatar_svg("&bob", 20)
    assert letter_avatar_svg("alice", 20) == letter_avatar_svg("ALICE", 20)
    assert all(
        f"#{c}" in "".join(letter_avatar_svg(f"u{i}", 20) for i in range(200)) for c in COLOURS
    )
