"""Synthetic belkg projects of any size, in the project's own ontology, that conform to
its shapes, pass the grounding check and leave no sentence of a seed uncited.

The generator makes up a world and writes news reports about it:

- people: political prisoners (Belarusian names, a quarter of them with one or two other
  spellings, "Mikola"/"Nikolai", "Kavalenka"/"Kavalenko", that some reports use), the
  officials who negotiate their release, and the reporters who write the reports;
- organisations (authorities, courts, media outlets, human rights groups, parties),
  countries, and the group "political prisoners in Belarus";
- events: releases, arrests, sentencings and negotiations, each with a date, a place, a
  size and participants in the roles of the ontology (released, not released, releasing
  or arresting authority, court, convict, negotiator, mediator, broker, delegation
  leader).

Each report is a seed text and its claims file. It tells one event in full and one to
three others in passing, in sentences that are each the verbatim and unique quote of the
claims they support: participation, nationality, role (office or occupation), date (a
day, a month, or "on Monday" resolved against the report's date), count (of an event, or
of the political prisoners Belarus holds that month, as a human rights group counts
them), sentence, event relation and quotation claims, some hedged ("reportedly") or
attributed ("according to Viasna"). The report's headline, date line and byline are the
evidence of its own title, date, author and publisher; a "Share" button is the only
sentence left uncited, and is on the skip list.

The skew is that of real news: a few people take part in many events and a few events are
reported many times (a Zipf-like choice). Reports are written until the register and the
reports hold the number of triples asked for (give or take a sentence's claims); the
register, written last, names only the things the reports mention, with every other
spelling they use as a skos:altLabel, and marks a label no seed shows as normalised. The
identity judgements (kg/identities.ttl, counted in the triples too) quote, for every event
or group that several reports name and every person they spell differently, the first
sentence of each report whose claims name it.

    python bench/generate.py OUT_DIR --triples 100000 [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from belkg.build.cues import Cue, find_cues, read_lexicon

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = """\
@prefix bk:      <https://w3id.org/belkg/ontology#> .
@prefix bkd:     <https://w3id.org/belkg/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

############################################################################
# Vocabulary of the made-up world
############################################################################

# Belarusian first names, with the Russian transliteration some reports use instead.
MALE_NAMES = {
    "Ales": None, "Mikola": "Nikolai", "Siarhei": "Sergei", "Viktar": "Viktor", "Andrei": "Andrey",
    "Ihar": "Igor", "Henadz": "Gennady", "Uladzimir": "Vladimir", "Paval": "Pavel", "Aliaksandr": "Alexander",
    "Dzmitry": "Dmitry", "Yauhen": "Yevgeny", "Raman": "Roman", "Maksim": "Maxim", "Artsiom": "Artyom",
    "Vadzim": "Vadim", "Yury": "Yuri", "Mikhail": None, "Kanstantsin": "Konstantin", "Aliaksei": "Alexei",
    "Valiantsin": "Valentin", "Leanid": "Leonid", "Anatol": "Anatoly", "Eduard": None, "Stanislau": "Stanislav",
}  # fmt: skip
FEMALE_NAMES = {
    "Maryia": "Maria", "Volha": "Olga", "Iryna": "Irina", "Tatsiana": "Tatiana", "Nasta": "Anastasia",
    "Alena": "Elena", "Sviatlana": "Svetlana", "Katsiaryna": "Ekaterina", "Natallia": "Natalia", "Yulia": None,
    "Hanna": "Anna", "Darya": "Daria", "Valiantsina": "Valentina", "Liudmila": "Lyudmila", "Palina": "Polina",
    "Ksenia": None, "Veranika": "Veronika", "Halina": "Galina", "Larysa": "Larisa", "Kryscina": "Kristina",
    "Aksana": "Oksana", "Ina": None,
}  # fmt: skip
SURNAME_ROOTS = (
    "Babar", "Bahdan", "Barys", "Bial", "Charn", "Drozd", "Dubov", "Dzianis", "Fedar", "Hardz",
    "Hlush", "Hrom", "Hrysh", "Ivan", "Kalesnik", "Karp", "Kaval", "Kazl", "Klim", "Kryv",
    "Kupr", "Kuzm", "Laban", "Lazar", "Lis", "Lukash", "Makar", "Maroz", "Mart", "Melnik",
    "Mirn", "Nasib", "Navik", "Paliak", "Pankr", "Pashk", "Piatr", "Prakap", "Rabk", "Radz",
    "Ramash", "Sakal", "Savel", "Shaul", "Shyl", "Siamion", "Sidar", "Stas", "Tarash", "Tkach",
    "Tsikhan", "Ulas", "Vasil", "Yakub", "Yarosh", "Zakharch", "Zhdan", "Zhuk", "Zmitr", "Belaus",
)  # fmt: skip
# Surname endings: male, female, and their Russian spellings (None where they agree).
SURNAME_ENDINGS = (
    ("enka", "enka", "enko", "enko"),
    ("ou", "ava", "ov", "ova"),
    ("ski", "skaya", "sky", None),
    ("ovich", "ovich", None, None),
    ("chyk", "chyk", "chik", "chik"),
    ("uk", "uk", None, None),
    ("evich", "evich", None, None),
)
# The officials who negotiate come from elsewhere.
WESTERN_FIRST = (
    "John", "Michael", "Robert", "David", "James", "Katarzyna", "Gabrielius", "Laura", "Marek", "Tomas",
    "Piotr", "Agnieszka", "Ingrida", "Jan", "Sophie", "Thomas", "Emily", "Daniel", "Rebecca", "Andrzej",
)  # fmt: skip
WESTERN_LAST = (
    "Hartley", "Brennan", "Kowalczyk", "Nowak", "Landsberg", "Vaitkus", "Kalnins", "Fischer", "Dubois",
    "Carter", "Whitman", "Sorensen", "Lindqvist", "Petrauskas", "Ozols", "Zielinski", "Wozniak", "Bauer",
    "Martin", "Ellison", "Grant", "Holloway", "Jankauskas", "Berzins", "Keller",
)  # fmt: skip

# (slug, name, adjective, share of the prisoners who are its nationals)
COUNTRIES = (
    ("belarus", "Belarus", "Belarusian", 80), ("poland", "Poland", "Polish", 4),
    ("lithuania", "Lithuania", "Lithuanian", 3), ("ukraine", "Ukraine", "Ukrainian", 4),
    ("russia", "Russia", "Russian", 2), ("latvia", "Latvia", "Latvian", 2), ("germany", "Germany", "German", 1),
    ("united-states", "United States", "American", 1), ("united-kingdom", "United Kingdom", "British", 1),
    ("france", "France", "French", 1),
)  # fmt: skip
COUNTRY_ARTICLES = {"united-states": "the ", "united-kingdom": "the "}
COUNTRY_VARIANTS = {"united-states": ("US",), "united-kingdom": ("UK",)}

# (slug, class, name, other spellings, article)
ORGANISATIONS = (
    ("belarusian-authorities", "GovernmentBody", "Belarusian authorities", (), "the "),
    ("interior-ministry", "GovernmentBody", "Interior Ministry", ("Ministry of Internal Affairs",), "the "),
    ("kgb", "GovernmentBody", "KGB", ("State Security Committee",), "the "),
    ("investigative-committee", "GovernmentBody", "Investigative Committee", (), "the "),
    ("european-union", "InternationalOrganisation", "European Union", ("EU",), "the "),
    ("viasna", "CivilSocietyOrganisation", "Viasna", ("Human Rights Centre Viasna",), ""),
    ("belarusian-association-of-journalists", "CivilSocietyOrganisation", "Belarusian Association of Journalists",
     (), "the "),
    ("belarusian-popular-front", "CivilSocietyOrganisation", "Belarusian Popular Front", (), "the "),
    ("belarusian-social-democratic-party", "CivilSocietyOrganisation", "Belarusian Social Democratic Party",
     (), "the "),
    ("belarusian-independent-trade-union", "CivilSocietyOrganisation", "Belarusian Independent Trade Union",
     (), "the "),
    ("reuters", "MediaOutlet", "Reuters", (), ""),
    ("belsat", "MediaOutlet", "Belsat", ("Belsat TV",), ""),
    ("radio-svaboda", "MediaOutlet", "Radio Svaboda", ("Radio Liberty",), ""),
    ("associated-press", "MediaOutlet", "Associated Press", ("AP",), "the "),
    ("nasha-niva", "MediaOutlet", "Nasha Niva", (), ""),
    ("zerkalo", "MediaOutlet", "Zerkalo", (), ""),
    ("deutsche-welle", "MediaOutlet", "Deutsche Welle", ("DW",), ""),
    ("euroradio", "MediaOutlet", "Euroradio", (), ""),
    ("novy-chas", "MediaOutlet", "Novy Chas", (), ""),
)  # fmt: skip
PUBLISHERS = ("reuters", "belsat", "radio-svaboda", "associated-press", "nasha-niva", "zerkalo", "deutsche-welle",
              "euroradio", "novy-chas")  # fmt: skip
SOURCES = ("viasna", "viasna", "viasna", "belarusian-association-of-journalists")  # who reports on prisoners
RELEASING_AUTHORITIES = ("belarusian-authorities", "belarusian-authorities", "belarusian-authorities",
                         "interior-ministry")  # fmt: skip
ARRESTING_AUTHORITIES = ("kgb", "kgb", "interior-ministry", "investigative-committee")
BROKERS = ("united-states", "united-states", "lithuania", "poland", "european-union")
MEDIATORS = ("lithuania", "poland", "germany", "european-union")

CITIES = (
    "Minsk", "Hrodna", "Brest", "Vitsebsk", "Homel", "Mahiliou", "Baranavichy", "Babruisk", "Pinsk", "Lida",
    "Maladzechna", "Barysau", "Navapolatsk", "Salihorsk", "Orsha", "Zhodzina", "Shklou", "Horki", "Mazyr", "Slonim",
)  # fmt: skip
MINSK_DISTRICTS = ("Frunzenski", "Leninski", "Maskouski", "Partyzanski", "Savetski", "Tsentralny", "Zavodski",
                   "Pershamaiski")  # fmt: skip
# (court, city): the regional courts, Minsk's district courts and those of the other towns
COURTS = (
    ("Minsk City Court", "Minsk"),
    *((f"{city} Regional Court", city) for city in ("Minsk", "Brest", "Vitsebsk", "Homel", "Hrodna", "Mahiliou")),
    *((f"{district} District Court", "Minsk") for district in MINSK_DISTRICTS),
    *((f"{city} District Court", city) for city in CITIES[1:]),
)
TALKS_VENUES = ("Vilnius", "Warsaw", "Minsk", "Geneva", "Istanbul", "Vienna")

# (title, adjective, where the office is held, role in a release)
OFFICES = (
    ("special envoy", "US", "united-states", "Negotiator"),
    ("deputy assistant secretary of state", "US", "united-states", "Negotiator"),
    ("foreign minister", "Lithuanian", "lithuania", "Mediator"),
    ("deputy foreign minister", "Polish", "poland", "Negotiator"),
    ("special representative", "EU", "european-union", "Mediator"),
    ("envoy", "German", "germany", "Mediator"),
    ("deputy foreign minister", "Belarusian", "belarus", "Negotiator"),
)
# (occupation, employers it names, held in the past, weight)
OCCUPATIONS = (
    ("journalist", ("belsat", "radio-svaboda", "nasha-niva", "zerkalo", "euroradio", "novy-chas"), False, 14),
    ("human rights defender", ("viasna",), False, 8),
    ("activist", ("belarusian-popular-front", "belarusian-social-democratic-party"), False, 5),
    ("trade unionist", ("belarusian-independent-trade-union",), False, 4),
    ("activist", (), False, 14), ("lawyer", (), False, 6), ("teacher", (), False, 4), ("student", (), False, 6),
    ("blogger", (), False, 6), ("entrepreneur", (), False, 4), ("doctor", (), False, 3),
    ("musician", (), False, 3), ("priest", (), False, 1), ("opposition politician", (), False, 4),
    ("presidential candidate", (), True, 1),
)  # fmt: skip
# What officials say of a release they took part in.
REMARKS = (
    "We welcome the release of these people", "This is an important step, but hundreds remain behind bars",
    "We will keep working until every political prisoner is free", "No one should be jailed for their views",
    "The release is the result of months of quiet diplomacy",
)  # fmt: skip
CHARGES = (
    "organising mass riots", "insulting the president", "extremism", "high treason", "inciting hatred",
    "taking part in group actions that grossly violate public order", "creating an extremist formation",
    "calling for actions against national security", "defaming the president", "tax evasion",
)  # fmt: skip

POLITICAL_PRISONERS = ("political-prisoners-in-belarus", "political prisoners in Belarus")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
FIRST_DAY, LAST_DAY = date(2020, 8, 9), date(2025, 9, 30)

# The kinds of event, in the proportions they are made.
EVENT_KINDS = ("release", "arrest", "sentencing", "release", "arrest", "sentencing", "negotiation")
EVENT_CLASSES = {"release": "bk:Release", "arrest": "bk:Arrest", "sentencing": "bk:Sentencing",
                 "negotiation": "bk:Negotiation"}  # fmt: skip

# How each kind of participant is told in the full report of an event: (template, hedge,
# whether the sentence is attributed to a source).
TEMPLATES = {
    ("release", "Released"): (
        ("{who} was among those freed.", None, False), ("{who} was also released.", None, False),
        ("Among those freed was {who}.", None, False),
        ("{who} was reportedly among those freed.", "bk:Reportedly", False),
        ("{who} was released, according to {source}.", None, True),
    ),
    ("release", "NotReleased"): (
        ("{who} was not among those freed.", None, False),
        ("{who} remains behind bars, according to {source}.", None, True),
    ),
    ("release", "Negotiator"): (
        ("{who} negotiated the release.", None, False), ("The release was negotiated by {who}.", None, False),
    ),
    ("release", "Mediator"): (("{who} mediated between the sides.", None, False),),
    ("release", "Broker"): (
        ("{who} helped secure the release.", None, False),
        ("The release was reportedly brokered by {who}.", "bk:Reportedly", False),
    ),
    ("arrest", "Arrestee"): (
        ("{who} was among those detained.", None, False), ("Among the detained was {who}.", None, False),
        ("{who} was detained at home, according to {source}.", None, True),
    ),
    ("sentencing", "Convict"): (
        ("{who} was sentenced to {term} on charges of {charge}.", None, False),
        ("{who} received {term} for {charge}.", None, False),
    ),
    ("negotiation", "DelegationLeader"): (("{who} led the delegation.", None, False),),
    ("negotiation", "Negotiator"): (("{who} took part in the talks.", None, False),),
    ("negotiation", "Mediator"): (("{who} acted as a mediator.", None, False),),
}  # fmt: skip
# How the people of an event told in passing are named: with its place, to tell it apart.
IN_PASSING = {
    ("release", "Released"): (("{who} was among those freed in {place}.", None, False),),
    ("arrest", "Arrestee"): (("{who} was among those detained in {place}.", None, False),),
    ("sentencing", "Convict"): (("{who} was sentenced in {place} to {term} for {charge}.", None, False),),
}  # fmt: skip

############################################################################
# Names
############################################################################

FIRST_NAMES = [(name, russian, False) for name, russian in MALE_NAMES.items()] + [
    (name, russian, True) for name, russian in FEMALE_NAMES.items()
]
NAME_CAPACITY = len(FIRST_NAMES) * len(SURNAME_ROOTS) * len(SURNAME_ENDINGS)
WESTERN_CAPACITY = len(WESTERN_FIRST) * len(WESTERN_LAST)


def _stride(capacity: int) -> int:
    """A step coprime with capacity: index * step % capacity visits every name once, and
    neighbouring indexes get unlike names."""
    return next(step for step in range(7919, 7919 + capacity) if math.gcd(step, capacity) == 1)


NAME_STRIDE, WESTERN_STRIDE = _stride(NAME_CAPACITY), _stride(WESTERN_CAPACITY)


def belarusian_name(index: int) -> tuple[str, list[str]]:
    """The index-th Belarusian name and its other spellings (Russian first name, Russian
    surname, or both)."""
    if not 0 <= index < NAME_CAPACITY:
        raise ValueError(f"only {NAME_CAPACITY} Belarusian names")
    number = index * NAME_STRIDE % NAME_CAPACITY
    first, russian_first, female = FIRST_NAMES[number % len(FIRST_NAMES)]
    number //= len(FIRST_NAMES)
    root, endings = SURNAME_ROOTS[number % len(SURNAME_ROOTS)], SURNAME_ENDINGS[number // len(SURNAME_ROOTS)]
    surname = root + endings[1 if female else 0]
    russian_ending = endings[3 if female else 2]
    russian_surname = root + russian_ending if russian_ending else None
    variants = []
    if russian_first:
        variants.append(f"{russian_first} {surname}")
    if russian_surname:
        variants.append(f"{first} {russian_surname}")
    if russian_first and russian_surname:
        variants.append(f"{russian_first} {russian_surname}")
    return f"{first} {surname}", variants


def western_name(index: int) -> str:
    if not 0 <= index < WESTERN_CAPACITY:
        raise ValueError(f"only {WESTERN_CAPACITY} officials' names")
    number = index * WESTERN_STRIDE % WESTERN_CAPACITY
    return f"{WESTERN_FIRST[number % len(WESTERN_FIRST)]} {WESTERN_LAST[number // len(WESTERN_FIRST)]}"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


############################################################################
# The world: things, people and events
############################################################################


@dataclass(frozen=True)
class Thing:
    """A thing of the register: IRI, class, preferred label, and the other spellings a
    report may use for it."""

    iri: str
    kind: str
    label: str
    variants: tuple[str, ...] = ()
    article: str = ""  # "the " where English puts one before the name


@dataclass(frozen=True)
class Prisoner:
    thing: Thing
    country: Thing
    adjective: str  # of the country: "Polish"
    occupation: str
    employer: Thing | None
    former: bool


@dataclass(frozen=True)
class Official:
    thing: Thing
    title: str
    adjective: str  # of where the office is held: "US", "Lithuanian"
    home: Thing
    release_role: str


Agent = Prisoner | Official | Thing


@dataclass(frozen=True)
class Participant:
    agent: Agent
    role: str  # the local name of a bk:Role
    years: int = 0  # of a convict's sentence
    charge: str = ""


@dataclass
class Event:
    thing: Thing
    kind: str
    day: date
    place: str
    size: int  # how many people were freed, detained or tried (0 for talks)
    authority: Thing | None
    participants: list[Participant]
    talks: Event | None = None  # the negotiation a release followed
    outcome: Event | None = None  # the release a negotiation led to


def _zipf(rng: random.Random, count: int) -> int:
    """An index in range(count), small indexes much more likely (a few people in many events)."""
    return min(count - 1, int(count ** rng.random()) - 1)


class World:
    """The people, organisations, countries and events that reports are written about.
    People are made when first drawn, each from its own index, so that a person's traits
    do not depend on the order in which events draw them."""

    def __init__(self, triples: int, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.seed = seed
        self.reporter_count = max(3, triples // 8000)
        self.prisoner_count = min(NAME_CAPACITY - self.reporter_count, max(20, triples // 90))
        self.official_count = min(WESTERN_CAPACITY, max(4, triples // 3000))
        self.things = self._organisations_and_countries()
        self.courts = [self._court(name, city) for name, city in COURTS]
        self._prisoners: dict[int, Prisoner] = {}
        self._officials: dict[int, Official] = {}
        self._reporters: dict[int, Thing] = {}
        self._slots: set[tuple[date, str]] = set()
        self.events: list[Event] = []
        for index in range(max(6, triples // 350)):
            self.events.append(self._event(index))

    @staticmethod
    def _organisations_and_countries() -> dict[str, Thing]:
        things = {}
        for name, kind, label, variants, article in ORGANISATIONS:
            things[name] = Thing(f"bkd:{name}", f"bk:{kind}", label, variants, article)
        name, label = POLITICAL_PRISONERS
        things[name] = Thing(f"bkd:{name}", "bk:PersonGroup", label)
        for name, label, _, _ in COUNTRIES:
            variants = COUNTRY_VARIANTS.get(name, ())
            things[name] = Thing(f"bkd:{name}", "bk:Country", label, variants, COUNTRY_ARTICLES.get(name, ""))
        return things

    def _court(self, name: str, city: str) -> tuple[Thing, str]:
        return Thing(f"bkd:{slug(name)}", "bk:GovernmentBody", name, (), "the "), city

    def prisoner(self, index: int) -> Prisoner:
        if index not in self._prisoners:
            rng = random.Random(self.seed * 1_000_003 + index)
            label, variants = belarusian_name(index)
            known_by = rng.sample(variants, min(len(variants), rng.choice((1, 2)))) if rng.random() < 0.25 else []
            thing = Thing(f"bkd:{slug(label)}", "bk:Person", label, tuple(known_by))
            country = rng.choices(COUNTRIES, weights=[weight for *_, weight in COUNTRIES])[0]
            occupation, employers, former, _ = rng.choices(OCCUPATIONS, weights=[o[-1] for o in OCCUPATIONS])[0]
            employer = self.things[rng.choice(employers)] if employers else None
            self._prisoners[index] = Prisoner(thing, self.things[country[0]], country[2], occupation, employer, former)
        return self._prisoners[index]

    def official(self, index: int) -> Official:
        if index not in self._officials:
            title, adjective, home, role = OFFICES[index % len(OFFICES)]
            label = western_name(index)
            thing = Thing(f"bkd:{slug(label)}", "bk:Person", label)
            self._officials[index] = Official(thing, title, adjective, self.things[home], role)
        return self._officials[index]

    def reporter(self) -> Thing:
        index = self.prisoner_count + _zipf(self.rng, self.reporter_count)
        if index not in self._reporters:
            label, _ = belarusian_name(index)
            self._reporters[index] = Thing(f"bkd:{slug(label)}", "bk:Person", label)
        return self._reporters[index]

    def pick(self, names: tuple[str, ...]) -> Thing:
        return self.things[self.rng.choice(names)]

    def publisher(self) -> Thing:
        return self.things[PUBLISHERS[_zipf(self.rng, len(PUBLISHERS))]]

    def pick_event(self) -> Event:
        return self.events[_zipf(self.rng, len(self.events))]

    def _people(self, count: int, taken: set[int]) -> list[Prisoner]:
        """count prisoners not yet in the event, drawn with the Zipf skew."""
        people = []
        for _ in range(count * 4):
            index = _zipf(self.rng, self.prisoner_count)
            if index not in taken:
                taken.add(index)
                people.append(self.prisoner(index))
                if len(people) == count:
                    break
        return people

    def _officials_for(self, count: int) -> list[Official]:
        indexes = dict.fromkeys(_zipf(self.rng, self.official_count) for _ in range(count))
        return [self.official(index) for index in indexes]

    def _slot(self, day: date, place: str, step: int) -> date:
        """The nearest free day from `day` at `place` (later, or earlier for talks, which
        must stay before the release they led to): no two events share a day and a place,
        so no two reports of different events read alike."""
        while (day, place) in self._slots:
            day += timedelta(days=step)
        self._slots.add((day, place))
        return day

    def _event(self, index: int) -> Event:
        kind = EVENT_KINDS[index % len(EVENT_KINDS)]
        day = FIRST_DAY + timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days))
        if kind == "release":
            return self._release(day, with_talks=index == 0 or self.rng.random() < 0.35)
        if kind == "arrest":
            return self._arrest(day)
        if kind == "sentencing":
            return self._sentencing(day)
        return self._negotiation(day, self.rng.choice(TALKS_VENUES))

    def _make(
        self,
        kind: str,
        day: date,
        place: str,
        label: str,
        size: int,
        authority: Thing | None,
        participants: list[Participant],
    ) -> Event:
        day = self._slot(day, place, step=-1 if kind == "negotiation" else 1)
        iri = f"bkd:{kind}-{slug(place)}-{day.isoformat()}"
        thing = Thing(iri, EVENT_CLASSES[kind], f"{label} in {place}, {long_date(day)}")
        return Event(thing, kind, day, place, size, authority, participants)

    def _release(self, day: date, with_talks: bool) -> Event:
        taken: set[int] = set()
        freed = self._people(self.rng.randint(1, 12), taken)
        left = self._people(self.rng.choice((0, 0, 0, 1, 2)), taken)
        participants = [Participant(person, "Released") for person in freed]
        participants += [Participant(person, "NotReleased") for person in left]
        officials = self._officials_for(self.rng.choice((0, 0, 1, 1, 2)))
        participants += [Participant(official, official.release_role) for official in officials]
        if self.rng.random() < 0.3:
            participants.append(Participant(self.pick(BROKERS), "Broker"))
        release = self._make(
            "release",
            day,
            self.rng.choice(CITIES),
            "release of political prisoners held",
            size=len(freed) + self.rng.randint(1, 40),
            authority=self.pick(RELEASING_AUTHORITIES),
            participants=participants,
        )
        if with_talks:
            talks_day = release.day - timedelta(days=self.rng.randint(3, 40))
            release.talks = self._negotiation(talks_day, self.rng.choice(TALKS_VENUES), officials)
            release.talks.outcome = release
        return release

    def _arrest(self, day: date) -> Event:
        detained = self._people(self.rng.randint(1, 6), set())
        return self._make(
            "arrest",
            day,
            self.rng.choice(CITIES),
            "arrests",
            size=len(detained) + self.rng.randint(1, 12),
            authority=self.pick(ARRESTING_AUTHORITIES),
            participants=[Participant(person, "Arrestee") for person in detained],
        )

    def _sentencing(self, day: date) -> Event:
        court, city = self.rng.choice(self.courts)
        convicts = self._people(self.rng.randint(1, 4), set())
        participants = [
            Participant(person, "Convict", self.rng.choice((2, 3, 3, 4, 5, 6, 8, 10, 12, 15)), self.rng.choice(CHARGES))
            for person in convicts
        ]
        return self._make(
            "sentencing",
            day,
            city,
            f"political trial at the {court.label}",
            size=len(convicts) + self.rng.randint(1, 4),
            authority=court,
            participants=participants,
        )

    def _negotiation(self, day: date, venue: str, officials: list[Official] | None = None) -> Event:
        officials = officials or self._officials_for(self.rng.randint(1, 3))
        participants = [
            Participant(official, "DelegationLeader" if number == 0 else "Negotiator")
            for number, official in enumerate(officials)
        ]
        if self.rng.random() < 0.5:
            participants.append(Participant(self.pick(MEDIATORS), "Mediator"))
        return self._make(
            "negotiation", day, venue, "talks on political prisoners", size=0, authority=None, participants=participants
        )


############################################################################
# Turtle
############################################################################

Pairs = list[tuple[str, "str | Pairs"]]  # a node's (predicate, object) pairs; an object may be a blank node


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _typed(text: str, datatype: str) -> str:
    return f'"{text}"^^{datatype}'


def _object(value: str | Pairs) -> str:
    if isinstance(value, str):
        return value
    return "[ " + " ; ".join(f"{predicate} {_object(item)}" for predicate, item in value) + " ]"


def _statement(subject: str, pairs: Pairs) -> str:
    return subject + " " + " ;\n    ".join(f"{predicate} {_object(value)}" for predicate, value in pairs) + " .\n"


def _triple_count(pairs: Pairs) -> int:
    return sum(1 if isinstance(value, str) else 1 + _triple_count(value) for _, value in pairs)


############################################################################
# Dates and numbers in words
############################################################################


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _number(value: int) -> str:
    return NUMBER_WORDS[value] if value < len(NUMBER_WORDS) else str(value)


@dataclass(frozen=True)
class When:
    """How a sentence dates an event: words before or after the rest, and the instant."""

    opening: str
    closing: str
    instant: Pairs


def on_day(day: date) -> When:
    instant: Pairs = [("a", "time:Instant"), ("time:inXSDDate", _typed(day.isoformat(), "xsd:date")),
                      ("time:unitType", "time:unitDay")]  # fmt: skip
    return When(f"on {long_date(day)}, ", "", instant)


def in_month(day: date) -> When:
    instant: Pairs = [("a", "time:Instant"), ("time:inXSDgYearMonth", _typed(f"{day:%Y-%m}", "xsd:gYearMonth")),
                      ("time:unitType", "time:unitMonth")]  # fmt: skip
    return When(f"in {month_year(day)}, ", "", instant)


def days_before(day: date, issued: date, document: str) -> When:
    """'yesterday' or 'on Monday', resolved against the report's date."""
    phrase = "yesterday" if (issued - day).days == 1 else f"on {WEEKDAYS[day.weekday()]}"
    instant: Pairs = [("a", "time:Instant"), ("time:inXSDDate", _typed(day.isoformat(), "xsd:date")),
                      ("time:unitType", "time:unitDay"), ("bk:datePhrase", _literal(phrase)),
                      ("bk:resolvedAgainst", document)]  # fmt: skip
    return When("", f" {phrase}", instant)


def count_phrase(size: int, counted: str, rng: random.Random) -> tuple[str, Pairs]:
    """How a report gives the size of an event ('37 political prisoners', 'more than 30',
    'dozens of'), and the count claim's fields for it."""
    options: list[tuple[str, str, int | None]] = [(_number(size), "bk:Exactly", size)] * 2
    options.append((f"at least {_number(size)}", "bk:AtLeast", size))
    if size > 10:
        lower = (size - 1) // 10 * 10
        options.append((f"more than {lower}", "bk:MoreThan", lower))
    if size >= 15:
        options.append((f"about {round(size / 10) * 10}", "bk:About", round(size / 10) * 10))
    if size >= 24:
        options.append(("dozens of", "bk:Several", None))
    words, comparator, value = rng.choice(options)
    pairs: Pairs = [("bk:counted", _literal(counted)), ("bk:comparator", comparator)]
    pairs.append(("bk:value", str(value)) if value is not None else ("bk:quantityPhrase", _literal("dozens")))
    return f"{words} {counted}", pairs


############################################################################
# The register and the reports
############################################################################


class Register:
    """The things the reports mention, in the order first mentioned, with the spellings
    the seeds use; written last as kg/entities.ttl. It keeps its triple count up to date."""

    SECTIONS = (
        ("People", ("bk:Person",)),
        ("Organisations", ("bk:GovernmentBody", "bk:MediaOutlet", "bk:CivilSocietyOrganisation",
                           "bk:InternationalOrganisation")),
        ("Groups of people", ("bk:PersonGroup",)),
        ("Countries", ("bk:Country",)),
        ("Events", tuple(EVENT_CLASSES.values())),
    )  # fmt: skip

    def __init__(self) -> None:
        self.things: dict[str, Thing] = {}
        self.spellings: dict[str, dict[str, None]] = {}  # IRI -> the spellings some seed uses
        self.triples = 0

    def refer(self, thing: Thing) -> str:
        if thing.iri not in self.things:
            self.things[thing.iri] = thing
            self.spellings[thing.iri] = {}
            self.triples += 3  # type, prefLabel, and labelIsNormalised until a seed shows the label
        return thing.iri

    def show(self, thing: Thing, spelling: str) -> None:
        """A seed spells the thing so."""
        self.refer(thing)
        if spelling not in self.spellings[thing.iri]:
            self.spellings[thing.iri][spelling] = None
            self.triples += -1 if spelling == thing.label else 1

    def shown(self, thing: Thing) -> bool:
        return thing.label in self.spellings.get(thing.iri, {})

    def alias_count(self) -> int:
        return sum(len(self._aliases(thing)) for thing in self.things.values())

    def _aliases(self, thing: Thing) -> list[str]:
        return [spelling for spelling in self.spellings[thing.iri] if spelling != thing.label]

    def count(self, kinds: tuple[str, ...]) -> int:
        return sum(1 for thing in self.things.values() if thing.kind in kinds)

    def write(self, path: Path) -> None:
        parts = [PREFIXES, "\n# The register: every thing the synthetic reports mention, with its labels.\n"]
        for title, kinds in self.SECTIONS:
            parts.append(f"\n# {title}\n\n")
            parts += [self._line(thing) for thing in self.things.values() if thing.kind in kinds]
        path.write_text("".join(parts), encoding="utf-8")

    def _line(self, thing: Thing) -> str:
        pairs: Pairs = [("a", thing.kind), ("skos:prefLabel", _literal(thing.label) + "@en")]
        if not self.shown(thing):
            pairs.append(("bk:labelIsNormalised", "true"))
        pairs += [("skos:altLabel", _literal(alias) + "@en") for alias in self._aliases(thing)]
        return _statement(thing.iri, pairs)


class Identities:
    """The mapping's identity judgements, kept up to date as the reports are written: for
    each event, group and person, the documents whose claims name it, with the first
    sentence of each that does, and the spellings of a person's name they use; written last
    as kg/identities.ttl. An event or group that two documents name needs a judgement, and
    so does a person they spell differently (src/belkg/build/identities.py). It keeps its triple
    count up to date: a judgement is 4 triples, and each document's basis 4 more."""

    DESCRIBED = (*EVENT_CLASSES.values(), "bk:PersonGroup")
    NAMED = ("bk:Person",)

    def __init__(self) -> None:
        self.things: dict[str, Thing] = {}
        self.quotes: dict[str, dict[str, str]] = {}  # IRI -> document IRI -> its first sentence naming it
        self.forms: dict[str, dict[str, None]] = {}  # IRI -> the spellings of a person's name documents use
        self.triples = 0

    def name(self, thing: Thing, document: str, quote: str, spelling: str | None) -> None:
        """A claim of the document, quoting the sentence, names the thing (spelt so)."""
        person = thing.kind in self.NAMED
        if not person and thing.kind not in self.DESCRIBED:
            return
        # the spelling the identity check sees: the evidence's bk:spelling where it is one of
        # the thing's names, else the preferred label
        form = spelling if person and spelling in thing.variants else thing.label
        quotes = self.quotes.get(thing.iri)
        if quotes is None:
            self.things[thing.iri] = thing
            quotes = self.quotes[thing.iri] = {}
            self.forms[thing.iri] = {}
        forms = self.forms[thing.iri]
        if document in quotes and (not person or form in forms):
            return
        before = self._triples(thing)
        quotes.setdefault(document, quote)
        if person:
            forms[form] = None
        self.triples += self._triples(thing) - before

    def judged(self, thing: Thing) -> bool:
        documents = len(self.quotes[thing.iri])
        return documents >= 2 and (thing.kind in self.DESCRIBED or len(self.forms[thing.iri]) > 1)

    def _triples(self, thing: Thing) -> int:
        return 4 + 4 * len(self.quotes[thing.iri]) if self.judged(thing) else 0

    def count(self) -> int:
        return sum(1 for thing in self.things.values() if self.judged(thing))

    def write(self, path: Path) -> None:
        parts = [PREFIXES, "\n# The mapping's identity judgements: every event or group that several synthetic\n"
                 "# reports name, and every person they spell differently, with each report's words.\n\n"]  # fmt: skip
        for iri, thing in self.things.items():
            if not self.judged(thing):
                continue
            pairs: Pairs = [
                ("a", "bk:IdentityJudgement"),
                ("bk:identifies", iri),
                ("prov:wasAttributedTo", "bk:TheMapping"),
                ("bk:reason", _literal(self._reason(thing))),
            ]
            pairs += [
                ("bk:basis", [("a", "bk:Evidence"), ("oa:hasSource", document), ("oa:exact", _literal(quote))])
                for document, quote in self.quotes[iri].items()
            ]
            parts.append(_statement(f"bkd:identity-{iri.removeprefix('bkd:')}", pairs) + "\n")
        path.write_text("".join(parts), encoding="utf-8")

    def _reason(self, thing: Thing) -> str:
        if thing.kind == "bk:PersonGroup":
            return f"The reports all count the {thing.label}, as human rights groups count them: one group."
        if thing.kind in self.DESCRIBED:
            return f"The reports all tell of the {thing.label}: one event, of the same kind, place and day."
        forms = ", ".join(self.forms[thing.iri])
        return f"The reports write one person's name as {forms}: Belarusian and Russian spellings of one name."


@dataclass
class Claim:
    """A claim before its evidence: kind, fields, and the spelling of its subject's name
    where the quote does not use the preferred label."""

    kind: str
    pairs: Pairs
    spelling: str | None = None


@dataclass(frozen=True)
class Description:
    """How a sentence names an agent, and the claims that naming makes ('Polish journalist
    X' says X is Polish and a journalist)."""

    text: str
    claims: list[Claim]
    spelling: str | None


class Report:
    """One news report being written: its seed's paragraphs and its claims, with the
    triples they add. Every sentence said is the quote of the claims given with it."""

    def __init__(self, number: int, register: Register, identities: Identities, rng: random.Random, limit: int) -> None:
        self.number = number
        self.stem = f"{number:06d}_synthetic"
        self.iri = f"bkd:doc-{number:06d}"
        self.register = register
        self.identities = identities
        self.rng = rng
        self.limit = limit  # the triples this report, the register and the judgements may reach
        self.paragraphs: list[list[str]] = []
        self.head_pairs: Pairs = []
        self.head_lines: list[str] = []
        self.said: set[str] = set()
        self.claims: list[str] = []
        self.kinds: Counter[str] = Counter()
        self.triples = 0
        self.mentioned: set[str] = set()
        self.furniture = ""
        self._spellings: dict[str, str] = {}
        self._pending: list[tuple[Thing, str]] = []

    def full(self) -> bool:
        return self.triples + self.register.triples + self.identities.triples >= self.limit

    def spell(self, thing: Thing) -> str:
        """The report's spelling of a name: the preferred label where no seed has shown it
        yet, otherwise now and then another spelling, the same throughout the report."""
        spelling = self._spellings.get(thing.iri)
        if spelling is None:
            spelling = thing.label
            if thing.variants and self.register.shown(thing) and self.rng.random() < 0.5:
                spelling = self.rng.choice(thing.variants)
            self._spellings[thing.iri] = spelling
        self.show(thing, spelling)
        return spelling

    def name(self, thing: Thing) -> str:
        return thing.article + self.spell(thing)

    def show(self, thing: Thing, spelling: str) -> None:
        """The next sentence said spells the thing so (recorded once it is said)."""
        self._pending.append((thing, spelling))

    def head(self, title: str, issued: date, publisher: Thing, reporter: Thing) -> None:
        """The headline, date line and byline: the evidence of the report's own metadata."""
        self.head_lines = [f"# {title}", f"Published {long_date(issued)}", f"By {self.spell(reporter)}, "
                           f"{self.spell(publisher)}"]  # fmt: skip
        self._commit()
        self.head_pairs = [
            ("a", "bk:NewsReport"),
            ("dcterms:title", _literal(title)),
            ("dcterms:issued", _typed(issued.isoformat(), "xsd:date")),
            ("dcterms:publisher", publisher.iri),
            ("dcterms:creator", reporter.iri),
            ("bk:seedFile", _literal(f"{self.stem}.txt")),
            *[("prov:wasDerivedFrom", self._evidence(line, None)) for line in self.head_lines],
        ]
        self.triples += _triple_count(self.head_pairs) + 1  # and the seed's hash
        self.identities.name(reporter, self.iri, self.head_lines[2], None)  # the byline is the creator's evidence

    def paragraph(self) -> None:
        self.paragraphs.append([])

    def say(self, sentence: str, claims: list[Claim]) -> bool:
        """Add a sentence and the claims it is the evidence of; False (and nothing added)
        if the report already has that sentence."""
        sentence = sentence[0].upper() + sentence[1:]
        if sentence in self.said:
            self._pending.clear()
            return False
        self.said.add(sentence)
        self._commit()
        self.paragraphs[-1].append(sentence)
        for claim in claims:
            self._write(claim, sentence)
        return True

    def _commit(self) -> None:
        for thing, spelling in self._pending:
            self.register.show(thing, spelling)
        self._pending.clear()

    def _evidence(self, quote: str, spelling: str | None) -> Pairs:
        evidence: Pairs = [("a", "bk:Evidence"), ("oa:hasSource", self.iri), ("oa:exact", _literal(quote))]
        if spelling:
            evidence.append(("bk:spelling", _literal(spelling)))
        return evidence

    def _write(self, claim: Claim, quote: str) -> None:
        pairs: Pairs = [("a", f"bk:{claim.kind}"), *claim.pairs]
        pairs.append(("prov:wasDerivedFrom", self._evidence(quote, claim.spelling)))
        self.triples += _triple_count(pairs)
        self.kinds[claim.kind] += 1
        for _, value in claim.pairs:
            thing = self.register.things.get(value) if isinstance(value, str) else None
            if thing is not None:
                self.identities.name(thing, self.iri, quote, claim.spelling)
        self.claims.append(_statement(f"bkd:claim-{self.number:06d}-{len(self.claims) + 1:03d}", pairs))

    def write(self, out: Path) -> None:
        """Write the seed and the claims file; every quote must occur once in the seed."""
        blocks = [*self.head_lines, *(" ".join(p) for p in self.paragraphs if p)]
        if self.furniture:
            blocks.append(self.furniture)
        text = "\n\n".join(blocks) + "\n"
        for quote in [*self.head_lines, *self.said]:
            if text.count(quote) != 1:
                raise RuntimeError(f"{self.stem}: the quote {quote!r} is not unique in its seed")
        (out / "seeds" / f"{self.stem}.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        node = _statement(self.iri, [*self.head_pairs, ("bk:sha256", _literal(digest))])
        (out / "kg" / f"{self.stem}.ttl").write_text(f"{PREFIXES}\n{node}\n" + "\n".join(self.claims), "utf-8")


############################################################################
# Telling events
############################################################################


def describe(report: Report, agent: Agent, appositive: bool) -> Description:
    """Name an agent in a sentence, with what the naming claims about it. An appositive
    ('X, a citizen of Poland,') only fits where the name opens the sentence."""
    if isinstance(agent, Prisoner):
        return _describe_prisoner(report, agent, appositive)
    if isinstance(agent, Official):
        return _describe_official(report, agent, appositive)
    name = report.spell(agent)
    return Description(agent.article + name, [], name if name != agent.label else None)


def _describe_prisoner(report: Report, prisoner: Prisoner, appositive: bool) -> Description:
    person, country = prisoner.thing, prisoner.country
    name = report.spell(person)
    spelling = name if name != person.label else None
    nationality = Claim("NationalityClaim", [("bk:national", person.iri), ("bk:country", country.iri)], spelling)
    role: Pairs = [("bk:holder", person.iri), ("bk:roleName", _literal(prisoner.occupation))]
    if prisoner.former:
        role.append(("bk:former", "true"))
    occupation = f"former {prisoner.occupation}" if prisoner.former else prisoner.occupation
    chance = report.rng.random()
    if appositive and (chance < 0.1 or (chance < 0.6 and not report.register.shown(country))):
        return Description(f"{name}, a citizen of {report.name(country)},", [nationality], spelling)
    if chance < 0.3:
        return Description(name, [], spelling)
    if chance < 0.6 or prisoner.former:
        if prisoner.employer:
            role.append(("bk:roleIn", prisoner.employer.iri))
            occupation = f"{report.spell(prisoner.employer)} {occupation}"
        return Description(f"{occupation} {name}", [Claim("RoleClaim", role, spelling)], spelling)
    report.register.refer(country)
    if country.iri != "bkd:belarus" and chance < 0.8:
        return Description(f"{prisoner.adjective} citizen {name}", [nationality], spelling)
    return Description(f"{prisoner.adjective} {occupation} {name}", [nationality, Claim("RoleClaim", role, spelling)],
                       spelling)  # fmt: skip


def _describe_official(report: Report, official: Official, appositive: bool) -> Description:
    person, home = official.thing, official.home
    name = report.spell(person)
    role = Claim("RoleClaim", [("bk:holder", person.iri), ("bk:roleName", _literal(official.title)),
                               ("bk:roleIn", home.iri)])  # fmt: skip
    chance = report.rng.random()
    if chance < 0.2:
        return Description(name, [], None)
    if appositive and (chance < 0.4 or not report.register.shown(home)):
        return Description(f"{name}, {official.title} of {report.name(home)},", [role], None)
    report.register.refer(home)
    if official.adjective in home.variants:  # "US", "EU": a spelling of the home's name
        report.show(home, official.adjective)
    return Description(f"{official.adjective} {official.title} {name}", [role], None)


def tell_participant(report: Report, world: World, event: Event, participant: Participant, in_full: bool) -> None:
    """A sentence naming one participant: its participation, and what the naming claims
    (nationality, occupation, office); a convict's sentence too."""
    templates = TEMPLATES if in_full else IN_PASSING
    template, hedge, attributed = report.rng.choice(templates[event.kind, participant.role])
    description = describe(report, participant.agent, appositive=template.startswith("{who}"))
    iri = _iri(participant.agent)
    attribution: Pairs = [("bk:hedge", hedge)] if hedge else []
    words = {"who": description.text, "place": event.place}
    if attributed:
        source = world.pick(SOURCES)
        words["source"] = report.name(source)
        attribution.append(("bk:statedBy", source.iri))
    fields: Pairs = [("bk:event", event.thing.iri), ("bk:participant", iri), ("bk:role", f"bk:{participant.role}")]
    claims = [Claim("ParticipationClaim", fields + attribution, description.spelling)]
    if participant.role == "Convict":
        term = f"{_number(participant.years)} years in a penal colony"
        words |= {"term": term, "charge": participant.charge}
        sentence: Pairs = [("bk:convict", iri), ("bk:term", _literal(term)), ("bk:minYears", str(participant.years)),
                           ("bk:charge", _literal(participant.charge)), ("bk:event", event.thing.iri)]  # fmt: skip
        claims.append(Claim("SentenceClaim", sentence, description.spelling))
    # The sentence's hedge or attribution qualifies what its naming says of the participant too.
    naming = [Claim(c.kind, c.pairs + attribution, c.spelling) for c in description.claims]
    if report.say(template.format(**words), claims + naming):
        report.mentioned.add(iri)


LEADS = {
    "release": "{authority} freed {count} held in {place}",
    "arrest": "{authority} detained {count} in {place}",
    "sentencing": "{authority} sentenced {count} in a political trial",
    "negotiation": "talks on the release of political prisoners were held in {place}",
}
COUNTED = {"release": "political prisoners", "arrest": "people", "sentencing": "defendants"}
LEAD_ROLES = {"release": "ReleasingAuthority", "arrest": "ArrestingAuthority", "sentencing": "Organiser"}


@cache
def lexicon(path: Path) -> list[Cue]:
    """The cue lexicon (ontology/cues.txt), read once."""
    return read_lexicon(path, "ontology/cues.txt")


# Why a cue of the quotation sentence does not qualify what its naming of the speaker says.
QUOTATION_REVIEWS = {
    "attribution": "attributes the quoted words, not the title the report gives",
    "quoted": "the quoted words are the speaker's, not the title the report gives",
}
QUOTATION_REVIEW = "in the quoted words, which are the speaker's, not in the title the report gives"


def quotation_reviews(sentence: str) -> Pairs:
    """A reviewed-cue note for each cue of a quotation sentence, for the claims its naming of
    the speaker makes: the cues qualify the words quoted, not the title the report gives."""
    reviews: dict[str, None] = {}
    for found in find_cues(sentence, lexicon(ROOT / "ontology" / "cues.txt")):
        if ":" in found.text:  # the cue a note names is the text before its first colon
            raise ValueError(f"the cue {found.text!r} of {sentence!r} has a colon and cannot be reviewed")
        reviews[f"{found.text}: {QUOTATION_REVIEWS.get(found.cue.kind, QUOTATION_REVIEW)}"] = None
    return [("bk:cueReviewed", _literal(review)) for review in reviews]


def tell_quotation(report: Report, event: Event) -> None:
    """What one of the officials who negotiated a release said of it."""
    officials = [p.agent for p in event.participants if isinstance(p.agent, Official)]
    if not officials:
        return
    official = officials[0]
    words = report.rng.choice(REMARKS)
    description = describe(report, official, appositive=False)
    quotation: Pairs = [("bk:speaker", official.thing.iri), ("bk:words", _literal(words)),
                        ("bk:about", event.thing.iri)]  # fmt: skip
    report.paragraph()
    sentence = f"“{words},” said {description.text}."
    # "said", and the cues of the words quoted, qualify the words, not the report's own
    # description of who said them
    reviews = quotation_reviews(sentence) if description.claims else []
    naming = [Claim(c.kind, c.pairs + reviews, c.spelling) for c in description.claims]
    report.say(sentence, [Claim("QuotationClaim", quotation), *naming])


def tell_prisoner_count(report: Report, world: World, issued: date) -> None:
    """The figure news reports give for context: how many political prisoners Belarus
    holds, as a human rights group counts them, that month."""
    months = (issued.year - FIRST_DAY.year) * 12 + issued.month - FIRST_DAY.month
    held = round(1450 - 1400 * 0.9**months)
    words, comparator, value = report.rng.choice(
        ((f"{held:,}", "bk:Exactly", held), (f"more than {held // 100 * 100:,}", "bk:MoreThan", held // 100 * 100),
         (f"about {round(held, -2):,}", "bk:About", round(held, -2)))
    )  # fmt: skip
    source, group = world.pick(SOURCES), world.things[POLITICAL_PRISONERS[0]]
    count: Pairs = [("bk:countOf", group.iri), ("bk:counted", _literal("political prisoners")),
                    ("bk:comparator", comparator), ("bk:value", str(value)), ("bk:statedBy", source.iri),
                    ("bk:asOf", in_month(issued).instant)]  # fmt: skip
    sentence = f"According to {report.name(source)}, there were {words} {report.spell(group)} in {month_year(issued)}."
    report.paragraph()
    report.say(sentence, [Claim("CountClaim", count)])


def tell_lead(report: Report, event: Event, when: When, count: tuple[str, Pairs] | None, opening: str = "") -> bool:
    """The sentence that says what happened, when, and how many: date, count and
    authority claims."""
    iri = report.register.refer(event.thing)
    authority = report.name(event.authority) if event.authority else ""
    body = LEADS[event.kind].format(authority=authority, count=count[0] if count else "", place=event.place)
    claims = [Claim("DateClaim", [("bk:event", iri), ("bk:date", when.instant)])]
    if count:
        claims.append(Claim("CountClaim", [("bk:countOf", iri), *count[1]]))
    if event.authority:
        spelling = report.spell(event.authority)
        fields: Pairs = [("bk:event", iri), ("bk:participant", event.authority.iri),
                         ("bk:role", f"bk:{LEAD_ROLES[event.kind]}")]  # fmt: skip
        claims.append(Claim("ParticipationClaim", fields, spelling if spelling != event.authority.label else None))
    return report.say(f"{opening}{when.opening}{body}{when.closing}.", claims)


def tell_relation(report: Report, event: Event) -> None:
    """What a release followed ('followed talks in Vilnius in March 2023', 'came two
    weeks after talks'), or what talks led to."""
    release, talks = (event, event.talks) if event.talks else (event.outcome, event)
    if release is None or talks is None:
        return
    fields: Pairs = [("bk:fromEvent", report.register.refer(release.thing)),
                     ("bk:toEvent", report.register.refer(talks.thing))]  # fmt: skip
    gap = (release.day - talks.day).days
    words = "days" if gap < 7 else "two weeks" if gap < 18 else "weeks"
    if event is talks:
        sentence = f"The talks paved the way for the release of political prisoners held in {release.place}."
        fields.append(("bk:relation", "bk:Following"))
    elif report.rng.random() < 0.5:
        sentence = f"The release followed talks in {talks.place} in {month_year(talks.day)}."
        fields.append(("bk:relation", "bk:Following"))
    else:
        sentence = f"The release came {words} after talks in {talks.place}."
        fields += [("bk:relation", "bk:After"), ("bk:gapPhrase", _literal(words))]
    report.paragraph()
    report.say(sentence, [Claim("EventRelationClaim", fields)])


def headline(report: Report, world: World, event: Event, count: str) -> str:
    if event.kind == "release":
        return f"{report.spell(world.things['belarus'])} frees {count}"
    if event.kind == "arrest" and event.authority:
        return f"{report.spell(event.authority)} detains {count} in {event.place}"
    if event.kind == "sentencing":
        return f"Court in {event.place} sentences {count} in political trial"
    return f"Talks on political prisoners held in {event.place}"


def _iri(agent: Agent) -> str:
    return agent.iri if isinstance(agent, Thing) else agent.thing.iri


def write_report(report: Report, world: World) -> None:
    """One event told in full, then one or two others in passing."""
    rng = report.rng
    event = world.pick_event()
    issued = event.day + timedelta(days=rng.choice((0, 1, 1, 2, 3, 4, 5, 6)))
    count = count_phrase(event.size, COUNTED[event.kind], rng) if event.size else None
    report.head(headline(report, world, event, count[0] if count else ""), issued, world.publisher(), world.reporter())
    recent = 1 <= (issued - event.day).days <= 6 and rng.random() < 0.6
    report.paragraph()
    tell_lead(report, event, days_before(event.day, issued, report.iri) if recent else on_day(event.day), count)
    tell_participants(report, world, event, in_full=True)
    if not report.full() and rng.random() < 0.5:
        tell_quotation(report, event)
    if not report.full():
        tell_relation(report, event)
    if not report.full() and rng.random() < 0.5:
        tell_prisoner_count(report, world, issued)
    told = {event.thing.iri}
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        other = world.pick_event()
        if report.full() or other.thing.iri in told:
            continue
        told.add(other.thing.iri)
        tell_in_passing(report, world, other)
    if rng.random() < 0.25:
        report.furniture = "Share"


def tell_participants(report: Report, world: World, event: Event, in_full: bool) -> None:
    """Most participants of an event, each once in a report, a few sentences a paragraph."""
    templates = TEMPLATES if in_full else IN_PASSING
    for participant in event.participants:
        if report.full() or (event.kind, participant.role) not in templates:
            continue
        if _iri(participant.agent) in report.mentioned or report.rng.random() < 0.15:
            continue
        if report.rng.random() < 0.4:
            report.paragraph()
        tell_participant(report, world, event, participant, in_full)


def tell_in_passing(report: Report, world: World, event: Event) -> None:
    """'Separately, in March 2023, the KGB detained 12 people in Hrodna', and some of them."""
    rng = report.rng
    report.paragraph()
    count = count_phrase(event.size, COUNTED[event.kind], rng) if event.size else None
    when = in_month(event.day) if rng.random() < 0.4 else on_day(event.day)
    if not tell_lead(report, event, when, count, opening="separately, "):
        tell_lead(report, event, on_day(event.day), count, opening="separately, ")
    tell_participants(report, world, event, in_full=False)


############################################################################
# The project
############################################################################


@dataclass(frozen=True)
class Size:
    """What a generated project holds: things of the register, reports, claims, identity
    judgements, and the asserted triples of kg/ (register, reports and judgements)."""

    people: int
    events: int
    documents: int
    claims: int
    organisations: int = 0
    countries: int = 0
    aliases: int = 0
    judgements: int = 0
    triples: int = 0
    claim_kinds: dict[str, int] = field(default_factory=dict)


def _start_project(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "ontology", out / "ontology")
    shutil.copytree(ROOT / "queries", out / "queries")
    (out / "kg").mkdir()
    (out / "seeds").mkdir()


def generate(out: Path, triples: int, seed: int = 1) -> Size:
    """Write a project folder of about `triples` asserted triples into `out`."""
    rng = random.Random(seed)
    world = World(triples, rng, seed)
    register, identities = Register(), Identities()
    _start_project(out)
    written, number, kinds, skips = 0, 0, Counter[str](), []
    while written + register.triples + identities.triples < triples:
        report = Report(number, register, identities, rng, triples - written)
        write_report(report, world)
        report.write(out)
        written += report.triples
        kinds += report.kinds
        if report.furniture:
            skips.append(f"{report.stem}\t{report.furniture}\ta share button\n")
        number += 1
    register.write(out / "kg" / "entities.ttl")
    identities.write(out / "kg" / "identities.ttl")
    (out / "kg" / "coverage-skip.txt").write_text("".join(skips), encoding="utf-8")
    return Size(
        people=register.count(("bk:Person",)),
        events=register.count(tuple(EVENT_CLASSES.values())),
        documents=number,
        claims=kinds.total(),
        organisations=register.count(Register.SECTIONS[1][1]),
        countries=register.count(("bk:Country",)),
        aliases=register.alias_count(),
        judgements=identities.count(),
        triples=written + register.triples + identities.triples,
        claim_kinds=dict(sorted(kinds.items())),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    size = generate(arguments.out, arguments.triples, arguments.seed)
    kinds = ", ".join(f"{count} {kind}" for kind, count in size.claim_kinds.items())
    print(
        f"{arguments.out}: {size.triples} triples; {size.people} people ({size.aliases} other spellings), "
        f"{size.organisations} organisations, {size.countries} countries, {size.events} events, "
        f"{size.documents} documents, {size.claims} claims ({kinds}), {size.judgements} identity judgements"
    )


if __name__ == "__main__":
    main()
