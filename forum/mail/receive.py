"""Reply by e-mail (to be written)."""

import click


@click.command("receive")
def receive_command():
    """Read one RFC 822 message on standard input and post it as a reply."""
    raise click.ClickException("not written yet")
