"""The spider's answers to what went wrong: HTTP errors (an article's fallback rendering
after a 404), download failures and cut transfers (errors, by reason:
``clippings.crawl.failures``), and what the incremental state must remember of them."""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from clippings.crawl.extensions.stops import Stopped
from clippings.crawl.failures import failure_reason
from clippings.crawl.listings import first_url
from clippings.crawl.middlewares import REPLAY_MISSING
from clippings.crawl.parts import Spider
from clippings.discovery import link_time


class Outcomes:
    """``NewsSpider``'s part that maps failures to counts, fallbacks and the state."""

    def on_error(self: Spider, failure: Failure) -> Iterator[Request]:
        """A request that gave no page. A page the crawl was sent to fetch and could not have
        counts under ``errors/<reason>`` (``failure_reason``), named in one line; a page
        refused on purpose (robots.txt, a redirect off the site) or gone (404, 410) is a drop."""
        request = failure.request
        if isinstance(failure.value, Stopped):
            return  # not fetched: the crawl is stopping (the next run, or the JOBDIR, has it)
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in (404, 410):
            fallback = self.fallback_request(request)
            if fallback is not None:
                self.count("pages/article_fallback")
                self.logger.info("%s: HTTP %d, trying %s", request.url, response.status, fallback.url)
                yield fallback
                return
        if response is not None and response.status in (404, 410):
            reason = f"http_{response.status}"
            if request.meta.get("source") and not request.meta.get("page"):
                # A feed or sitemap (one an index lists, maybe for a moment): what it lists
                # is not had, and a 304 on the index next time must not hide it. An error: a
                # site whose every feed and sitemap is missing gave the crawl nothing to do
                # (a replay's source lacking it is no fault of the site's: a drop).
                kind = "dropped" if REPLAY_MISSING in response.flags else "errors"
                self.count(f"{kind}/{reason}", url=request.url)
                self.logger.warning("%s: HTTP %d, the feed or sitemap is missing", request.url, response.status)
                self.mark_incomplete(f"HTTP {response.status} for {request.url}")
                return
            if REPLAY_MISSING in response.flags:
                # The replay's source lacks the page (never recorded, or its record could not
                # be read, named when it was opened): no answer of the site's. Counted (the
                # middleware's WARNING names it), not remembered as gone, and the feeds'
                # validators not kept: the next run, replayed or live, fetches it.
                self.count(f"dropped/{reason}", url=request.url)
                self.mark_incomplete(f"no saved response for {request.url}")
                return
            # The site's answer, counted and remembered (an article taken down, a fallback
            # that does not exist): INFO.
            self.count(f"dropped/{reason}", url=request.url)
            self.logger.info("%s: HTTP %d, nothing written", request.url, response.status)
            self.remember_dropped(response, reason)
            return
        kind, reason, detail = failure_reason(failure)
        self.count(f"{kind}/{reason}", url=request.url)
        if kind == "dropped":
            # robots.txt's refusals are the crawl's own rule (INFO); a redirect off the
            # site is a page that went elsewhere (WARNING).
            log = self.logger.info if reason == "robots_txt" else self.logger.warning
            log("%s: not fetched: %s", request.url, detail)
            if reason == "offsite_redirect":
                # Neither had nor given up (a site's maintenance page elsewhere, for a
                # moment): a 304 on the feed must not hide it from the next run.
                self.mark_incomplete(f"{request.url} redirected off the site")
            return
        self.logger.error("%s: %s", request.url, detail)
        # Every error leaves the page to the next run, an IgnoreRequest too (an HTTP error, a
        # redirect loop, a body over DOWNLOAD_MAXSIZE): the crawl's own refusals are drops,
        # and returned above. Saved validators would answer 304 over the page never had.
        self.mark_incomplete(f"{detail} for {request.url}")

    def cut_response(self: Spider, response: Response, reason: str) -> None:
        """A cut response that reached the spider (no retry middleware: a replay): an error."""
        self.count("errors/cut", url=response.url)
        self.logger.error("%s: download failed: cut transfer: %s", response.url, reason)
        self.mark_incomplete(f"cut transfer for {response.url}")

    def redirected_away(self: Spider, response: Response) -> None:
        """An article URL redirected to a page of the site that is no article (its home page,
        a section): the article is neither had nor given up. Said in one line naming both
        URLs, counted ``dropped/not_article`` with the article's URL, left to the next run."""
        asked = first_url(response)
        self.count("dropped/not_article", url=asked)
        self.logger.warning("%s: redirected to %s, not an article page; nothing written", asked, response.url)
        self.mark_incomplete(f"{asked} redirected to {response.url}")

    def fallback_request(self: Spider, request: Request) -> Request | None:
        """The article's next rendering (``Site.article_fallbacks``) after a 404, if any."""
        if not request.meta.get("article_id"):
            return None
        article_url = request.meta.get("fallback_of", request.url)
        tried = request.meta.get("fallbacks_tried", 0)
        if tried >= len(self.site.article_fallbacks) or "?" in article_url:
            return None
        url = self.site.article_fallbacks[tried].format(url=article_url)
        if not self.site.owns(url):
            return None
        follow = self.request(url, **{**request.meta, "fallback_of": article_url, "fallbacks_tried": tried + 1})
        # What Scrapy's downloader wrote on the first request is not the next one's.
        for name in (
            "redirect_urls",
            "redirect_times",
            "redirect_ttl",
            "redirect_reasons",
            "retry_times",
            "download_slot",
            "download_latency",
        ):
            follow.meta.pop(name, None)
        return follow

    def remember_dropped(self: Spider, response: Response, reason: str) -> None:
        article_id = response.meta.get("article_id")
        if self.incremental is not None and article_id:
            listed = link_time(response.meta.get("listed_date"))
            url = response.meta.get("fallback_of") or first_url(response)
            self.incremental.dropped(article_id, url, reason, listed)

    def mark_incomplete(self: Spider, why: str) -> None:
        if self.incremental is not None:
            self.incremental.incomplete(why)
