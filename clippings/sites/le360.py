"""le360, French edition (fr.le360.ma): Arc XP pages, older pre-Arc pages, AMP pages."""

from __future__ import annotations

import re

from clippings.sites.base import Site, has_class

HOST = "fr.le360.ma"

SITE = Site(
    name="le360",
    language="fr",
    hosts=frozenset({HOST}),
    # /<section>/<slug>_<26-char Arc id>/ ; pre-Arc pages: /<section>/<slug>-<number>
    article_url=re.compile(
        r"^https?://fr\.le360\.ma/(?:[a-z0-9-]+/)+[^/?#]*?"
        r"(?:_(?P<id>[A-Z0-9]{26})/?|-(?P<old_id>\d{5,})/?)(?:[?#].*)?$"
    ),
    robots_url=f"https://{HOST}/robots.txt",
    feed_urls=(f"https://{HOST}/arc/outboundfeeds/rss/?outputType=xml",),
    sitemap_urls=(f"https://{HOST}/sitemap_index.xml",),
    # Section fronts (page 1); later pages are ?page=N (rel="next").
    listing_urls=tuple(
        f"https://{HOST}/{section}/"
        for section in ("politique", "economie", "societe", "monde", "afrique", "sports", "culture")
    ),
    listing_url=re.compile(r"^https?://fr\.le360\.ma/(?:[a-z0-9-]+/){1,2}(?:\?page=\d+)?$"),
    # Arc renders every story as AMP too: fetched when the page itself answers 404.
    article_fallbacks=("{url}?outputType=amp",),
    non_article_urls=(
        (re.compile(r"^https?://[^/]+/videos?/"), "video"),
        (re.compile(r"^https?://[^/]+/(?:tags?|auteurs?|authors?|recherche|search)/"), "listing"),
    ),
    title_suffix=re.compile(r"\s*[|–-]\s*[Ll]e ?360(?:\.ma)?\s*$"),
    title_xpaths=("//article//h1", "//h1"),
    lead_xpaths=(
        "//*[@class][contains(@class,'subheadline') or contains(@class,'sub-headline')"
        " or contains(@class,'standfirst') or contains(@class,'chapo') or contains(@class,'article-intro')"
        " or contains(@class,'lead') or contains(@class,'description')]"
        "[not(self::figure or self::img or .//img or .//amp-img or .//figure)]"
        "[not(ancestor::*[contains(@class,'card') or contains(@class,'related')])]",
    ),
    description_is_lead=True,
    byline_xpaths=(
        "//*[@class][contains(@class,'byline') or contains(@class,'author') or contains(@class,'auteur')"
        " or contains(@class,'attribution')][starts-with(normalize-space(.),'Par ')]",
    ),
    author_prefixes=("Par ", "par ", "By "),
    date_xpaths=(),
    section_xpaths=(
        "//*[@class][contains(@class,'kicker') or contains(@class,'overline') or contains(@class,'rubrique')"
        " or contains(@class,'section-name')]",
        "//*[@class][contains(@class,'breadcrumb')]//li[last()]",
        "//*[@class][contains(@class,'breadcrumb')]//a[last()]",
    ),
    tag_xpaths=(
        "//*[@class][contains(@class,'tags') or contains(@class,'hashtag') or contains(@class,'keywords')]//a",
    ),
    caption_xpaths=(
        "//article//figure//figcaption",
        "//figure//figcaption",
        "//*[@class][contains(@class,'caption') or contains(@class,'legende')]",
    ),
    credit_patterns=(
        re.compile(r"\s*(?:©|Copyright|Crédit|Credit|Photo\s*:)\s*.*$", re.IGNORECASE),
    ),
    body_xpaths=(
        "//*[@id='article-body']",  # Arc (Fusion) pages
        f"//*[@class][{has_class('b-article-body')}]",
        f"//*[@class][{has_class('article-text')}]",  # Arc pages of the "article-page" template
        f"//*[@class][{has_class('amp-article-body')}]",  # ?outputType=amp
        "//*[@property='content:encoded']",  # pre-Arc (Drupal) pages
    ),
    prune_xpaths=(
        "//*[@class][contains(@class,'related') or contains(@class,'most-read') or contains(@class,'mostread')"
        " or contains(@class,'les-plus-lus') or contains(@class,'newsletter') or contains(@class,'share')"
        " or contains(@class,'social') or contains(@class,'cookie') or contains(@class,'didomi')"
        " or contains(@class,'onetrust') or contains(@class,'tags') or contains(@class,'hashtag')"
        " or contains(@class,'read-also') or contains(@class,'lire-aussi') or contains(@class,'ticker')"
        " or contains(@class,'byline') or contains(@class,'breadcrumb') or contains(@class,'kicker')"
        " or contains(@class,'overline') or contains(@class,'advert') or contains(@class,' ad-')"
        " or contains(@class,'revue')]",
        "//*[@id='didomi-host' or @id='onetrust-consent-sdk']",
        "//figure",
        "//figcaption",
        "//amp-ad | //amp-analytics | //amp-sidebar",
    ),
    stop_markers=(
        "Les contenus liés",
        "LEs contenus liés",
        "Contenus liés",
        "Articles les plus lus",
        "Les plus lus",
        "Revues de presse",
        "Voir plus",
        "À lire aussi",
        "Newsletter",
        "Recevez notre newsletter",
    ),
    drop_line_patterns=(
        re.compile(r"^\s*(?:À\s+)?[Ll]ire aussi\s*:?", re.IGNORECASE),
        re.compile(r"^\s*(?:#[^#\s][^#]*){2,}$"),
        re.compile(r"^\s*Par\s+[^.]{2,80}$"),
        re.compile(r"^\s*(?:Publié\s+)?[Ll]e \d{1,2}/\d{1,2}/\d{4} à \d{1,2}h\d{2}\s*$"),
        re.compile(r"^\s*Mis à jour le .{6,40}$"),
        re.compile(r"^\s*©|Tous droits réservés|En poursuivant votre navigation|utilisation de(?:s)? cookies"),
    ),
    soft_404_markers=("Page introuvable", "Page non trouvée", "Erreur 404", "404 - Page"),
)
