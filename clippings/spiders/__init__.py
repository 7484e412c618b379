"""One spider per site: ``scrapy list`` shows them."""
