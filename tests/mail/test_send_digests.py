"""The daily digest (mailing-list mode ``daily``) and the summary of popular topics, from
queueing (``forum.mail.digests.enqueue_due``, run by every ``send_pending``) to SMTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum.categories.models import CREATE
from forum.database import utcnow
from forum.extensions import db
from forum.mail.digests import enqueue_due
from forum.mail.models import OutgoingMail
from forum.mail.sender import send_pending
from forum.notifications.models import WATCHING, CategoryUser, UserOption
from forum.topics.models import Post, Topic
from tests.factories import add_member, make_category, make_reply, make_topic, make_user

HOST = "hub.example.org"


def options(user, **values):
    db.session.merge(UserOption(user_id=user.id, **values))
    db.session.commit()


def watch_category(user, category):
    db.session.merge(
        CategoryUser(user_id=user.id, category_id=category.id, notification_level=WATCHING)
    )
    db.session.commit()


def rows(kind):
    db.session.expire_all()
    return db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.kind == kind).order_by(OutgoingMail.id)
    ).all()


def age(post, hours):
    db.session.execute(
        update(Post).where(Post.id == post.id).values(created_at=utcnow() - timedelta(hours=hours))
    )
    db.session.commit()


def test_the_daily_digest_from_queue_to_inbox(smtp, mailq):
    author, reader, officer = make_user("author"), make_user("reader"), make_user("officer")
    add_member(author, "officers")
    add_member(officer, "officers")
    public = make_category("Contracts")
    private = make_category("Officers only", permissions={"officers": CREATE})
    unwatched = make_category("Chit chat")
    # The reader watches the private category too (say, from before losing access).
    for category in (public, private):
        watch_category(reader, category)
        watch_category(officer, category)
    options(reader, mailing_list_mode="daily")
    options(officer, mailing_list_mode="daily")
    contract = make_topic(
        author, public, title="The new PCN contract explained", raw="PCN **DES** notes."
    )
    reply = make_reply(contract.topic, author, raw="More on the *DES*.")
    # (Starting a topic watches it: only mailing_list_include_own would bring it in.)
    mine = make_topic(reader, public, title="The reader's own topic about rotas", raw="Own words.")
    secret = make_topic(
        author, private, title="Confidential negotiation position", raw="Secret words."
    )
    make_topic(author, unwatched, title="Nobody watches this category at all")
    old = make_reply(contract.topic, author, raw="An old reply from two days ago.")
    age(old, 48)
    mailq.clear()

    report = send_pending()

    assert report.digests_queued == 2
    assert report.sent == 2
    [to_reader] = smtp.to("reader@example.org")
    [to_officer] = smtp.to("officer@example.org")
    message = to_reader.message
    assert str(message["Subject"]).strip() == "[LMC Hub] Daily digest: 2 new posts in 1 topic"
    assert str(message["Precedence"]) == "list"
    row = next(r for r in rows("digest") if r.user_id == reader.id)
    assert str(message["List-Unsubscribe"]).strip() == (
        f"<https://{HOST}/email/unsubscribe/{row.unsubscribe_key}>"
    )
    text, html = to_reader.part("plain"), to_reader.part("html")
    assert "PCN **DES** notes." in text and "More on the *DES*." in text
    assert "<strong>DES</strong>" in html and "<em>DES</em>" in html
    assert f"https://{HOST}/t/{contract.topic.slug}/{contract.topic_id}/2" in html
    for body in (text, html):
        assert "The new PCN contract explained" in body
        assert "Confidential" not in body and "Secret words" not in body
        assert "Nobody watches" not in body
        assert "Own words" not in body and "own topic" not in body
        assert "two days ago" not in body
        assert f"https://{HOST}/my/preferences/emails" in body
    assert "Confidential negotiation position" in to_officer.part("plain")
    assert "Secret words." in to_officer.part("plain")
    assert mine.id and secret.id and reply.id

    # Once a day: nothing more until 24 hours have passed.
    later = utcnow() + timedelta(hours=23)
    assert send_pending(now=later).digests_queued == 0
    # A day later with nothing new: no mail, but the clock moves on.
    next_day = utcnow() + timedelta(hours=25)
    assert send_pending(now=next_day).digests_queued == 0
    db.session.expire_all()
    assert db.session.get(UserOption, reader.id).last_digest_at == next_day
    assert len(smtp.messages) == 2


def test_a_digest_leaves_out_posts_deleted_before_it_is_sent(smtp, mailq, app):
    author, reader = make_user("author"), make_user("reader")
    category = make_category("Contracts")
    watch_category(reader, category)
    options(reader, mailing_list_mode="daily", mailing_list_include_own=True)
    first = make_topic(author, category, title="A topic that will be deleted soon")
    mailq.clear()
    assert enqueue_due() == 1
    db.session.execute(update(Topic).where(Topic.id == first.topic_id).values(deleted_at=utcnow()))
    db.session.commit()

    report = send_pending()

    assert (report.sent, report.skipped) == (0, 1)
    assert "nothing left to send" in rows("digest")[0].last_error


def test_the_summary_lists_the_hottest_visible_topics(smtp, mailq):
    author, reader, officer = make_user("author"), make_user("reader"), make_user("officer")
    add_member(author, "officers")
    add_member(officer, "officers")
    public = make_category("Contracts")
    private = make_category("Officers only", permissions={"officers": CREATE})
    options(reader, summary_frequency="weekly")
    options(officer, summary_frequency="daily")
    busy = make_topic(
        author,
        public,
        title="Busiest topic of the week by far",
        raw="First line of the busiest topic.\n\nSecond paragraph.",
    )
    for _ in range(3):
        make_reply(busy.topic, author)
    quiet = make_topic(author, public, title="A quieter topic with one reply")
    make_reply(quiet.topic, author)
    secret = make_topic(author, private, title="Private and very busy topic")
    for _ in range(5):
        make_reply(secret.topic, author)
    for n in range(10):
        make_topic(author, public, title=f"Filler topic number {n} for the summary")
    mailq.clear()

    report = send_pending()

    assert report.digests_queued == 2 and report.sent == 2
    [to_reader] = smtp.to("reader@example.org")
    [to_officer] = smtp.to("officer@example.org")
    subject = str(to_reader.message["Subject"]).strip()
    assert subject == "[LMC Hub] Your weekly summary: 10 popular topics"
    text = to_reader.part("plain")
    assert text.index("Busiest topic") < text.index("A quieter topic")
    assert "First line of the busiest topic." in text
    assert "Private and very busy" not in text
    assert "Private and very busy" not in to_reader.part("html")
    assert f"https://{HOST}/t/{busy.topic.slug}/{busy.topic_id}" in to_reader.part("html")
    officer_text = to_officer.part("plain")
    assert officer_text.index("Private and very busy") < officer_text.index("Busiest topic")
    assert str(to_officer.message["Subject"]).strip().startswith("[LMC Hub] Your daily summary")
    assert secret.id and quiet.id

    # Daily and weekly: the officer's next one comes a day later, the reader's a week later.
    day_later = utcnow() + timedelta(days=1, minutes=1)
    make_reply(busy.topic, author)
    db.session.execute(
        update(Post).values(created_at=day_later - timedelta(minutes=5))
    )  # everything counts as recent for the next run
    db.session.commit()
    assert send_pending(now=day_later).digests_queued == 1
    assert len(smtp.to("officer@example.org")) == 2
    assert len(smtp.to("reader@example.org")) == 1


def test_nothing_to_summarise_sends_nothing(smtp, mailq):
    reader = make_user("reader")
    options(reader, summary_frequency="daily")

    assert send_pending().digests_queued == 0
    assert smtp.messages == []
    db.session.expire_all()
    assert db.session.get(UserOption, reader.id).last_summary_at is not None
