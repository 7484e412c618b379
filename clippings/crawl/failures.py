"""What a failed request was: an error (a page the crawl was sent to fetch and could not
have) or a drop (a page not fetched on purpose), its reason and a line naming it.

Errors, counted ``errors/<reason>``:

- ``http_<status>``: an HTTP error other than 404/410 after the retries (503, 429, 403...);
- ``cut``: the body was cut short (``clippings.crawl.transfer``; Scrapy's data loss: the
  connection closed before ``Content-Length`` or the last chunk);
- ``timeout``: no answer within ``DOWNLOAD_TIMEOUT``, after the retries;
- ``download``: any other download failure (connection refused or reset, DNS, TLS, a
  redirect loop, a body over ``DOWNLOAD_MAXSIZE``).

Drops: ``dropped/robots_txt`` (forbidden by robots.txt) and ``dropped/offsite_redirect``
(a redirect off the site, not followed).
"""

from __future__ import annotations

from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.http import _DataLoss

from clippings.crawl.transfer import CutTransfer


def _data_loss(value: BaseException) -> bool:
    if isinstance(value, ResponseDataLossError):
        return True
    if isinstance(value, ResponseFailed):
        return any(isinstance(reason, Failure) and reason.check(_DataLoss) for reason in value.reasons)
    return False


def failure_reason(failure: Failure) -> tuple[str, str, str]:
    """(``errors`` or ``dropped``, reason, what to log after the URL) for a failed request."""
    value = failure.value
    response = getattr(value, "response", None)
    if response is not None:
        return "errors", f"http_{response.status}", f"HTTP {response.status} after the retries, nothing written"
    if isinstance(value, CutTransfer):
        return "errors", "cut", f"download failed: cut transfer: {value}"
    if _data_loss(value):
        return "errors", "cut", "download failed: cut transfer: connection closed before the end of the body"
    if isinstance(value, DownloadTimeoutError | TwistedTimeoutError):
        return "errors", "timeout", f"download failed: {failure.getErrorMessage() or 'timed out'}"
    message = failure.getErrorMessage() or repr(value)
    if isinstance(value, IgnoreRequest):
        if "robots.txt" in message:
            return "dropped", "robots_txt", message
        if message.startswith("redirect off the site"):
            return "dropped", "offsite_redirect", message
    # Some failures carry no message (a reset: ConnectionLost): their class is the reason.
    return "errors", "download", f"download failed: {message}"
