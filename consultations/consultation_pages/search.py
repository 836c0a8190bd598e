"""Chinese-friendly full-text search on top of Wagtail's search backends.

Chinese is written without spaces, so the database backends (SQLite FTS5, PostgreSQL
full-text) see "乙村河道整治" as one word and a search for "河道" finds nothing. Pages
therefore also index `search_tokens`: the text with every run of Chinese characters
written out as single characters and overlapping pairs ("河 道 河道 …"). A query is
turned into the same pairs and all of them must match.
"""

import re

from django.utils.html import strip_tags

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_index_tokens(text):
    """Index form: words as they are, plus Chinese single characters and pairs."""
    text = str(text or "")
    tokens = [text]
    for run in CJK_RUN.findall(text):
        tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(tokens)


def cjk_query(query):
    """Query form: Chinese runs become overlapping pairs (or the single character).

    Punctuation is dropped first: quotes, stars and brackets mean something to the
    full-text engines (SQLite FTS5 fails on an unmatched quote).
    """
    query = re.sub(r"[^\w\s]", " ", query)
    parts = []
    position = 0
    for match in CJK_RUN.finditer(query):
        parts.append(query[position : match.start()])
        run = match.group()
        pairs = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        parts.append(" " + " ".join(pairs) + " ")
        position = match.end()
    parts.append(query[position:])
    return " ".join("".join(parts).split())


def page_search_text(page, *fields):
    """The plain text of a page's title and the given fields, StreamFields included."""
    texts = [page.title]
    for name in fields:
        value = getattr(page, name, "")
        if hasattr(value, "raw_data"):  # a StreamField: keep its text blocks
            value = " ".join(
                strip_tags(str(block.value.source if hasattr(block.value, "source") else ""))
                for block in value
            )
        texts.append(str(value or ""))
    return cjk_index_tokens(" ".join(texts))
