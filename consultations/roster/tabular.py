"""Reading a roster file: CSV (GBK or UTF-8, with or without BOM) or XLSX, into rows.

tablib does the CSV and XLSX plumbing; charset-normalizer guesses the encoding of a CSV
file, since offices on Chinese Windows save CSV as GBK while others save UTF-8.
"""

import io

import tablib
from charset_normalizer import from_bytes

# When a file is not valid UTF-8, charset-normalizer chooses among the encodings Chinese
# offices' software writes (GB18030 is the superset of GBK and GB2312).
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16"]


class UnreadableFile(ValueError):
    pass


def decode_csv(content):
    """The text of a CSV file whose encoding is not known in advance."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(content, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise UnreadableFile("unknown encoding")
    return str(best)


def read_table(content, filename):
    """(headers, rows) of an uploaded file; rows are lists of cell values (str, date…)."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        elif name.endswith(".csv") or name.endswith(".txt"):
            dataset = tablib.Dataset().load(decode_csv(content), format="csv")
        else:
            raise UnreadableFile("unsupported format")
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure is a bad file
        raise UnreadableFile(str(error))
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    if not any(headers):
        raise UnreadableFile("no header row")
    rows = [list(row) for row in dataset]
    return headers, rows
