"""le360, French edition (fr.le360.ma): Arc XP pages, older pre-Arc pages, AMP pages."""

from __future__ import annotations

import re

from clippings.sites.base import HASHTAG_ROW, Site, class_words, has_class

HOST = "fr.le360.ma"


SITE = Site(
    name="le360",
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
    arc_website="le360",
    title_xpaths=("//h1",),
    lead_xpaths=(
        "//*[@class][{}]".format(
            class_words("subheadline", "sub-headline", "standfirst", "chapo", "article-intro", "lead")
        )
        + "[not(self::figure or self::img or .//img or .//amp-img or .//figure)][not(ancestor::*[@class][{}])]".format(
            class_words("card", "related")
        ),
    ),
    page="clippings.sites.le360.page:Le360Page",
    byline_xpaths=(
        "//*[@class][{}][starts-with(normalize-space(.),'Par ')]".format(
            class_words("byline", "author", "auteur", "attribution")
        ),
    ),
    author_prefixes=("Par ", "par ", "By "),
    tag_xpaths=("//*[@class][{}]//a".format(class_words("tags", "tag-list", "hashtags", "keywords")),),
    caption_xpaths=(
        "//article//figure//figcaption",
        "//*[@class][{}]".format(class_words("caption", "legende")),
    ),
    credit_patterns=(re.compile(r"\s*(?:©|Copyright|Crédit|Credit|Photo\s*:)\s*.*$", re.IGNORECASE),),
    # Each rule names the templates it is for, as fixtures/le360/*/meta.json name them
    # (docs/sites/le360.md); arc-noans pages have no container a rule knows.
    body_xpaths=(
        # templates arc-jsonld, arc-rich, arc-nonstandard (the Fusion page): read so when
        # its embedded story is not a standard one
        "//*[@id='article-body']",
        f"//*[@class][{has_class('article-text')}]",  # template arc-nojsonld (the "article-page" layout)
        f"//*[@class][{has_class('amp-article-body')}]",  # template amp (?outputType=amp)
        "//*[@property='content:encoded']",  # template pre-arc (Drupal)
    ),
    prune_classes=(
        "related",
        "most-read",
        "mostread",
        "les-plus-lus",
        "newsletter",
        "share",
        "partage",
        "social",
        "cookie",
        "didomi",
        "onetrust",
        "tags",
        "tag-list",
        "hashtags",
        "read-also",
        "lire-aussi",
        "ticker",
        "byline",
        "breadcrumb",
        "breadcrumbs",
        "kicker",
        "overline",
        "advert",
        "ad",
        "arcad",
        "adsbygoogle",
        "revue",
        "revues",
    ),
    prune_xpaths=(
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
        HASHTAG_ROW,
        re.compile(r"^\s*Par\s+[^.]{2,80}$"),
        re.compile(r"^\s*(?:Publié\s+)?[Ll]e \d{1,2}/\d{1,2}/\d{4} à \d{1,2}h\d{2}\s*$"),
        re.compile(r"^\s*Mis à jour le .{6,40}$"),
        re.compile(r"^\s*©"),
        re.compile(r"Tous droits réservés"),
        re.compile(r"En poursuivant votre navigation"),
        re.compile(r"utilisation de(?:s)? cookies"),
    ),
    soft_404_markers=("Page introuvable", "Page non trouvée", "Erreur 404", "404 - Page"),
)
