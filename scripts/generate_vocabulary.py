#!/usr/bin/env python3
"""Builds the biocorpus vocabulary from its sources.

    generate_vocabulary.py --out FILE [--iso-codes DIR] [--locale DIR]
                           [--words FILE] SOURCE.yaml [CURATED.yaml ...]

SOURCE is vocabulary/biocorpus-vocabulary.yaml (the version and the
hand-written concepts); each CURATED file adds a list of concepts. Countries
and their subdivisions (first-level, and the second-level ones ISO lists)
come from Debian's iso-codes data
(ISO 3166-1 and 3166-2, English names from the JSON files, Chinese names from
the zh_CN gettext catalogues): each becomes a LOCATION concept, or adds its
names to the hand-written place concept that carries its code (`iso: XX`).
The cities of tzdata's time zones become LOCATION concepts under their
country, with English and Chinese names from ICU (see zone_cities).

Generated English place names are proper names, matched with their case
(`names`); a subdivision name is left out when it is also a common English
word (a lower-case entry of the word list), shorter than four letters, or the
name of another country or subdivision. Everything else a concept says comes
from the sources. Exits non-zero, naming the concept, when two concepts share
an id or a synonym.
"""

import argparse
import gettext
import json
import os
import re
import sys
import unicodedata

import yaml

CATEGORY_ORDER = ["TOPIC", "LEGISLATION", "ORGANIZATION", "PERSON", "LOCATION", "TECHNOLOGY",
                  "PATHOGEN"]
LISTS = ["en", "names", "acronyms", "zh"]

# Local-language words for a kind of subdivision that ISO 3166-2 keeps in
# English names ("Anhui Sheng"), and the Chinese ones; stripped for the short
# form readers use ("Anhui", 安徽).
EN_SUFFIXES = [
    " Zhuangzu Zizhiqu", " Huizu Zizhiqu", " Huizi Zizhiqu", " Uygur Zizhiqu", " Zizhiqu", " Sheng", " Shi",
    " Tebiexingzhengqu", "-to", "-fu", "-ken", "-do", "-si", "-teukbyeolsi", "-gwangyeoksi",
]
ZH_SUFFIXES = ["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市", "州"]


def slug(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def load_words(path, any_case=False):
    """The lower-case entries of a word list, or all its entries."""
    if not path or not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8", errors="ignore") as f:
        return {w.strip() for w in f if w.strip() and (any_case or w.strip().islower())}


def translator(locale_dir, domain):
    try:
        return gettext.translation(domain, localedir=locale_dir, languages=["zh_CN"]).gettext
    except OSError:
        return lambda s: s


def zh_forms(name, country):
    forms = [name]
    # Two characters left are a Chinese province's short name (安徽), but
    # elsewhere often a common word (中央 of 中央省, 西方 of 西方省).
    shortest = 2 if country in ("CN", "TW", "HK", "MO") else 3
    for suffix in ZH_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= shortest:
            forms.append(name[: -len(suffix)])
            break
    return forms


def ascii_form(name):
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c))


def en_forms(name):
    name = name.rstrip("*").strip()
    forms = [name]
    # "Korea, Republic of" reads "Republic of Korea".
    if ", " in name:
        head, tail = name.split(", ", 1)
        if tail.endswith(" of") or tail.endswith(" of the") or " " not in tail:
            # "Virgin Islands, British" reads "British Virgin Islands";
            # "Palestine, State of" also "Palestine".
            forms = [f"{tail} {head}", head]
        else:
            # "Taiwan, Province of China" reads "Taiwan".
            forms = [head]
    for suffix in EN_SUFFIXES:
        if forms[0].endswith(suffix) and len(forms[0]) > len(suffix) + 2:
            forms.append(forms[0][: -len(suffix)])
            break
    # "Bolivia (Plurinational State of)" reads "Bolivia".
    if "(" in forms[0]:
        forms.append(forms[0].split("(")[0].strip())
    # Written without its diacritics too (Andalucia, Bacs-Kiskun).
    forms += [ascii_form(f) for f in forms if ascii_form(f) != f]
    return forms


def iso_places(iso_dir, locale_dir, words, favoured=frozenset(), words_any_case=frozenset()):
    """(code, country code or None, English names, Chinese names, label,
    parent subdivision's code or None).

    Countries, then their first-level subdivisions, then the second-level
    ones ISO 3166-2 lists for some countries (counties of England, districts
    of Uganda, provinces of Italy and the Philippines, departments of
    France, ...), each under its first-level subdivision.

    A name subdivisions of several countries share goes to the one whose
    country is in `favoured` (the countries the hand-written vocabulary
    lists), when exactly one is: Maryland is the US state, not Liberia's
    county.
    """
    with open(os.path.join(iso_dir, "iso_3166-1.json"), encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]
    with open(os.path.join(iso_dir, "iso_3166-2.json"), encoding="utf-8") as f:
        subdivisions = json.load(f)["3166-2"]
    # First-level subdivisions before the second-level ones under them.
    subdivisions.sort(key=lambda s: "parent" in s)
    zh1 = translator(locale_dir, "iso_3166-1")
    zh2 = translator(locale_dir, "iso_3166-2")
    places = []
    for c in countries:
        label = c.get("common_name", c["name"])
        en = [label, c["name"]] + ([c["official_name"]] if "official_name" in c else [])
        en = [form for name in en for form in en_forms(name)]
        zh = []
        for name in [c["name"], c.get("official_name", ""), c.get("common_name", "")]:
            if name and zh1(name) != name:
                zh.append(zh1(name))
        places.append((c["alpha_2"], None, en, zh, label, None))
    for s in subdivisions:
        # Names of the form "Name [Other name]" or "Name / Other" list two forms.
        names = [n.strip() for n in re.split(r"\s*/\s*|\s*\[|\]", s["name"]) if n.strip()]
        # "Wales [Cymru GB-CYM]": the other name carries its own code.
        names = [re.sub(r"\s+[A-Z]{2}-[A-Z0-9]{1,3}$", "", n) for n in names]
        en = [form for name in names for form in en_forms(name)]
        country = s["code"].split("-")[0]
        chinese = zh2(s["name"])
        zh = zh_forms(chinese, country) if chinese != s["name"] else []
        label = en[-1] if len(en) > 1 and len(en[-1]) < len(en[0]) else en[0]
        parent = s.get("parent")
        if parent is not None and "-" not in parent:
            parent = f"{country}-{parent}"
        places.append((s["code"], country, en, zh, label, parent))
    # Names several places share, or that are common words, say nothing alone.
    # A second-level subdivision's name is not counted against a country's or
    # a first-level subdivision's (Dhaka, the division, keeps its name; the
    # district of that name has none left).
    owners, upper_names = {}, set()
    for code, country, en, zh, _, parent in places:
        for name in set(en) | set(zh):
            if parent is None:
                upper_names.add(name)
                owners.setdefault(name, set()).add(code)
    for code, country, en, zh, _, parent in places:
        for name in set(en) | set(zh):
            if parent is not None and name not in upper_names:
                owners.setdefault(name, set()).add(code)
    # A country's own ISO name stays its own ("Congo" is CG's, not CD's).
    primary = {c["name"]: c["alpha_2"] for c in countries}
    out = []
    for code, country, en, zh, label, parent in places:
        def keep(name, chinese):
            if parent is not None and name in upper_names:
                return False
            if name in primary:
                return primary[name] == code
            if len(owners[name]) > 1 and not (country is None and all(
                    "-" in other for other in owners[name] - {code})):
                in_favour = [o for o in owners[name] if "-" in o and o.split("-")[0] in favoured]
                if in_favour != [code]:
                    return False
            if chinese:
                # A second-level subdivision's name of two characters reads
                # as other words (巴雷 in 安巴雷克).
                return len(name) >= (3 if parent is not None else 2)
            if country is not None and (len(name) < 4 or name.lower() in words):
                return False
            # Nor a second-level one's that the word list has at all, as a
            # word or a name (Paul, a county of Cabo Verde).
            return parent is None or (name not in words_any_case and len(name) >= 5)
        out.append((code, country, dedupe([n for n in en if keep(n, False)]),
                    dedupe([n for n in zh if keep(n, True)]), label, parent))
    return out


# Cities: the exemplar city of each time zone of Debian's tzdata
# (zoneinfo/zone.tab), with its English and Chinese names from ICU's CLDR
# data (PyICU, Debian package python3-icu), under its country. Left out:
# Antarctic stations and the counties of Indiana, Kentucky and North Dakota
# ("Knox, Indiana"); names that are also common English words (Phoenix,
# Oral, Resolute) or people's names (Darwin, Stanley, Regina, ...); Chinese
# names of two characters, which read as other words across a word boundary
# (里加 in 这里加入, 利马 in 胜利马上), except the unambiguous ones below.
CITY_PEOPLE = {"Darwin", "Stanley", "Regina", "Dawson", "Davis", "Palmer", "Casey", "Hobart",
               "Mendoza", "Wallis", "Kirov", "Lindeman", "Macquarie", "Chatham", "Unknown City"}
CITY_ZH_TWO = {"伦敦", "倫敦", "巴黎", "东京", "東京", "纽约", "紐約", "柏林", "首尔", "首爾",
               "平壤", "开罗", "開羅", "雅典", "基辅", "基輔", "罗马", "羅馬", "曼谷", "仰光",
               "加沙", "迪拜", "杜拜", "华沙", "華沙", "悉尼", "台北", "臺北", "丹佛", "上海"}


def zone_cities(zone_tab, words):
    """(zone, country code, English names, Chinese names, label) per city."""
    try:
        import icu
    except ImportError:
        sys.exit("no PyICU for the city names (Debian package python3-icu)")

    def city(zone, locale):
        f = icu.SimpleDateFormat("VVV", icu.Locale(locale))
        f.setTimeZone(icu.TimeZone.createTimeZone(zone))
        return f.format(0.0)

    out = []
    with open(zone_tab, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            country, _, zone = line.rstrip("\n").split("\t")[:3]
            if zone.startswith("Antarctica/"):
                continue
            en = city(zone, "en")
            if not en or "," in en or en in CITY_PEOPLE or en.lower() in words:
                continue
            zh = [z for z in dedupe([city(zone, "zh"), city(zone, "zh_Hant")])
                  if z and z != en and (len(z) >= 3 or z in CITY_ZH_TWO)]
            en_names = dedupe([en, ascii_form(en)] + ([en.replace("St. ", "Saint ")]
                                                      if en.startswith("St. ") else []))
            out.append((zone, country, en_names, zh, en))
    return out


def dedupe(items):
    return list(dict.fromkeys(items))


def flow(value):
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 20,
                          sort_keys=False)
    return text.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--iso-codes", default="/usr/share/iso-codes/json")
    parser.add_argument("--locale", default="/usr/share/locale")
    parser.add_argument("--words", default="/usr/share/dict/words")
    parser.add_argument("--zone-tab", default="/usr/share/zoneinfo/zone.tab")
    parser.add_argument("sources", nargs="+")
    args = parser.parse_args()

    with open(args.sources[0], encoding="utf-8") as f:
        main_source = yaml.safe_load(f)
    version = main_source["version"]
    concepts = []
    for path in args.sources:
        with open(path, encoding="utf-8") as f:
            for concept in yaml.safe_load(f)["concepts"]:
                concept["_from"] = os.path.basename(path)
                concepts.append(concept)
    known = {"id", "label", "category", "parent", "iso", "unless_near", "unless_within",
             "recognized", "_from"} | set(LISTS)
    for concept in concepts:
        unknown = sorted(set(concept) - known)
        if unknown:
            sys.exit(f"{concept['_from']}: {concept.get('id')} has unknown key(s) {unknown} "
                     "(a comma in an unquoted label splits it)")
    by_id = {}
    for concept in concepts:
        if concept["id"] in by_id:
            sys.exit(f"{concept['_from']}: {concept['id']} is defined twice")
        by_id[concept["id"]] = concept
    by_iso = {}
    for c in concepts:
        codes = c.pop("iso", [])
        for code in codes if isinstance(codes, list) else [codes]:
            by_iso[code] = c

    if not os.path.isdir(args.iso_codes):
        sys.exit(f"no iso-codes data in {args.iso_codes} (Debian package iso-codes)")
    words = load_words(args.words)
    favoured = {code.split("-")[0] for code in by_iso if "-" not in code}
    places = iso_places(args.iso_codes, args.locale, words, favoured,
                        load_words(args.words, any_case=True))
    if not os.path.exists(args.zone_tab):
        sys.exit(f"no {args.zone_tab} (Debian package tzdata)")
    cities = zone_cities(args.zone_tab, words)
    country_ids = {}
    taken = set(by_id)
    generated = 0
    # Hand-written synonyms win: a generated name another concept has is left out.
    used = {}
    for c in concepts:
        for key in LISTS:
            for name in c.get(key, []):
                used.setdefault(name.lower() if key in ("en", "names") else name, c["id"])
    subdivision_ids = {}
    for code, country, en, zh, label, parent in places:
        concept = by_iso.get(code)
        if concept is None and not any(n.lower() not in used for n in en) and not any(
                n not in used for n in zh):
            continue  # No name left: no concept, and its id stays free.
        if concept is None:
            base = "place/" + slug(label)
            cid = base if base not in taken else f"{base}-{code.lower()}"
            if cid in taken:
                continue
            taken.add(cid)
            concept = {"id": cid, "label": label, "category": "LOCATION"}
            if parent in subdivision_ids:
                concept["parent"] = subdivision_ids[parent]
            elif country is not None and country in country_ids:
                concept["parent"] = country_ids[country]
            concept["_from"] = "iso-codes"
            concepts.append(concept)
            generated += 1
        if country is None:
            country_ids[code] = concept["id"]
        else:
            subdivision_ids[code] = concept["id"]
        names = [n for n in en if used.setdefault(n.lower(), concept["id"]) == concept["id"]]
        chinese = [n for n in zh if used.setdefault(n, concept["id"]) == concept["id"]]
        lower = {n.lower() for n in concept.get("en", [])}
        concept["names"] = dedupe(concept.get("names", []) +
                                  [n for n in names if n.lower() not in lower])
        concept["zh"] = dedupe(concept.get("zh", []) + chinese)
        for key in ("names", "zh"):
            if not concept[key]:
                del concept[key]
    city_count = 0
    for zone, country, en, zh, label in cities:
        names = [n for n in en if n.lower() not in used]
        chinese = [n for n in zh if n not in used]
        if not names:
            # A country or subdivision of that name has it (Singapore, Tokyo):
            # the city's Chinese names join it (东京 beside 东京都).
            owner_id = used[en[0].lower()]
            owner_concept = next((c for c in concepts if c["id"] == owner_id), None)
            if owner_concept is not None and owner_concept["category"] == "LOCATION":
                for n in chinese:
                    used[n] = owner_id
                owner_concept["zh"] = dedupe(owner_concept.get("zh", []) + chinese)
            continue
        base = "place/" + slug(label)
        cid = base if base not in taken else f"{base}-city"
        if cid in taken:
            continue
        taken.add(cid)
        for n in names:
            used[n.lower()] = cid
        for n in chinese:
            used[n] = cid
        concept = {"id": cid, "label": label, "category": "LOCATION", "names": names,
                   "_from": "tzdata"}
        if chinese:
            concept["zh"] = chinese
        if country in country_ids:
            concept["parent"] = country_ids[country]
        concepts.append(concept)
        city_count += 1
    # Concepts generated with no name left are dropped; a `recognized` concept
    # needs none.
    concepts = [c for c in concepts if c.get("recognized") or any(c.get(k) for k in LISTS)]

    # One synonym, one concept (within a kind of list; English lower case).
    owner = {}
    conflicts = []
    main_name = os.path.basename(args.sources[0])
    for c in concepts:
        for key in LISTS:
            for name in c.get(key, []):
                k = ("en" if key in ("en", "names") else key, name.lower() if key != "zh" else name)
                if k in owner and owner[k]["id"] != c["id"]:
                    # The hand-written vocabulary may say one name means two
                    # concepts (生物安全: biosafety and biosecurity); a
                    # curated file may not repeat a name.
                    if c["_from"] != main_name or owner[k]["_from"] != main_name:
                        conflicts.append(f"{c['_from']}: {c['id']} has synonym '{name}' of "
                                         f"{owner[k]['id']} ({owner[k]['_from']})")
                    continue
                owner[k] = c

    if conflicts:
        sys.exit("\n".join(conflicts))
    order = {cat: i for i, cat in enumerate(CATEGORY_ORDER)}
    concepts.sort(key=lambda c: order[c["category"]])
    counts = {}
    lines = [
        "# The biocorpus vocabulary, generated by scripts/generate_vocabulary.py: do not",
        "# edit. Sources: " + ", ".join(os.path.basename(s) for s in args.sources) +
        ", the countries and subdivisions of Debian's iso-codes",
        "# (ISO 3166-1 and 3166-2, Chinese names from its zh_CN translations), and the",
        "# cities of tzdata's time zones (English and Chinese names from ICU).",
        f"version: {json.dumps(str(version))}",
        "concepts:",
    ]
    category = None
    for c in concepts:
        if c["category"] != category:
            category = c["category"]
            lines.append(f"  # ---- {category}")
        counts[category] = counts.get(category, 0) + 1
        item = {k: c[k] for k in ["id", "label", "category", "parent"] + LISTS +
                ["unless_near", "unless_within", "recognized"] if c.get(k)}
        lines.append("  - " + flow(item))
    with open(args.out + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(args.out + ".tmp", args.out)
    summary = ", ".join(f"{k} {counts[k]}" for k in CATEGORY_ORDER if k in counts)
    print(f"vocabulary: {len(concepts)} concepts ({summary}); {generated} places from iso-codes, "
          f"{city_count} cities from tzdata")


if __name__ == "__main__":
    main()
