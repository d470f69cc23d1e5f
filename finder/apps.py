from django.apps import AppConfig


class FinderConfig(AppConfig):
    """The public pages: search, study pages and feeds."""

    name = "finder"
