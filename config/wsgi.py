import os

from django.core.wsgi import get_wsgi_application

# No DJANGO_SETTINGS_MODULE means production, whose settings refuse to start without their required variables:
# a server can never fall back to the development settings (DEBUG on, SQLite). `make run` sets dev explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
