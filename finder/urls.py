from django.urls import path

from finder.feeds import SearchFeed
from finder.views import search, study

app_name = "finder"
urlpatterns = [
    path("", search.search, name="search"),
    path("feed/", SearchFeed(), name="feed"),
    path("studies/<str:nct_id>/", study.study_detail, name="study"),
]
