from django.shortcuts import get_object_or_404, render

from trials.models import Study


def study_detail(request, nct_id):
    study = get_object_or_404(Study, nct_id=nct_id.upper())
    return render(request, "finder/study_detail.html", {"study": study})
