"""Chainable query logic for studies, so views read like sentences."""

from django.db import models


class StudyQuerySet(models.QuerySet):
    pass
