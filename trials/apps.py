from django.apps import AppConfig


class TrialsConfig(AppConfig):
    """Studies, their sync from ClinicalTrials.gov, and their labels."""

    name = "trials"
