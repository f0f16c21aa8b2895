"""Fake people for demo caseloads: Faker name pools, synthetic 999-range BSNs, addresses and contacts."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from workbench.demo.basics import BASE_TIME, day_between, new_id, weighted
from workbench.errors import ValidationError
from workbench.parties.values import TUSSENVOEGSELS, NameParts

# (gemeente, lowest and highest four-digit postcode, rough weight by size). Postcodes are plausible, not exact.
GEMEENTEN: tuple[tuple[str, int, int, int], ...] = (
    ("Amsterdam", 1011, 1109, 90), ("Rotterdam", 3011, 3089, 70), ("Den Haag", 2491, 2597, 60),
    ("Utrecht", 3511, 3585, 40), ("Eindhoven", 5611, 5658, 25), ("Groningen", 9711, 9747, 25),
    ("Tilburg", 5011, 5049, 24), ("Almere", 1311, 1363, 24), ("Breda", 4811, 4839, 20),
    ("Nijmegen", 6511, 6546, 20), ("Apeldoorn", 7311, 7339, 18), ("Haarlem", 2011, 2037, 18),
    ("Arnhem", 6811, 6846, 18), ("Enschede", 7511, 7548, 18), ("Zaanstad", 1501, 1509, 16),
    ("Amersfoort", 3811, 3829, 16), ("Zwolle", 8011, 8043, 14), ("Leiden", 2311, 2334, 13),
    ("Maastricht", 6211, 6229, 13), ("Dordrecht", 3311, 3319, 13), ("Zoetermeer", 2711, 2729, 13),
    ("Ede", 6710, 6718, 12), ("Delft", 2611, 2629, 10), ("Heerlen", 6411, 6422, 10),
    ("Alkmaar", 1811, 1824, 10), ("Leeuwarden", 8911, 8939, 12), ("Venlo", 5911, 5928, 10),
    ("Deventer", 7411, 7431, 10), ("Helmond", 5701, 5709, 10), ("Hilversum", 1211, 1223, 9),
    ("Oss", 5341, 5349, 9), ("Roosendaal", 4701, 4709, 8), ("Schiedam", 3111, 3125, 8),
    ("Lelystad", 8211, 8245, 8), ("Hoorn", 1621, 1628, 7), ("Purmerend", 1441, 1448, 8),
    ("Vlaardingen", 3131, 3138, 7), ("Gouda", 2801, 2809, 7), ("Capelle aan den IJssel", 2901, 2909, 7),
    ("Nissewaard", 3200, 3209, 8), ("Den Helder", 1781, 1789, 6), ("Emmen", 7811, 7828, 10),
    ("Almelo", 7601, 7609, 7), ("Hengelo", 7550, 7559, 8), ("Sittard-Geleen", 6131, 6136, 9),
    ("Kerkrade", 6461, 6471, 5), ("Veenendaal", 3901, 3907, 6), ("Assen", 9401, 9409, 7),
    ("Westland", 2671, 2695, 10), ("Haarlemmermeer", 2131, 2136, 14), ("Súdwest-Fryslân", 8701, 8756, 9),
    ("Heerhugowaard", 1701, 1706, 5), ("Katwijk", 2221, 2225, 6), ("Zeist", 3701, 3709, 6),
    ("Nieuwegein", 3431, 3439, 6), ("Bergen op Zoom", 4611, 4625, 6), ("Middelburg", 4331, 4338, 5),
    ("Vlissingen", 4381, 4389, 4), ("Terneuzen", 4531, 4539, 4), ("Tiel", 4001, 4009, 4),
)
STREET_STEMS = (
    "Linden", "Eiken", "Beuken", "Kastanje", "Wilgen", "Berken", "Esdoorn", "Iepen", "Populieren", "Meidoorn",
    "Rozen", "Tulpen", "Narcissen", "Klaver", "Zonnebloem", "Lelie", "Merel", "Lijster", "Zwaluw", "Kievit",
    "Reiger", "Mussen", "Spreeuwen", "Vinken", "Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Mondriaan",
    "Van Gogh", "Beatrix", "Juliana", "Wilhelmina", "Oranje", "Nassau", "Prins Hendrik", "Molen", "Kerk",
    "Dorps", "Haven", "Dijk", "Sluis", "Brink", "Markt", "School", "Stations", "Kanaal", "Polder", "Veld",
    "Bos", "Duin", "Heide", "Zuider", "Noorder", "Ooster", "Wester", "Hoog", "Laan van Nieuw", "Hof",
)
STREET_SUFFIXES = ("straat", "laan", "weg", "plein", "hof", "singel", "kade", "dreef", "pad", "gracht")
LANGUAGE_NEEDS = ("Tolk Arabisch", "Tolk Turks", "Tolk Tigrinya", "Tolk Pools", "Engels", "Papiaments",
                  "Tolk Somalisch", "Eenvoudige taal (B1)", "Tolk Berbers", "Tolk Farsi")
SAFETY_NOTES = (
    "Niet onaangekondigd langsgaan.", "Ex-partner mag het adres niet weten (geheim adres).",
    "Alleen contact via e-mail; de telefoon wordt meegelezen.", "Huisbezoek altijd met twee collega's.",
    "Ouder schrikt van bruine enveloppen: belangrijke brieven eerst telefonisch aankondigen.",
)
CHANNELS = ("telefoon", "email", "post", "huisbezoek")
POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
_NEVER_ISSUED = frozenset({"SA", "SD", "SS"})


def synthetic_bsns() -> list[str]:
    """Every nine-digit number 999xxxxxx that passes the 11-proef, ascending (about 90,900 of them).

    The 999 range is reserved for tests: none of these is a real person's BSN.
    """
    out: list[str] = []
    for rest in range(100_000):
        d = f"{rest:05d}"
        total = 216 + 6 * int(d[0]) + 5 * int(d[1]) + 4 * int(d[2]) + 3 * int(d[3]) + 2 * int(d[4])
        check = total % 11
        if check < 10:
            out.append(f"999{d}{check}")
    return out


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def split_surname(full: str) -> tuple[str, str] | None:
    """Faker's `van den Berg` as (`van den`, `Berg`); None for names our validation would refuse."""
    tv = ""
    for prefix in sorted((t for t in TUSSENVOEGSELS if t), key=len, reverse=True):
        if full.lower().startswith(prefix + " "):
            tv, full = prefix, full[len(prefix) + 1:]
            break
    if not full[:1].isupper() or any(word[:1].islower() for word in full.split()) or len(full.split()) > 2:
        return None
    try:
        name = NameParts.parse(achternaam=full, tussenvoegsel=tv)
    except ValidationError:
        return None
    return name.tussenvoegsel, name.achternaam


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v and v[:1].isupper() and " " not in v))


@dataclass(frozen=True)
class NamePools:
    """Names drawn from Faker once, up front (Faker is far too slow to call per row)."""

    female: list[str]
    male: list[str]
    surnames: list[tuple[str, str]]

    @classmethod
    def build(cls, fake: Faker) -> NamePools:
        female = _unique([fake.first_name_female() for _ in range(1500)])
        male = _unique([fake.first_name_male() for _ in range(1500)])
        surnames = [s for s in dict.fromkeys(split_surname(fake.last_name()) for _ in range(4000)) if s]
        return cls(female, male, surnames)


@dataclass
class Household:
    """What the other generators need to know about a case's parent."""

    parent_id: str
    first: str
    female: bool
    tussenvoegsel: str
    achternaam: str
    gemeente: str
    children: list[str] = field(default_factory=list)
    ex_partner: bool = False

    @property
    def addressed(self) -> str:
        """`mevrouw Van der Berg`: how a story entry names the parent."""
        tv = self.tussenvoegsel[:1].upper() + self.tussenvoegsel[1:]
        last = f"{tv} {self.achternaam}" if tv else self.achternaam
        return f"{'mevrouw' if self.female else 'meneer'} {last}"


def _initials(first_names: list[str]) -> str:
    return "".join(n[0] + "." for n in first_names)


def _postcode(rng: random.Random, low: int, high: int) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in _NEVER_ISSUED:
            return f"{rng.randint(low, high)} {letters}"


def _phone(rng: random.Random, low: int) -> str:
    if rng.random() < 0.65:
        return f"06 {rng.randint(10_000_000, 69_999_999)}"
    area = {1: "020", 2: "070", 3: "010", 4: "076", 5: "040", 6: "024", 7: "053", 8: "038", 9: "050"}
    return f"{area[low // 1000]}-{rng.randint(2_000_000, 9_999_999)}"


def _bookkeeping(row_id: str, user_id: str) -> dict[str, Any]:
    return {"id": row_id, "rev": 0, "updated_at": BASE_TIME, "updated_by": user_id}


class PeopleMaker:
    """Makes parents with their children and ex-partners as plain row dicts for Core inserts."""

    def __init__(self, rng: random.Random, pools: NamePools, bsns: list[str], *, parents: int,
                 user_id: str) -> None:
        if parents > len(bsns):
            raise ValidationError(f"Er zijn maar {len(bsns)} synthetische BSN's vrij: maak minder demozaken.",
                                  field="cases")
        self.rng = rng
        self.pools = pools
        # Parents take from the front, relatives from what is left behind them; so parents never run out.
        self._parent_bsns = iter(bsns[:parents])
        self._relative_bsns = iter(bsns[parents:])
        self.user_id = user_id
        self.gemeenten = list(GEMEENTEN)
        self._weights = [g[3] for g in GEMEENTEN]

    def relative_bsn(self) -> str | None:
        """The next unused synthetic BSN for a child or ex-partner, or None when the range is used up."""
        return next(self._relative_bsns, None)

    def _first(self, female: bool) -> str:
        return self.rng.choice(self.pools.female if female else self.pools.male)

    def parent(self, out: dict[str, list[dict[str, Any]]]) -> Household:
        rng = self.rng
        bsn = next(self._parent_bsns)
        female = rng.random() < 0.82  # most registered parents are mothers
        first_names = [self._first(female) for _ in range(weighted(rng, (1, 2, 3), (45, 40, 15)))]
        tv, last = rng.choice(self.pools.surnames)
        name, low, high, _w = weighted(rng, self.gemeenten, self._weights)
        household = Household(new_id(rng), first_names[0], female, tv, last, name)
        born = day_between(rng, dt.date(1968, 1, 1), dt.date(1996, 12, 31))
        domain = "example.org" if rng.random() < 0.5 else "example.nl"
        email = f"{ascii_slug(first_names[0])}.{ascii_slug(tv + last)}{rng.randint(1, 999)}@{domain}"
        out["parent"].append({
            **_bookkeeping(household.parent_id, self.user_id), "bsn": bsn, "birth_date": born,
            "street": rng.choice(STREET_STEMS) + rng.choice(STREET_SUFFIXES),
            "house_number": str(rng.randint(1, 240)) + ("" if rng.random() < 0.85 else rng.choice("abc")),
            "postcode": _postcode(rng, low, high), "city": name, "phone": _phone(rng, low),
            "email": email if rng.random() < 0.9 else "",
            "preferred_channel": weighted(rng, CHANNELS, (55, 25, 10, 10)),
            "language_need": rng.choice(LANGUAGE_NEEDS) if rng.random() < 0.12 else "",
            "safety_notes": rng.choice(SAFETY_NOTES) if rng.random() < 0.04 else "",
            "voorletters": _initials(first_names), "voornamen": " ".join(first_names), "tussenvoegsel": tv,
            "achternaam": last,
        })
        ex_name = self._ex_partner(household, out) if rng.random() < 0.25 else None
        for _ in range(weighted(rng, (0, 1, 2, 3, 4), (12, 28, 33, 18, 9))):
            self._child(household, born, ex_name, out)
        return household

    def _ex_partner(self, household: Household, out: dict[str, list[dict[str, Any]]]) -> tuple[str, str]:
        rng = self.rng
        tv, last = rng.choice(self.pools.surnames)
        household.ex_partner = True
        out["ex_partner"].append({
            **_bookkeeping(new_id(rng), self.user_id), "parent_id": household.parent_id,
            "bsn": self.relative_bsn() if rng.random() < 0.3 else None,
            "was_toeslagpartner": rng.random() < 0.65,
            "separated_on": day_between(rng, dt.date(2008, 1, 1), dt.date(2023, 12, 31)) if rng.random() < 0.8
            else None,
            "voorletters": _initials([self._first(not household.female)]), "voornamen": "", "tussenvoegsel": tv,
            "achternaam": last,
        })
        return tv, last

    def _child(self, household: Household, parent_born: dt.date, ex_name: tuple[str, str] | None,
               out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        first = self._first(rng.random() < 0.5)
        household.children.append(first)
        tv, last = ex_name if ex_name and rng.random() < 0.6 else (household.tussenvoegsel, household.achternaam)
        earliest = max(parent_born + dt.timedelta(days=18 * 365), dt.date(1995, 1, 1))
        out["child"].append({
            **_bookkeeping(new_id(rng), self.user_id), "parent_id": household.parent_id,
            "bsn": self.relative_bsn() if rng.random() < 0.1 else None,
            "birth_date": day_between(rng, earliest, dt.date(2022, 11, 5)),
            "voorletters": "", "voornamen": first, "tussenvoegsel": tv, "achternaam": last,
        })
