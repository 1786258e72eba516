"""The page where a post's author (or staff) attaches objects to a post after writing it,
or takes them off. Attaching from the composer goes through the topic forms instead."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.attachments import queries, services
from forum.errors import ForumError
from forum.topics import queries as topic_queries

bp = Blueprint("attachments", __name__)


def _editable_post(post_id: int):
    post = topic_queries.get_post(current_user, post_id)
    if not current_user.is_authenticated:
        return post, redirect(url_for("accounts.login", next=request.path))
    services.check_editable(current_user, post)
    return post, None


@bp.route("/posts/<int:post_id>/attachments", methods=["GET", "POST"])
def manage(post_id):
    """GET lists the post's attachments with a form per type; POST attaches one."""
    post, sign_in = _editable_post(post_id)
    if sign_in:
        return sign_in
    errors, status = [], 200
    form = {"type": request.form.get("type", ""), "ref": request.form.get("ref", "")}
    if request.method == "POST":
        try:
            added = services.attach(current_user, post, form["type"], form["ref"])
        except ForumError as error:
            errors, status = list(error.messages), error.status
        else:
            flash("Attached." if added else "That is already attached.", "success")
            return redirect(url_for(".manage", post_id=post.id), 303)
    topic = post.topic
    shown = queries.for_posts(current_user, [post]).get(post.id, [])
    kinds = services.usable_types(topic.category)
    options = queries.choices(current_user._get_current_object(), topic.category, kinds)
    return (
        render_template(
            "topics/attachments.html",
            post=post,
            topic=topic,
            shown=shown,
            kinds=kinds,
            options=options,
            form=form,
            errors=errors,
        ),
        status,
    )


@bp.post("/posts/<int:post_id>/attachments/<int:attachment_id>/remove")
def remove(post_id, attachment_id):
    post, sign_in = _editable_post(post_id)
    if sign_in:
        return sign_in
    services.detach(current_user, post, attachment_id)
    flash("Attachment removed from the post (the item itself is unchanged).", "success")
    return redirect(url_for(".manage", post_id=post.id), 303)
