from django.shortcuts import render
from django.utils import timezone

from finder import search as patient_search


def search(request):
    """The home page: the patient search, every filter in the URL, answered 400 when one is wrong."""
    outcome = patient_search.run(request.GET, timezone.localdate())
    return render(request, "finder/search.html", {"search": outcome}, status=outcome.status_code)
