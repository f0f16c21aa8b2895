"""Dutch phrase fragments and the writer that mixes them into short, varied story entries."""

from __future__ import annotations

import random
from collections.abc import Sequence

OPENERS: dict[str, tuple[str, ...]] = {
    "huisbezoek": (
        "Huisbezoek bij {ouder} in {gemeente}.", "Op huisbezoek geweest, de kinderen waren naar school.",
        "Vandaag bij {ouder} thuis gesproken, aan de keukentafel.", "Huisbezoek samen met de wijkcoach.",
        "Bij ouder thuis geweest; de tolk was erbij.", "Kennismakingsgesprek thuis bij {ouder}.",
        "Huisbezoek zoals afgesproken, ouder had alle brieven klaargelegd.",
        "Korte huisbezoek om de papieren op te halen.",
    ),
    "telefoon": (
        "Telefonisch contact met {ouder}.", "Ouder belde zelf op.", "Teruggebeld na voicemail van ouder.",
        "Kort telefoongesprek.", "Ouder gebeld over de voortgang.", "Gebeld met {ouder}, ouder klonk gespannen.",
        "Telefonisch overleg met de gemeente {gemeente}.", "Ouder belde over een brief van {schuldeiser}.",
        "Niet bereikt, later opnieuw gebeld en toen wel gesproken.",
    ),
    "e-mail": (
        "E-mail ontvangen van {ouder}.", "Mail gestuurd aan ouder met de afspraken.",
        "Ouder mailde een foto van een aanmaning.", "E-mail van de gemeente {gemeente} over brede ondersteuning.",
        "Per mail de stukken ontvangen.", "Bevestiging per e-mail gestuurd.",
    ),
    "brief": (
        "Brief verstuurd aan ouder.", "Brief van {schuldeiser} ontvangen via ouder.",
        "Ouder heeft een brief gekregen over de beschikking.", "Aangetekende brief ontvangen.",
        "Uitnodigingsbrief voor het gesprek verstuurd.", "Brief aan schuldeiser gestuurd: moratorium van kracht.",
    ),
    "overleg": (
        "Overleg met de gemeente {gemeente}.", "Casusoverleg met wijkteam en schuldhulp.",
        "Overleg met de backoffice over de beoordeling.", "Triage-overleg: zaak besproken aan tafel.",
        "Afstemming met de beslisser.", "Overleg met SBN over de private schulden.",
        "Intervisie in het team over deze zaak.", "Overleg met de jurist over de bezwaartermijn.",
    ),
    "notitie": (
        "Notitie.", "Aantekening voor het dossier.", "Interne notitie.", "Ter info voor collega's.",
        "Stand van zaken vastgelegd.", "Korte aantekening na het gesprek.",
    ),
}

PHASE_LINES: dict[str, tuple[str, ...]] = {
    "aangemeld": (
        "De aanmelding is bevestigd; ouder heeft de bevestigingsbrief ontvangen.",
        "Uitgelegd hoe de hersteloperatie werkt en wat de volgende stappen zijn.",
        "Publieke schulden van voor 2021 staan nu op pauze; dat lucht ouder op.",
        "Ouder wil graag brede ondersteuning van de gemeente.",
        "Toestemming gevraagd om gegevens met de gemeente te delen.",
        "Ouder weet nog niet goed wat een pzb'er doet; uitgelegd.", "Contactgegevens van ouder gecontroleerd.",
    ),
    "eerste_toets": (
        "De eerste toets loopt nog; ouder vraagt wanneer er nieuws komt.",
        "Uitgelegd wat de Catshuisregeling is en dat de 30.000 euro niet terugbetaald hoeft te worden.",
        "Ouder komt vooralsnog niet in aanmerking voor de 30.000 euro en is teleurgesteld.",
        "De 30.000 euro is uitbetaald; ouder wil eerst de schulden regelen.",
        "Besproken dat bezwaar mogelijk is tegen de uitkomst van de eerste toets.",
        "Ouder vraagt waarom de buurvrouw al wel betaald is.", "Rekeningnummer voor de betaling gecontroleerd.",
    ),
    "integrale_beoordeling": (
        "De integrale beoordeling is gestart; per toeslagjaar wordt gekeken wat er is gebeurd.",
        "Ouder zoekt oude jaaropgaven en contracten van de kinderopvang bij elkaar.",
        "Ouder heeft nog bankafschriften uit 2012 gevonden.", "Gegevens van het gastouderbureau opgevraagd.",
        "Beoordeling duurt lang; ouder voelt zich niet gehoord.",
        "Uitgelegd welke toeslagjaren worden beoordeeld en waarom.",
        "Ouder herinnert zich het gastouderbureau niet meer.", "Stukken over de CAF-zaak opgevraagd.",
    ),
    "feitenrelaas": (
        "Het feitenrelaas doorgenomen met ouder; twee jaren kloppen volgens ouder niet.",
        "Ouder vult het feitenrelaas aan met een eigen verhaal.",
        "Feitenrelaas per toeslagjaar besproken, ouder herkent veel.",
        "Aanvullingen op het feitenrelaas doorgestuurd naar de backoffice.",
        "In het feitenrelaas ontbreekt het jaar waarin de toeslag stopte.",
    ),
    "vooraankondiging": (
        "De vooraankondiging besproken; uitgelegd wat de voorlopige uitkomst betekent.",
        "Ouder begrijpt de berekening in de vooraankondiging niet goed.",
        "Samen de bedragen in de vooraankondiging nagelopen.",
        "Ouder overweegt een zienswijze in te dienen.", "Vooraankondiging voorgelezen met de tolk erbij.",
    ),
    "zienswijze": (
        "Ouder heeft een zienswijze ingediend over de jaren 2011 en 2012.",
        "Geholpen met het opschrijven van de zienswijze.",
        "De zienswijze is ontvangen en doorgezet naar de beoordelaar.",
        "Ouder wil in de zienswijze de emotionele schade benoemen.",
    ),
    "definitieve_beschikking": (
        "De definitieve beschikking is ontvangen; het bedrag wordt binnenkort betaald.",
        "Uitgelegd dat de bezwaartermijn zestien weken is.",
        "Ouder twijfelt of bezwaar zin heeft.",
        "Na de beschikking loopt de pauze op publieke schulden af; besproken wat dat betekent.",
        "Kindregeling uitgelegd; de kinderen kunnen zich zelf aanmelden.",
        "Het herstelbedrag is hoger dan 30.000 euro; het verschil wordt betaald.",
        "Ouder hoeft niets terug te betalen, ook al is de schade lager.",
    ),
    "aanvullende_schade": (
        "Ouder wil een verzoek doen voor aanvullende schade bij de CWS.",
        "Uitgelegd wat werkelijke schade is: emotionele schade, inkomensschade, studievertraging.",
        "Keuze besproken tussen MijnHerstel en de route via SGH met een luisterend schrijver.",
        "Ouder heeft een herstelgesprek gehad via MijnHerstel.",
        "De vaststellingsovereenkomst doorgenomen met ouder.",
        "Ouder zoekt bewijs van de gemiste opleiding; aannemelijk maken is genoeg.",
    ),
    "bezwaar": (
        "Ouder heeft bezwaar gemaakt; het dossier gaat naar de BAC.",
        "De hoorzitting bij de Bezwaarschriftenadviescommissie is gepland.",
        "Ouder is zenuwachtig voor de hoorzitting; samen voorbereid.",
        "Het advies van de BAC is binnen.", "Gratis juridische hulp aangeboden voor het bezwaar.",
        "Bezwaartermijn nagerekend: zestien weken na de beschikking.", "Dossier voor de BAC compleet gemaakt.",
    ),
    "beroep": (
        "Ouder gaat in beroep bij de rechtbank.", "Advocaat van ouder heeft contact opgenomen.",
        "De zitting bij de rechtbank is over een paar maanden.",
        "Beroep niet tijdig beslissen besproken, en wat een dwangsom is.",
    ),
    "nazorg": (
        "Nazorg: de meeste zaken zijn geregeld, ouder wil graag nog af en toe contact.",
        "Ouder geeft aan dat het beter gaat.", "Laatste losse eindjes met de gemeente afgestemd.",
        "Ouder wil vooral rust en geen nieuwe brieven meer.", "Evaluatie van het plan met ouder en gemeente.",
        "Warme overdracht naar het wijkteam {gemeente}.",
    ),
    "afgesloten": (
        "Afsluitend gesprek gevoerd; ouder weet waar hij of zij terecht kan.",
        "Zaak afgerond, ouder bedankt voor de hulp.", "Ouder wil geen verdere ondersteuning.",
        "Ouder weet dat de zaak weer open kan als er iets verandert.",
    ),
}

DOMAIN_LINES: dict[str, tuple[str, ...]] = {
    "financien": (
        "Er ligt beslag op het loon door {schuldeiser}.", "Huurachterstand van {bedrag} euro bij de {corporatie}.",
        "Schuldhulp van de gemeente {gemeente} is ingeschakeld.", "Samen een schuldenlijst gemaakt.",
        "Ouder heeft een betalingsregeling met {schuldeiser}.", "Aanmaning van {schuldeiser} over {bedrag} euro.",
        "De deurwaarder is langs geweest.", "Bewindvoering aangevraagd, ouder wil hulp bij de administratie.",
        "Budgetbeheer loopt via de gemeente.", "Kwijtschelding van publieke schulden is aangevraagd.",
        "De private schulden gaan naar het loket van SBN.", "Ouder heeft geen overzicht meer van de post.",
        "Beslagvrije voet laten controleren.", "Toeslagen worden verrekend; uitgezocht waarom.",
        "Energierekening van {bedrag} euro is nog niet betaald.",
        "Ouder heeft een lening bij familie die ook terug moet.", "Incassokosten lopen op; brief aan {schuldeiser}.",
        "Overzicht gemaakt van vaste lasten en inkomsten.", "Kwijtscheldingsbrief van Toeslagen doorgenomen.",
        "Ouder wil het bedrag van de Catshuisregeling eerst gebruiken voor de schulden.",
        "Betaalachterstand bij de zorgverzekeraar van {bedrag} euro.", "Moratorium loopt nog tot de beschikking.",
        "Schuldeiser {schuldeiser} stemt in met een regeling.", "Ouder is bang voor nieuwe aanmaningen.",
    ),
    "wonen": (
        "Dreigende huisuitzetting door huurachterstand.", "Ouder woont tijdelijk bij familie.",
        "De {corporatie} wil meewerken aan een oplossing.", "Woning is te klein voor het gezin.",
        "Urgentieverklaring aangevraagd bij de gemeente {gemeente}.", "Afsluiting van energie dreigt.",
        "Vocht en schimmel in de woning, melding gedaan bij de verhuurder.", "Ouder zoekt een andere woning.",
        "De energieleverancier heeft de afsluiting uitgesteld.", "Verhuizing naar {gemeente} besproken.",
        "Huurtoeslag opnieuw aangevraagd.", "Kinderen delen een kamer; ouder slaapt in de woonkamer.",
        "Ontruimingsvonnis is uitgesteld na overleg met de verhuurder.",
        "Woonruimte via de gemeente {gemeente} gezocht.",
        "Wasmachine en koelkast zijn kapot; Humanitas kan helpen.", "Ouder woont in een noodwoning.",
    ),
    "zorg": (
        "Ouder slaapt slecht en heeft veel stress.", "Doorverwezen naar de huisarts.",
        "Ouder staat op de wachtlijst bij de GGZ.", "Gesprekken met een psycholoog zijn gestart.",
        "Zorgverzekering was stopgezet door achterstand bij het CAK.", "Ouder heeft lichamelijke klachten.",
        "Lotgenotencontact aangeboden.", "Ouder wil praten met een vertrouwenspersoon.",
        "Emotionele steun via het steunpunt besproken.",
        "Ouder heeft last van paniekaanvallen.", "Maatschappelijk werk is betrokken.",
        "Ouder gebruikt medicatie voor de slaap.", "Tandarts uitgesteld vanwege de kosten.",
        "Verwijzing naar slachtofferhulp besproken.", "Ouder zoekt een praatgroep voor gedupeerde ouders.",
    ),
    "werk": (
        "Ouder is het werk kwijtgeraakt door alle stress.", "Ouder wil weer aan het werk.",
        "Ouder heeft een bijstandsuitkering aangevraagd.", "Contact met het UWV over de WW-uitkering.",
        "Ouder wil een opleiding volgen; studieschuld bij DUO besproken.", "Re-integratie via de gemeente.",
        "Ouder werkt parttime en het inkomen is onzeker.", "Vrijwilligerswerk als dagbesteding besproken.",
        "Ouder heeft een eigen bedrijf gehad dat failliet ging.", "Sollicitatiebrief samen nagekeken.",
        "Ouder krijgt een proefplaatsing bij een zorginstelling.", "Inkomensschade door baanverlies in kaart gebracht.",
        "Ouder wil omscholen tot doktersassistent.", "Kinderopvangtoeslag is opnieuw aangevraagd.",
    ),
    "gezin": (
        "Het gaat niet goed met {kind} op school.", "{kind} heeft hulp nodig van de jeugdzorg.",
        "De kinderen weten weinig van wat er is gebeurd.", "Ouder heeft contact met de mentor op {school}.",
        "Spanningen met de ex-partner over de kinderen.", "Gezinscoach via het wijkteam ingezet.",
        "Kinderen kunnen mee op schoolreis dankzij de gemeente.", "Omgangsregeling besproken.",
        "De kinderopvang van {kind} is opnieuw geregeld.", "{kind} wil de kindregeling zelf aanvragen.",
        "Oudste kind heeft studievertraging opgelopen.",
        "{kind} heeft bijles nodig.", "{kind} was een tijd uit huis geplaatst.", "Pleegzorg is afgesloten.",
        "Ouder wil de kinderen vertellen wat er is gebeurd.", "{kind} sport weer dankzij het jeugdfonds.",
        "Schoolkosten zijn betaald via de gemeente {gemeente}.", "Kinderen slapen slecht sinds de verhuizing.",
    ),
}

GENERAL_LINES: tuple[str, ...] = (
    "Ouder is boos op de overheid en wantrouwig.", "Ouder waardeert dat er eindelijk iemand luistert.",
    "Vertrouwen groeit langzaam.", "Ouder wil alles op papier hebben.", "Ouder was emotioneel tijdens het gesprek.",
    "Afspraken zijn herhaald zodat ouder ze kan nalezen.", "Ouder heeft het gevoel steeds opnieuw te beginnen.",
    "Ouder is opgelucht.", "Ouder wil niet dat de buren iets merken.", "Ouder voelt zich van het kastje naar de muur.",
    "Ouder heeft een vriendin meegenomen als steun.", "Alles rustig uitgelegd in eenvoudige taal.",
    "Ouder vertelt over de brieven van toen.", "Ouder schaamt zich voor de situatie.",
    "Ouder is moe van alle gesprekken.", "Ouder voelt zich eindelijk erkend.", "Ouder wil vooral vooruit kijken.",
    "Ouder vraagt of de gegevens veilig zijn.", "Ouder heeft weinig steun van familie.",
    "Ouder reageert niet op brieven, wel op berichten.",
)

CLOSERS: tuple[str, ...] = (
    "Over twee weken opnieuw contact.", "Volgende afspraak staat.", "Ik bel ouder volgende week terug.",
    "Actie bij mij: uitzoeken bij de backoffice.", "Ouder stuurt de stukken na.",
    "Gemeente {gemeente} neemt contact op met ouder.", "Afgesproken dat ouder zelf {schuldeiser} belt.",
    "Ik stuur een samenvatting per brief.", "Terugkoppeling aan de beslisser.",
    "Verslag voorgelezen en door ouder herkend.", "Volgende stap: schuldenlijst compleet maken.",
    "Ouder laat weten of de afspraak schikt.", "Dossier bijgewerkt.",
    "Ik vraag na bij de backoffice hoe lang het nog duurt.", "Volgende keer samen de post doornemen.",
    "Afspraak gemaakt met het wijkteam.", "Ouder krijgt een kopie van dit verslag.",
    "Beslisser wordt gevraagd om spoed.", "Terugbelverzoek doorgezet naar de gemeente {gemeente}.",
    "Na de zomer evalueren we het plan.", "Brief aan {schuldeiser} gaat deze week de deur uit.",
)

CREDITORS = ("CJIB", "DUO", "UWV", "het CAK", "de Belastingdienst", "Toeslagen", "de zorgverzekeraar",
             "een incassobureau", "de SVB", "het LBIO", "de energieleverancier", "de gemeentelijke belastingen",
             "een deurwaarder", "de telefoonprovider")
SCHOOLS = ("de basisschool", "het vmbo", "de middelbare school", "het mbo", "de kinderopvang", "de bso")
PRESENT_EXTRA = ("tolk", "wijkcoach", "schuldhulpverlener", "zus van ouder", "vriendin van ouder",
                 "collega pzb'er", "budgetcoach")


class StoryWriter:
    """Mixes an opener for the kind of contact, one to three lines about the phase and the life domains
    in play, and sometimes a next step; slots (gemeente, creditor ...) are filled per case."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def text(self, kind: str, phase: str, domains: Sequence[str], slots: dict[str, str]) -> str:
        rng = self.rng
        parts = [rng.choice(OPENERS[kind])]
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.35:
                parts.append(rng.choice(PHASE_LINES[phase]))
            elif roll < 0.88:
                domain = rng.choice(domains) if domains and roll < 0.7 else rng.choice(tuple(DOMAIN_LINES))
                parts.append(rng.choice(DOMAIN_LINES[domain]))
            else:
                parts.append(rng.choice(GENERAL_LINES))
        if rng.random() < 0.6:
            parts.append(rng.choice(CLOSERS))
        return " ".join(parts).format_map(slots)

    def where_and_who(self, kind: str, gemeente: str) -> tuple[str, str]:
        rng = self.rng
        if kind == "huisbezoek":
            extra = f", {rng.choice(PRESENT_EXTRA)}" if rng.random() < 0.35 else ""
            return f"Bij ouder thuis, {gemeente}", f"Ouder, pzb'er{extra}"
        if kind == "overleg":
            place = rng.choice((f"Gemeentehuis {gemeente}", "Online (Teams)", f"Wijkteam {gemeente}",
                                "Kantoor UHT"))
            return place, rng.choice(("Pzb'er, gemeente", "Pzb'er, backoffice", "Pzb'er, wijkteam, schuldhulp",
                                      "Pzb'er, beslisser"))
        if kind == "telefoon":
            return "", "Ouder"
        return "", ""
