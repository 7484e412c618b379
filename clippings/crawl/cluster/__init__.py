"""A crawl node of a cluster run (``clippings crawl SITE --cluster URL --run RUN_ID``), Scrapy side.

``setup.node_settings`` (applied by the add-on when ``CLIPPINGS_CLUSTER`` is set) puts in
scrapy-redis's scheduler and dupefilter with keys per run and site (``scheduler``), the
stream pipeline at the writer's place (``pipeline``) and the node extension (``node``): the
seeding, the heartbeat, the idle close, the site lease of a live crawl, the run's start and
end messages. The Redis side without Scrapy is ``clippings.cluster``.
"""
