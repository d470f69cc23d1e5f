# One image for the web server, the Celery worker and beat; docker-compose.yml runs it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Only the runtime requirements: the test tools and embedded servers stay out of the image.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# The key only lets settings load for this step; the containers get the real one at run time.
RUN DJANGO_DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0

RUN useradd --create-home trialfinder && mkdir -p var && chown trialfinder var
USER trialfinder

EXPOSE 8000
CMD ["gunicorn", "trialfinder.wsgi", "--preload", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
