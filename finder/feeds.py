from django.contrib.syndication.views import Feed


class SearchFeed(Feed):
    title = "TrialFinder"
    link = "/"

    def items(self):
        return []
