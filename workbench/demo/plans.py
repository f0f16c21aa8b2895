"""Plans for demo cases: needs per life domain, actions for every owner, commitments, consents, disclosures."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from workbench.demo.basics import BASE_DATE, BASE_TIME, day_between, new_id, weighted
from workbench.demo.people import Household
from workbench.demo.process import CaseFacts
from workbench.plans.vocabulary import life_domains

NEEDS: dict[str, tuple[str, ...]] = {
    "financien": ("Overzicht van alle schulden", "Beslag op loon of uitkering opheffen", "Huurachterstand oplossen",
                  "Hulp bij de administratie", "Private schulden via SBN regelen", "Energieschuld aflossen"),
    "wonen": ("Dreigende huisuitzetting voorkomen", "Passende woning voor het gezin", "Afsluiting energie voorkomen",
              "Urgentie aanvragen", "Verhuizing regelen"),
    "zorg": ("Psychische hulp voor ouder", "Zorgverzekering weer regelen", "Rust en herstel na jaren stress",
             "Huisarts en GGZ betrekken"),
    "werk": ("Weer aan het werk", "Inkomen op orde", "Opleiding afmaken", "Dagbesteding vinden"),
    "gezin": ("Hulp voor de kinderen op school", "Omgang met ex-partner regelen", "Gezinscoach inzetten",
              "Kinderopvang regelen", "Kindregeling aanvragen"),
}
ACTIONS: dict[str, tuple[str, ...]] = {
    "financien": ("Schuldenlijst opstellen met ouder", "Brief moratorium naar schuldeisers sturen",
                  "Aanmelden bij SBN loket private schulden", "Beslagvrije voet laten herberekenen",
                  "Kwijtschelding publieke schulden controleren", "Budgetbeheer aanvragen"),
    "wonen": ("Overleg met woningcorporatie over huurachterstand", "Urgentieaanvraag indienen",
              "Energieleverancier vragen afsluiting uit te stellen", "Woningzoekende inschrijving vernieuwen"),
    "zorg": ("Doorverwijzing huisarts regelen", "Aanmelden bij GGZ", "Zorgverzekering opnieuw afsluiten",
             "Lotgenotengroep voorstellen"),
    "werk": ("Gesprek met werkcoach plannen", "Bijstandsaanvraag ondersteunen", "Contact met UWV opnemen",
             "Studiemogelijkheden uitzoeken"),
    "gezin": ("Gesprek met mentor op school", "Aanmelden gezinscoach", "Kindregeling uitleggen aan de kinderen",
              "Bemiddeling omgangsregeling aanvragen"),
}
GENERAL_ACTIONS = ("Stukken opvragen bij de backoffice", "Feitenrelaas nalopen met ouder",
                   "Terugbellen over de beschikking", "Hoorzitting voorbereiden", "Dossier compleet maken voor BAC")
OWNERS = ("pzb", "backoffice", "gemeente", "partner")
PARTNERS = ("SBN loket private schulden", "Wijkteam {gemeente}", "Stichting (Gelijk)waardig Herstel",
            "Schuldhulpverlening {gemeente}", "GGD", "Juridisch Loket", "Humanitas", "Woningcorporatie")
COMMITMENTS = (
    "Terugbellen over de stand van de beoordeling", "Brief over het moratorium versturen",
    "Uitzoeken waarom de toeslag wordt verrekend", "Afspraak maken met de gemeente",
    "De berekening in de vooraankondiging uitleggen", "Schuldenlijst doorsturen naar SBN",
    "Navragen wanneer de betaling komt", "Kopie van het feitenrelaas opsturen",
    "Bij de backoffice nagaan of de stukken binnen zijn", "Samen de zienswijze afmaken",
    "Contact opnemen met de woningcorporatie", "Uitzoeken of de kinderen recht hebben op de kindregeling",
    "Verslag van het gesprek ter controle opsturen", "Informatie over aanvullende schade sturen",
)
BROKEN_NOTES = ("Door ziekte van de pzb'er niet gelukt.", "Backoffice heeft niet op tijd gereageerd.",
                "Vergeten; excuses gemaakt aan ouder.", "Gemeente kon de afspraak niet nakomen.")
RENEGOTIATE_NOTES = ("Ouder vroeg om meer tijd.", "Stukken kwamen later binnen; nieuwe datum afgesproken.",
                     "Na overleg met ouder verschoven.")
CONSENT_SCOPES = ("Brede ondersteuning: gegevens delen voor hulp bij schulden en wonen",
                  "Contactgegevens en hulpvraag delen voor brede ondersteuning",
                  "Gegevens delen voor schuldhulpverlening", "Gegevens delen voor hulp aan de kinderen")
DISCLOSED = ("Naam, adres, telefoonnummer en hulpvraag", "Overzicht van de schulden",
             "Stand van de beoordeling en de contactgegevens", "Gegevens over de kinderen voor de kindregeling")
LAST_DAY = BASE_DATE - dt.timedelta(days=1)


def _row(rng: random.Random, user_id: str, **values: Any) -> dict[str, Any]:
    return {"id": new_id(rng), "rev": 0, "updated_at": BASE_TIME, "updated_by": user_id, **values}


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class PlanMaker:
    """Writes a case's plan and consents; returns the life domains in play (the story talks about them)."""

    def __init__(self, rng: random.Random, user_id: str) -> None:
        self.rng = rng
        self.user_id = user_id
        self.domains = list(life_domains())
        self._weights = [5 if d == "financien" else 3 if d in ("wonen", "gezin") else 2 for d in self.domains]

    def plan(self, facts: CaseFacts, household: Household, handler_name: str,
             out: dict[str, list[dict[str, Any]]]) -> list[str]:
        rng = self.rng
        closed = facts.phase == "afgesloten"
        count = weighted(rng, (0, 1, 2, 3, 4), (8, 30, 34, 19, 9))
        picked = sorted(self.domains, key=lambda d: rng.random() ** (1 / self._weights[self.domains.index(d)]),
                        reverse=True)[:count]
        for domain in picked:
            need = _row(rng, self.user_id, case_id=facts.case_id, life_domain=domain,
                        description=rng.choice(NEEDS[domain]),
                        status=weighted(rng, ("open", "met", "dropped"), (5, 80, 15) if closed else (60, 30, 10)))
            out["need"].append(need)
            for _ in range(weighted(rng, (0, 1, 2), (25, 50, 25))):
                self._action(facts, household, need["id"], rng.choice(ACTIONS[domain]), closed, out)
        if rng.random() < 0.4:
            self._action(facts, household, None, rng.choice(GENERAL_ACTIONS), closed, out)
        for _ in range(weighted(rng, (0, 1, 2, 3), (25, 35, 25, 15))):
            self._commitment(facts, household, handler_name, closed, out)
        self._consents(facts, household, out)
        return picked

    def _action(self, facts: CaseFacts, household: Household, need_id: str | None, text: str, closed: bool,
                out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        owner = weighted(rng, OWNERS, (35, 15, 35, 15))
        name = {"gemeente": f"Gemeente {household.gemeente}",
                "partner": rng.choice(PARTNERS).format(gemeente=household.gemeente)}.get(owner, "")
        status = weighted(rng, ("open", "done", "cancelled"), (0, 85, 15) if closed else (50, 40, 10))
        done_on = None
        if status == "open":
            due = BASE_DATE + _days(rng.randint(-45, 60)) if rng.random() < 0.9 else None
        else:
            due = day_between(rng, facts.opened_on, LAST_DAY)
            done_on = min(due + _days(rng.randint(-10, 10)), LAST_DAY) if status == "done" else None
        out["action"].append(_row(rng, self.user_id, case_id=facts.case_id, need_id=need_id, description=text,
                                  owner=owner, owner_name=name, due_on=due, status=status, done_on=done_on))

    def _commitment(self, facts: CaseFacts, household: Household, handler_name: str, closed: bool,
                    out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        weights = (0, 55, 20, 25, 0) if closed else (35, 30, 10, 10, 15)
        status = weighted(rng, ("open", "kept", "kept_late", "broken", "renegotiated"), weights)
        latest = {"open": 1, "kept": 15, "kept_late": 70, "broken": 70, "renegotiated": 20}[status]
        earliest = max(facts.opened_on, BASE_DATE - _days(120 if status == "open" else 720))
        promised = day_between(rng, earliest, BASE_DATE - _days(latest))
        due = promised + _days(rng.randint(7, 60 if status != "renegotiated" else 30))
        steps: list[tuple[str | None, str, dt.date, str]] = [(None, "open", promised, "Toegezegd")]
        resolved: dt.date | None = None
        if status == "kept":
            resolved = day_between(rng, promised, min(due, LAST_DAY))
        elif status in ("kept_late", "broken"):
            resolved = min(due + _days(rng.randint(1 if status == "kept_late" else 0, 30)), LAST_DAY)
        if resolved is not None:
            note = rng.choice(BROKEN_NOTES) if status == "broken" else ""
            steps.append(("open", status, resolved, note))
        if status == "renegotiated":
            changed = day_between(rng, promised, LAST_DAY)
            first_due, due = due, changed + _days(rng.randint(14, 60))
            due = due + _days(1) if due == first_due else due
            steps.append(("open", status, changed, rng.choice(RENEGOTIATE_NOTES)))
        who = weighted(rng, (f"{handler_name} (pzb)", f"Gemeente {household.gemeente}", "Backoffice UHT",
                             "Beslisser UHT"), (60, 20, 12, 8))
        row = _row(rng, self.user_id, case_id=facts.case_id, description=rng.choice(COMMITMENTS),
                   promised_by=who, promised_on=promised, due_on=due, status=status, resolved_on=resolved)
        out["commitment"].append(row)
        for from_status, to_status, day, note in steps:
            out["commitment_status_change"].append(_row(
                rng, self.user_id, commitment_id=row["id"], from_status=from_status, to_status=to_status,
                on_date=day, note=note))

    def _consents(self, facts: CaseFacts, household: Household, out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        partners = []
        if rng.random() < 0.35:
            partners.append(f"Gemeente {household.gemeente}")
        if rng.random() < 0.06:
            partners.append("SBN loket private schulden")
        for partner in partners:
            given = day_between(rng, facts.opened_on, LAST_DAY)
            withdrawn = day_between(rng, given, LAST_DAY) if rng.random() < 0.08 else None
            consent = _row(rng, self.user_id, case_id=facts.case_id, partner=partner,
                           scope=rng.choice(CONSENT_SCOPES), given_on=given, withdrawn_on=withdrawn)
            out["consent"].append(consent)
            if rng.random() < 0.06:
                out["disclosure"].append(_row(
                    rng, self.user_id, case_id=facts.case_id, consent_id=consent["id"], partner=partner,
                    what=rng.choice(DISCLOSED), basis="toestemming",
                    disclosed_on=day_between(rng, given, withdrawn or LAST_DAY)))
        if rng.random() < 0.003:
            out["disclosure"].append(_row(
                rng, self.user_id, case_id=facts.case_id, consent_id=None, partner="Veilig Thuis",
                what="Zorgen over de veiligheid van de kinderen", basis="vitaal_belang",
                disclosed_on=day_between(rng, facts.opened_on, LAST_DAY)))
