from django.http import HttpResponse


def search(request):
    return HttpResponse("TrialFinder search is being built.")
