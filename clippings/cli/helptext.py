"""Each subcommand's exit statuses and one example, shown under its ``--help``."""

from __future__ import annotations

import argparse
import textwrap

USAGE = "2 the command line is wrong (one line says why)"
# Each subcommand's exit statuses and one example, shown under its --help.
EPILOGS = {
    "crawl": (
        "exit statuses: 0 every crawl finished and is healthy; 1 a crawl failed (output, state), raised an"
        " extraction-health alarm or was stopped by one Ctrl-C or SIGTERM (the pages in flight finished);"
        f" {USAGE}, or the JOBDIR's crawl has finished; 75 another crawl is writing a site of this collection"
        " (try later); 130 or 143 a second Ctrl-C or SIGTERM ended it at once",
        "clippings crawl le360 almaghribtoday --output /srv/clippings/output",
    ),
    "validate": (
        f"exit statuses: 0 every line is valid; 1 a line is invalid or a file unreadable (each named); {USAGE}",
        "clippings validate output/",
    ),
    "export": (
        f"exit statuses: 0 written; 1 the target could not be written, or lines were skipped (named); {USAGE}",
        "clippings export output/ --to articles.parquet",
    ),
    "status": (
        "exit statuses: 0 every site's last run is ok; 1 one is not (failed, alarm, errors, stopped, forced,"
        f" interrupted, old, no run); {USAGE}",
        "clippings status output/ --max-age 2h || mail -s 'clippings' ops@example.org",
    ),
    "report": (
        f"exit statuses: 0 written or printed; 1 the HTML file could not be written; {USAGE}",
        "clippings report output/ --to report.html --days 30",
    ),
    "fixture": (
        f"exit statuses: 0 done (show: every field as expected); 1 show: a field differs; {USAGE}",
        "clippings fixture show fixtures/le360/2025-09-09_bourita",
    ),
    "fixture show": (
        f"exit statuses: 0 every field as expected; 1 a field differs; {USAGE}",
        "clippings fixture show fixtures/le360/2025-09-09_bourita",
    ),
    "fixture save": (
        f"exit statuses: 0 saved; {USAGE}",
        "clippings fixture save https://fr.le360.ma/politique/... --from pages.warc.gz --name bourita",
    ),
    "record": (
        f"exit statuses: 0 every page saved; 1 a page could not be fetched; {USAGE}. Writes no run history.",
        "clippings record https://fr.le360.ma/politique/... --to pages.warc.gz",
    ),
    "reextract": (
        "exit statuses: 0 done and healthy; 1 an output failure, an extraction-health alarm, a shard,"
        f" file or page given up, or one Ctrl-C or SIGTERM; {USAGE}; 75 a crawl is writing a site of"
        " this collection (try later); 130 or 143 a second Ctrl-C or SIGTERM ended it at once",
        "clippings reextract archives/ --output output/",
    ),
    "writer": (
        "exit statuses: 0 ended (--until-idle) or stopped by Ctrl-C or SIGTERM; 1 a run it closed raised an"
        f" alarm or failed; {USAGE}, or Redis cannot be used; 75 another process writes this collection",
        "clippings writer --cluster redis://:secret@10.0.0.5:6379/0 --output /srv/clippings/output",
    ),
    "pack": (
        f"exit statuses: 0 written; {USAGE}",
        "clippings pack fixtures/ --to fixtures.warc.gz",
    ),
}


def epilog(command: str) -> dict[str, object]:
    statuses, example = EPILOGS[command]
    text = textwrap.fill(f"{statuses}.", 79, break_on_hyphens=False)
    return {"epilog": f"{text}\n\nexample:\n  {example}", "formatter_class": argparse.RawDescriptionHelpFormatter}
