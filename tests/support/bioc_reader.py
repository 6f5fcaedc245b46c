#!/usr/bin/env python3
"""Reads a BioC JSON collection on its own terms, for the export test.

Checks the structure the BioC JSON format gives a collection (source, date,
key, infons, documents), its documents (id, infons, passages, relations), their
passages (offset, infons, text, sentences, annotations, relations) and
annotations (id, infons, text, locations of offset and length), that infons
are strings, and that each annotation's text is what its location covers in
the document text counted in code points. Then prints every passage and
annotation, one per line, tab-separated:

  P  document-id  offset  type  text
  A  document-id  passage-offset  offset  length  type  identifier  text

Exits 1 with a message naming the place of the first problem.
"""

import json
import sys


def fail(where, what):
    sys.exit(f"{where}: {what}")


def need(obj, key, kind, where):
    if not isinstance(obj, dict) or key not in obj:
        fail(where, f"missing {key}")
    if not isinstance(obj[key], kind):
        fail(where, f"{key} is not {kind.__name__}")
    return obj[key]


def infons(obj, where):
    values = need(obj, "infons", dict, where)
    for key, value in values.items():
        if not isinstance(value, str):
            fail(where, f"infon {key} is not a string")
    return values


def main(path):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    for key in ("source", "date", "key"):
        need(collection, key, str, "collection")
    infons(collection, "collection")
    out = []
    for d, document in enumerate(need(collection, "documents", list, "collection")):
        where = f"documents[{d}]"
        doc_id = need(document, "id", str, where)
        infons(document, where)
        need(document, "relations", list, where)
        # The document text: each passage's text at its offset.
        text = []
        for p, passage in enumerate(need(document, "passages", list, where)):
            pwhere = f"{where}.passages[{p}]"
            offset = need(passage, "offset", int, pwhere)
            body = need(passage, "text", str, pwhere)
            kind = infons(passage, pwhere).get("type", "")
            need(passage, "sentences", list, pwhere)
            need(passage, "relations", list, pwhere)
            if offset < len(text):
                fail(pwhere, f"offset {offset} overlaps the passage before")
            text.extend(" " * (offset - len(text)))
            text.extend(body)
            out.append(f"P\t{doc_id}\t{offset}\t{kind}\t{body}")
            for a, annotation in enumerate(need(passage, "annotations", list, pwhere)):
                awhere = f"{pwhere}.annotations[{a}]"
                need(annotation, "id", str, awhere)
                tags = infons(annotation, awhere)
                covered = need(annotation, "text", str, awhere)
                locations = need(annotation, "locations", list, awhere)
                if not locations:
                    fail(awhere, "no locations")
                for location in locations:
                    start = need(location, "offset", int, awhere)
                    length = need(location, "length", int, awhere)
                    got = "".join(text[start:start + length])
                    if got != covered:
                        fail(awhere, f"text {covered!r} but its location covers {got!r}")
                    out.append("\t".join(["A", doc_id, str(offset), str(start), str(length),
                                          tags.get("type", ""), tags.get("identifier", ""),
                                          covered]))
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main(sys.argv[1])
