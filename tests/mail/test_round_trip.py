"""The issue's "done when", end to end over real SMTP: a reply to a watched topic reaches
the watcher's inbox, threaded under the topic; the watcher answers by e-mail and the answer
appears in the topic as theirs."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select

from forum.extensions import db
from forum.mail.sender import send_pending
from forum.notifications.models import WATCHING, CategoryUser
from forum.topics.models import Post
from tests.factories import make_category, make_reply, make_topic, make_user


def test_watched_reply_to_inbox_and_back_by_email(app, smtp, runner):
    app.config["MAIL_PERSONAL_DELAY_SECONDS"] = 0
    author, replier, watcher = make_user("author"), make_user("replier"), make_user("watcher")
    category = make_category("Premises")
    db.session.add(
        CategoryUser(user_id=watcher.id, category_id=category.id, notification_level=WATCHING)
    )
    db.session.commit()
    first = make_topic(author, category, title="Rent reimbursement reviews this year")
    topic = first.topic
    reply = make_reply(topic, replier, raw="Our review was settled at **3%** after appeal.")
    send_pending()  # fans out the queued events, then sends

    inbox = smtp.handler.to("watcher@example.org")
    subjects = [m.message["Subject"].strip() for m in inbox]
    assert subjects == ["[LMC Hub] [Premises] Rent reimbursement reviews this year"] * 2
    opening, answer = inbox
    root = opening.message["Message-ID"].strip()
    assert root.startswith(f"<topic/{topic.id}@")
    assert answer.message["In-Reply-To"].strip() == root
    assert root in answer.message["References"]
    assert "3%" in answer.part("plain") and "<strong>3%</strong>" in answer.part("html")
    reply_to = answer.message["Reply-To"].strip()
    assert reply_to.startswith("reply+")

    incoming = EmailMessage()
    incoming["From"] = "Watcher <watcher@example.org>"
    incoming["To"] = reply_to
    incoming["Subject"] = "Re: " + answer.message["Subject"].strip()
    incoming["Message-ID"] = "<answer-1@mail.example.org>"
    incoming["In-Reply-To"] = answer.message["Message-ID"].strip()
    incoming.set_content(
        "Same here - 3% after appeal.\n\n"
        f"On 2 Dec 2026, LMC Hub <noreply@lmchub.localhost> wrote:\n> {reply.raw}\n"
    )
    result = runner.invoke(args=["forum", "mail", "receive"], input=incoming.as_bytes())
    assert result.exit_code == 0, result.output

    posted = db.session.scalars(
        select(Post).where(Post.topic_id == topic.id).order_by(Post.post_number)
    ).all()
    assert posted[-1].user_id == watcher.id
    assert posted[-1].raw.strip() == "Same here - 3% after appeal."
    # The same message delivered again posts nothing more.
    again = runner.invoke(args=["forum", "mail", "receive"], input=incoming.as_bytes())
    assert again.exit_code == 0
    count = len(db.session.scalars(select(Post).where(Post.topic_id == topic.id)).all())
    assert count == len(posted)
