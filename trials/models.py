"""Studies as ClinicalTrials.gov serves them, their sites, and sync runs.

The whole v2 record is kept in `Study.raw`; the columns beside it are the
parts the pages filter, sort and show, parsed by `trials.parsing`.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Upper

from trials.querysets import StudyQuerySet, label_bits_expression, label_words_expression, unit_vector


class Status(models.TextChoices):
    """`protocolSection.statusModule.overallStatus`, in the registry's own words."""

    RECRUITING = "RECRUITING", "Recruiting"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", "Not yet recruiting"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", "Enrolling by invitation"
    AVAILABLE = "AVAILABLE", "Expanded access available"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", "Active, not recruiting"
    COMPLETED = "COMPLETED", "Completed"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE", "No longer available"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE", "Temporarily not available"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING", "Approved for marketing"
    WITHHELD = "WITHHELD", "Withheld"
    UNKNOWN = "UNKNOWN", "Unknown status"


# Statuses in which a person can still ask to take part.
OPEN_STATUSES = (
    Status.RECRUITING,
    Status.NOT_YET_RECRUITING,
    Status.ENROLLING_BY_INVITATION,
    Status.AVAILABLE,
)


class Phase(models.TextChoices):
    EARLY_PHASE1 = "EARLY_PHASE1", "Early phase 1"
    PHASE1 = "PHASE1", "Phase 1"
    PHASE2 = "PHASE2", "Phase 2"
    PHASE3 = "PHASE3", "Phase 3"
    PHASE4 = "PHASE4", "Phase 4"
    NA = "NA", "Not applicable"


class StudyType(models.TextChoices):
    INTERVENTIONAL = "INTERVENTIONAL", "Interventional (tests a treatment)"
    OBSERVATIONAL = "OBSERVATIONAL", "Observational (no treatment given)"
    EXPANDED_ACCESS = "EXPANDED_ACCESS", "Expanded access"


class Sex(models.TextChoices):
    ALL = "ALL", "All"
    FEMALE = "FEMALE", "Female"
    MALE = "MALE", "Male"


def _text_list():
    return ArrayField(models.TextField(), default=list, blank=True)


def _code_list():
    return ArrayField(models.CharField(max_length=32), default=list, blank=True)


class Study(models.Model):
    nct_id = models.CharField("NCT number", max_length=11, unique=True)
    brief_title = models.TextField()
    official_title = models.TextField(blank=True)
    acronym = models.TextField(blank=True)
    brief_summary = models.TextField(blank=True)
    detailed_description = models.TextField(blank=True)

    overall_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    status_verified_date = models.DateField(null=True, blank=True)
    why_stopped = models.TextField(blank=True)
    study_type = models.CharField(max_length=20, choices=StudyType.choices, blank=True)
    conditions = _text_list()
    keywords = _text_list()
    # [{"type", "name", "other_names": [...], "description"}]
    interventions = models.JSONField(default=list, blank=True)
    # [{"label", "type", "description", "intervention_names": [...]}]
    arm_groups = models.JSONField(default=list, blank=True)

    # Ages in years (fractions for "6 Months"); null means no limit.
    minimum_age_years = models.FloatField(null=True, blank=True)
    maximum_age_years = models.FloatField(null=True, blank=True)
    sex = models.CharField(max_length=6, choices=Sex.choices, blank=True)
    healthy_volunteers = models.BooleanField(null=True, blank=True)
    eligibility_criteria = models.TextField(blank=True)

    lead_sponsor = models.TextField(blank=True)
    collaborators = _text_list()
    enrollment = models.PositiveIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    primary_completion_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    first_posted = models.DateField(null=True, blank=True)
    last_update_posted = models.DateField(null=True, blank=True)
    # [{"name", "role", "phone", "phone_ext", "email"}]
    central_contacts = models.JSONField(default=list, blank=True)

    # Derived labels in the codes of TAXONOMY.md, with the phrases behind them.
    phases = _code_list()
    routes = _code_list()
    cell_types = _code_list()
    cell_sources = _code_list()
    donors = _code_list()
    label_evidence = models.JSONField(default=dict, blank=True)
    # The labels above as bits (trials.querysets.LABEL_BITS), for counting search options.
    label_bits = models.GeneratedField(
        expression=label_bits_expression(), output_field=models.BigIntegerField(), db_persist=True
    )

    # The record's own text says participants pay (see trials.flags), kept as a column so
    # searches can hide such studies in SQL; flag_evidence holds {"pays": [{"field", "phrase"}]}.
    pays_flag = models.BooleanField(default=False)
    flag_evidence = models.JSONField(default=dict, blank=True)

    # Intervention names, other names, conditions, keywords and sponsors as
    # one text, because generated columns cannot read arrays or JSON.
    search_terms = models.TextField(blank=True)
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("brief_title", "official_title", "acronym", weight="A", config="english")
            + SearchVector("search_terms", weight="B", config="english")
            + SearchVector(label_words_expression(), weight="B", config="english")
            + SearchVector("brief_summary", weight="C", config="english")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    raw = models.JSONField(help_text="The whole record as the API served it.")
    raw_hash = models.CharField(max_length=64, help_text="Detects unchanged records.")
    synced_at = models.DateTimeField()
    # A study that leaves the sync's scope is kept and flagged, never deleted.
    in_scope = models.BooleanField(default=True)

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "studies"
        indexes = [
            GinIndex(fields=["search_vector"], name="study_search_gin"),
            # The search's copy of the studies (finder.searchindex) is read from this index alone
            # (an index-only scan), never from the wide table rows.
            models.Index(
                fields=["id"],
                include=[
                    "in_scope", "overall_status", "study_type", "label_bits", "sex", "healthy_volunteers",
                    "pays_flag", "minimum_age_years", "maximum_age_years", "last_update_posted",
                    "status_verified_date", "completion_date", "first_posted", "nct_id",
                ],
                name="study_search_counts",
            ),
        ]

    def __str__(self):
        return f"{self.nct_id}: {self.brief_title}"

    @property
    def registry_url(self):
        return f"https://clinicaltrials.gov/study/{self.nct_id}"


class Site(models.Model):
    """One location of a study, as listed in its contactsLocationsModule."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="sites")
    facility = models.TextField(blank=True)
    city = models.TextField(blank=True)
    state = models.TextField(blank=True)
    postal_code = models.TextField(blank=True)
    country = models.TextField(blank=True)
    status = models.CharField(max_length=32, blank=True)
    # From the record's geoPoint (city-level); null when the registry gave none.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The same position as a unit vector, so searches measure distances with a few
    # multiplications (finder.searchindex, trials.querysets._closeness).
    x, y, z = (
        models.GeneratedField(expression=axis, output_field=models.FloatField(), db_persist=True)
        for axis in unit_vector("latitude", "longitude")
    )
    # [{"name", "role", "phone", "phone_ext", "email"}]
    contacts = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            # Places the gazetteer lacks are looked up among the sites (finder.places).
            models.Index(Upper("city"), name="site_city"),
            models.Index(Upper("postal_code"), name="site_postal_code"),
        ]

    def __str__(self):
        return ", ".join(part for part in (self.facility, self.city, self.country) if part)


class SyncRun(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "Incremental"
        IMPORT = "import", "Import from files"

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (no new data)"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    api_version = models.CharField(max_length=20, blank=True)
    # The registry's data load time (GET /version dataTimestamp).
    data_timestamp = models.DateTimeField(null=True, blank=True)
    # The newest lastUpdatePostDate this run stored; incremental runs start from it.
    watermark = models.DateField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.get_kind_display()} sync {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"
