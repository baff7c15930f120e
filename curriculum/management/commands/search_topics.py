"""manage.py search_topics QUERY: the site's topic search from the shell, as text or JSON."""

import html
import json
import re

from django.core.management.base import BaseCommand

from curriculum.search import topic_search


class Command(BaseCommand):
    help = "Search the topics as the search page does (ranked, with snippets and spelling correction)."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args, query: str, **options):
        results = topic_search(query=query)
        hits = [
            {
                "slug": h.topic.slug,
                "title": h.topic.title,
                "snippet": html.unescape(re.sub(r"</?mark>", "**", h.snippet)),
            }
            for h in results.hits
        ]
        if options["json"]:
            payload = {"query": query, "corrected": results.corrected, "suggestion": results.suggestion}
            self.stdout.write(json.dumps({**payload, "hits": hits}, indent=2))
            return
        if results.corrected:
            self.stdout.write(f"Nothing matched {query!r}; results for {results.corrected!r}:")
        for hit in hits:
            self.stdout.write(f"{hit['slug']:40} {hit['title']}\n    {hit['snippet']}")
