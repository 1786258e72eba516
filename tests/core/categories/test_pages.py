"""The categories index, category pages and the category colour stylesheet, through HTTP."""

from __future__ import annotations

import re

from forum.categories.views import badge_background
from forum.extensions import db
from tests.factories import add_member, make_category, make_topic, make_user


def test_index_lists_visible_categories_with_counts_and_subcategories(client):
    parent = make_category("Contracts", description="GMS, PMS and local contracts.")
    child = make_category("Enhanced services", parent=parent, description="DES and LES.")
    make_category("Officers only", permissions={"officers": 1})
    make_topic(category=child)
    make_topic(category=parent)
    page = client.get("/categories")
    assert page.status_code == 200
    html = page.text
    assert "Contracts" in html and "GMS, PMS and local contracts." in html
    assert "Officers only" not in html
    # The subcategory is listed inside its parent's card, with its own counts and link.
    card = html[html.index("Contracts") : html.index("Uncategorized")]
    assert "Enhanced services" in card
    assert f'href="/c/contracts/enhanced-services/{child.id}"' in card
    assert "1 topic, 1 post" in card


def test_index_shows_private_category_to_its_group(client, auth):
    officer = make_user()
    add_member(officer, "officers")
    make_category("Officers only", permissions={"officers": 1})
    auth.login_as(officer)
    assert "Officers only" in client.get("/categories").text


def test_category_id_url_redirects_to_canonical(client):
    parent = make_category("Contracts")
    child = make_category("Enhanced services", parent=parent)
    response = client.get(f"/c/{parent.id}?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/c/contracts/{parent.id}?page=2"
    response = client.get(f"/c/{child.id}")
    assert response.headers["Location"] == f"/c/contracts/enhanced-services/{child.id}"
    # A subcategory reached without its parent, or a wrong slug, is redirected too.
    response = client.get(f"/c/enhanced-services/{child.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/c/contracts/enhanced-services/{child.id}"
    response = client.get(f"/c/old-name/{parent.id}")
    assert response.headers["Location"] == f"/c/contracts/{parent.id}"


def test_category_page_lists_own_and_subcategory_topics(client):
    parent = make_category("Contracts", description="Everything about contracts.")
    child = make_category("Enhanced services", parent=parent)
    other = make_category("Workforce")
    make_topic(category=parent, title="Premises costs directions update")
    make_topic(category=child, title="Phlebotomy enhanced service uplift")
    make_topic(category=other, title="Salaried GP model contract query")
    page = client.get(f"/c/contracts/{parent.id}")
    assert page.status_code == 200
    html = page.text
    assert "Everything about contracts." in html
    assert "Premises costs directions update" in html
    assert "Phlebotomy enhanced service uplift" in html
    assert "Salaried GP model contract query" not in html
    assert "Subcategories" in html and f"/c/contracts/enhanced-services/{child.id}" in html
    # The subcategory page shows only its own topics, with a breadcrumb to the parent.
    sub = client.get(f"/c/contracts/enhanced-services/{child.id}").text
    assert "Phlebotomy enhanced service uplift" in sub
    assert "Premises costs directions update" not in sub
    assert f'href="/c/contracts/{parent.id}"' in sub


def test_category_page_paginates(client):
    category = make_category("Contracts")
    author = make_user()
    for n in range(31):
        make_topic(author, category, title=f"Practice boundary question number {n:02d}")
    first = client.get(f"/c/contracts/{category.id}").text
    assert first.count('class="topic-title"') == 30
    assert f'href="/c/contracts/{category.id}?page=2"' in first
    second = client.get(f"/c/contracts/{category.id}?page=2").text
    assert second.count('class="topic-title"') == 1
    assert "number 00" in second  # the oldest comes last


def test_new_topic_button_follows_permission(client, auth):
    open_category = make_category("Contracts")
    read_only = make_category("Announcements", permissions={"everyone": 3})
    assert "New topic" not in client.get(f"/c/contracts/{open_category.id}").text
    auth.login_as(make_user())
    page = client.get(f"/c/contracts/{open_category.id}").text
    assert f'href="/new-topic?category={open_category.id}"' in page
    assert "New topic" not in client.get(f"/c/announcements/{read_only.id}").text


def test_hidden_category_is_404_for_outsiders_and_visible_to_staff(client, auth):
    private = make_category("Officers only", permissions={"officers": 1})
    assert client.get(f"/c/officers-only/{private.id}").status_code == 404
    assert client.get(f"/c/{private.id}").status_code == 404
    auth.login_as(make_user())
    assert client.get(f"/c/officers-only/{private.id}").status_code == 404
    auth.login_as(make_user(role="moderator"))
    assert client.get(f"/c/officers-only/{private.id}").status_code == 200


def test_unknown_or_huge_category_id_is_404(client):
    assert client.get("/c/999").status_code == 404
    assert client.get("/c/x/99999999999999999999999").status_code == 404


def test_empty_category_has_helpful_message(client, auth):
    category = make_category("Contracts")
    auth.login_as(make_user())
    html = client.get(f"/c/contracts/{category.id}").text
    assert "No topics in Contracts yet." in html
    assert "Start the first one" in html


def test_colour_stylesheet_has_visible_categories_only(client):
    gold = make_category("Contracts", color="FFD700")
    make_category("Officers only", permissions={"officers": 1}, color="123456")
    bad = make_category("Broken", color="12}x<>")
    response = client.get("/category-colours.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.text
    assert "123456" not in css
    assert f".cat-bg-{bad.id}" not in css
    found = re.search(rf"\.cat-bg-{gold.id}\{{background-color:#([0-9a-f]{{6}})\}}", css)
    assert found is not None
    assert _contrast_with_white(found.group(1)) >= 4.5  # darkened from the too-light gold
    assert f".cat-border-{gold.id}{{border-left-color:#ffd700}}" in css
    assert "private" in response.headers["Cache-Control"]
    # Conditional requests are answered 304.
    again = client.get("/category-colours.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def _contrast_with_white(hex_colour: str) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16)) for i in (0, 2, 4))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_badge_background_meets_aa_with_white_text():
    for colour in ("FFD700", "FFFFFF", "0088CC", "12A89D", "5A5A5A"):
        assert _contrast_with_white(badge_background(colour)) >= 4.5
    assert badge_background("003F70") == "003f70"  # dark enough already: unchanged


def test_category_badges_use_colour_classes(client):
    category = make_category("Contracts")
    make_topic(category=category)
    db.session.commit()
    html = client.get("/").text
    assert f'class="category-badge cat-bg-{category.id}"' in html
    assert 'href="/category-colours.css"' in html
