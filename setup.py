"""For ``scrapyd-deploy`` (scrapyd-client), which builds the Scrapyd egg with
``python setup.py bdist_egg``; everything else is in pyproject.toml."""

from setuptools import setup

setup()
