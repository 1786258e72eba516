"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

from forum import create_app

app = create_app()
