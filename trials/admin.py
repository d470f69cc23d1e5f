"""Admin pages for looking into the data: studies and sites are read-only (syncs own them)."""

from django.contrib import admin

from trials.models import Site, Study, SyncRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by syncs: to look at, not to edit by hand (the next sync would undo it)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SiteInline(admin.TabularInline):
    model = Site
    fields = ["facility", "city", "state", "country", "status", "latitude", "longitude"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Study)
class StudyAdmin(ReadOnlyAdmin):
    list_display = ["nct_id", "brief_title", "overall_status", "phases", "cell_types", "last_update_posted", "in_scope"]
    list_filter = ["overall_status", "study_type", "in_scope", "pays_flag"]
    search_fields = ["nct_id", "brief_title", "official_title", "acronym"]
    date_hierarchy = "last_update_posted"
    ordering = ["nct_id"]
    inlines = [SiteInline]


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ["facility", "city", "country", "status", "study"]
    list_filter = ["country", "status"]
    search_fields = ["study__nct_id", "facility", "city"]
    list_select_related = ["study"]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at", "kind", "outcome", "fetched", "created", "updated", "unchanged", "failed", "finished_at",
    ]
    list_filter = ["kind", "outcome"]
    date_hierarchy = "started_at"
