"""``--max-articles`` over a cluster run: the article requests planned, counted in Redis
for the run and site, so that all the nodes of a run together plan at most N (each node
plans the links of the feeds and sitemaps it reads). The count is read and then added to,
not in one step: two nodes planning at the same moment may pass N by one each."""

from __future__ import annotations

from typing import Any

from clippings.discovery.policy import CrawlPolicy


class SharedBudget(CrawlPolicy):
    """A ``CrawlPolicy`` whose ``article_requests`` is the run's count in Redis."""

    def __init__(self, policy: CrawlPolicy, client: Any, key: str) -> None:
        self.__dict__.update({k: v for k, v in vars(policy).items() if k != "article_requests"})
        self._client, self._key = client, key

    @property
    def article_requests(self) -> int:  # type: ignore[override]
        return int(self._client.get(self._key) or 0)

    @article_requests.setter
    def article_requests(self, value: int) -> None:
        self._client.incrby(self._key, value - self.article_requests)
