from urllib.parse import urlsplit

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from finder import places, presenting
from finder.forms import NearForm
from trials.models import Study
from trials.records import NCT_ID


def study_detail(request, nct_id):
    """One study in plain words; any id we do not hold, well-formed or not, gets a friendly 404."""
    wanted = nct_id.strip().upper()
    well_formed = bool(NCT_ID.fullmatch(wanted))
    study = Study.objects.filter(nct_id=wanted).first() if well_formed else None
    if study is None:
        shown = wanted if well_formed else nct_id
        return render(request, "404.html", {"nct_id": shown, "well_formed": well_formed}, status=404)
    site_rows = list(study.sites.all())
    can_sort_sites = any(site.latitude is not None for site in site_rows)
    near_text = " ".join(request.GET.get("near", "").split())
    origin, near_error, suggestions = _origin(NearForm(request.GET)) if can_sort_sites else (None, "", [])
    sites = presenting.shown_sites(site_rows, origin)
    context = {
        "study": study,
        "back_url": _search_url(request),
        "can_sort_sites": can_sort_sites,
        "near_text": near_text,
        "near_label": origin.label if origin else "",
        "near_error": near_error,
        "near_suggestions": suggestions,
        **presenting.study_page(study, sites, timezone.localdate()),
    }
    return render(request, "finder/study_detail.html", context, status=400 if near_error else 200)


def _origin(form: NearForm) -> tuple[places.Point | None, str, list[str]]:
    """The point `?near=` names, to sort sites by distance; else an error and places to suggest.

    A region (a state or a country) has no single point to measure from, so it sorts nothing.
    """
    if not form.is_valid():
        return None, " ".join(form.errors["near"]), []
    if not form.cleaned_data["near"]:
        return None, "", []
    try:
        place = places.resolve(form.cleaned_data["near"])
    except places.PlaceNotFound as exc:
        return None, exc.message, exc.suggestions
    return (place if isinstance(place, places.Point) else None), "", []


def _search_url(request) -> str:
    """The search the visitor came from, filters and all, or the empty search."""
    search = reverse("finder:search")
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        parts = urlsplit(referer)
        if parts.path == search:
            return f"{search}?{parts.query}" if parts.query else search
    return search
