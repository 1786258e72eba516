"""``flask forum mail send|receive|status``: the commands a cron job and a mail server run."""

from __future__ import annotations

from flask.cli import AppGroup

mail_group = AppGroup("mail", help="Send queued e-mail and receive replies by e-mail.")


def _add_commands() -> None:
    from forum.mail.receive import receive_command
    from forum.mail.sender import send_command, status_command

    for command in (send_command, receive_command, status_command):
        mail_group.add_command(command)


_add_commands()
