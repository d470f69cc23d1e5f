import os

from django.core.wsgi import get_wsgi_application

from trials import gazetteer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trialfinder.settings")

application = get_wsgi_application()

# Place searches need the offline gazetteer: build it before the first request rather than
# during it. With gunicorn's --preload (Procfile), the master builds it once for every worker.
gazetteer.warm()
