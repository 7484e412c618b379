"""The core: what an article is (``items``), its checks and normalisation (``normalize``,
``contract``), its line on disk (``output``) and the steps to it (``finish``), the run's counts
(``stats``, ``health``), the containers learned (``learning``), the writer's lock (``lock``),
and the operators' settings and arguments checked (``config``, ``arguments``). Imports no
Scrapy (the import contract in pyproject.toml holds it)."""
