"""Feeds whose links come from the configured base URL (Django's feeds use the request's host)."""

from django.contrib.syndication.views import Feed

from home.links import rebase


class PortalFeed(Feed):
    """A syndication Feed whose channel, self and item links are on PORTAL_BASE_URL."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for key in ("link", "feed_url", "id"):
            if feed.feed.get(key) and "://" in str(feed.feed[key]):
                feed.feed[key] = rebase(feed.feed[key])
        for item in feed.items:
            for key in ("link", "unique_id"):
                if item.get(key) and "://" in str(item[key]):
                    item[key] = rebase(item[key])
        return feed
