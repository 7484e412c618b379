"""Crawls past one machine: crawl nodes and one writer, meeting in Redis. Imports no Scrapy.

``keys`` names every Redis key; ``connect`` opens the connection (redis-py, the optional
``clippings[cluster]`` extra, imported only here); ``messages`` is what nodes send the
writer on the stream; ``mirror`` the articles' state rows the writer copies into Redis for
the nodes' plans (and ``MirrorStore``, the state a node plans with); ``writer`` the
collection's only writer; ``runs`` the runs the writer follows, and their history lines;
``lease`` one node per site's live origin. The Scrapy side (the node's scheduler, pipeline
and extension) is ``clippings.crawl.cluster``. docs/cluster.md says how it is run.
"""
