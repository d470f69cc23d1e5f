"""A feed for every search: follow the studies that newly match it or change, without an account.

`/feed/?<the search's parameters>` (RSS 2.0) and `/feed/atom/?...` (Atom), like the RSS
links ClinicalTrials.gov offers beside its own searches.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from finder import presenting
from finder import search as patient_search


class SearchFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except patient_search.BadSearch as exc:
            return HttpResponseBadRequest(
                f"This feed's search could not be understood: {exc}", content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request):
        criteria, studies = patient_search.feed(request.GET, timezone.localdate())
        query = request.GET.urlencode()
        return {"criteria": criteria, "studies": studies, "query": f"?{query}" if query else ""}

    def title(self, search):
        return f"TrialFinder: {patient_search.describe(search['criteria'])}"

    def link(self, search):
        return reverse("finder:search") + search["query"]

    def description(self, search):
        return (
            "ALS studies that match this search, the most recently updated first. "
            "A study appears again each time its record changes."
        )

    def items(self, search):
        return search["studies"]

    def item_title(self, study):
        return study.brief_title

    def item_description(self, study):
        facts = [presenting.status_name(study.overall_status), *presenting.names_of(presenting.PHASE_NAMES, study.phases)]
        summary = Truncator(" ".join(study.brief_summary.split())).words(60)
        return ". ".join(fact for fact in facts + [summary] if fact)

    def item_link(self, study):
        return reverse("finder:study", args=[study.nct_id])

    def item_guid(self, study):
        # A new id for each update, so feed readers show a changed study as new.
        return f"{study.nct_id}@{study.last_update_posted or study.synced_at:%Y-%m-%d}"

    item_guid_is_permalink = False

    def item_pubdate(self, study):
        if study.last_update_posted:
            return datetime.datetime.combine(study.last_update_posted, datetime.time(), datetime.UTC)
        return study.synced_at

    def item_updateddate(self, study):
        return self.item_pubdate(study)


class AtomSearchFeed(SearchFeed):
    feed_type = Atom1Feed

    def subtitle(self, search):
        return self.description(search)
