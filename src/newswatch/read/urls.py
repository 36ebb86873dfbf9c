"""An article's URL -> the one form in which URLs are compared: :func:`article_url`.

A page, a WARC record, a scraper's JSON and a text's ``Kaynak/Source:`` trailer each carry
the URL of the article they hold, written in whatever form the site, the crawler or the
aggregator used: ``http://WWW.Example.com:80/news/story/?utm_source=rss#comments`` and
``https://example.com/news/story`` are one article. Every URL that enters newswatch goes
through :func:`article_url` once, where it enters, and every comparison uses that form.

What is folded (WHATWG URL parsing for the parts, then the usual normalisations of
crawlers, e.g. RFC 3986 section 6 and courlan's): the scheme (``http`` and ``https`` are
one page), the host's case, a leading ``www.``, a default port, a trailing slash, the
fragment, percent-escapes of unreserved characters, the order of query parameters, and
the parameters that only say where a reader came from (``utm_*``, ``fbclid``, ``gclid``
and their kind: :data:`TRACKING`). A site's home page names no article, so a URL with no
path is no article's URL (``None``), nor is anything that is not an http(s) URL.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "cmpid",
        "ocid",
        "ito",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "smid",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "s_cid",
    }
)
"""Query parameters that say how a reader arrived (campaign, click and share ids), never
which article: Google Analytics' ``utm_*`` (matched by prefix), the ad networks' click ids,
newsletter and share tags the large news sites append (Adobe's ``cmpid``, MSN's
``ocid``, the BBC's ``at_*``, the New York Times' ``smid``)."""
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = "-._~"
_SLASHES = re.compile(r"/{2,}")


def article_url(raw: str | None) -> str | None:
    """The compared form of an article's URL, or None when ``raw`` names no article (not
    an http(s) URL, or a site's home page). See the module docstring for what is folded."""
    if not raw:
        return None
    text = raw.strip()
    if text.startswith("//"):
        text = "https:" + text
    elif text.lower().startswith("www."):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host or " " in host:
        return None
    host = _host(host)
    if host.startswith("www."):
        host = host[4:]
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = _SLASHES.sub("/", _escaped(parts.path)).rstrip("/")
    query = _query(parts.query)
    if not path and not query:
        return None  # the home page of a site: no article's URL
    return f"https://{host}{path}" + (f"?{query}" if query else "")


def host_of(url: str | None) -> str | None:
    """The host of a URL as :func:`article_url` writes it (no ``www.``), for an outlet
    that names itself nowhere else."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = _host(host.rstrip("."))
    return host[4:] if host.startswith("www.") else host


def same_site(one: str | None, other: str | None) -> bool:
    """Two URLs of one site: one host is the other or inside it (``m.bbc.co.uk`` and
    ``bbc.co.uk``)."""
    a, b = host_of(one) or "", host_of(other) or ""
    return bool(a and b) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def _host(host: str) -> str:
    """Lower case, and an internationalised name in its Unicode form (``xn--`` labels
    decoded), as a reader would write it."""
    host = host.lower()
    if "xn--" in host:
        with contextlib.suppress(UnicodeError):
            host = host.encode("ascii").decode("idna")
    return host


def _escaped(part: str) -> str:
    """Percent-escapes in one form: unreserved characters unescaped, every other character
    escaped as UTF-8 in upper case (``%7e`` is ``~``; ``ü`` and ``%c3%bc`` are ``%C3%BC``)."""
    return quote(unquote(part), safe="/:@!$&'()*+,;=" + _UNRESERVED)


def _query(query: str) -> str:
    if not query:
        return ""
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name.lower() not in TRACKING and not name.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlencode(sorted(kept), quote_via=quote)
