from django.urls import path

from finder.feeds import AtomSearchFeed, SearchFeed
from finder.views import search, study

app_name = "finder"
urlpatterns = [
    path("", search.search, name="search"),
    path("feed/", SearchFeed(), name="feed"),
    path("feed/atom/", AtomSearchFeed(), name="feed-atom"),
    path("studies/<str:nct_id>/", study.study_detail, name="study"),
]
