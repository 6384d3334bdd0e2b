"""French formatting of money and dates, for pages, messages and documents."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def _thousands(units: str) -> str:
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return NARROW_NBSP.join(groups)


def euros(amount: Decimal | int | None) -> str:
    """125432.17 -> '125 432,17 €' (narrow no-break space between thousands)."""
    if amount is None:
        return "—"
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    return f"{sign}{_thousands(units)},{cents}{NBSP}€"


def count(number: int | None) -> str:
    """20000 -> '20 000' (narrow no-break space between thousands, as euros)."""
    if number is None:
        return "—"
    number = int(number)
    return ("-" if number < 0 else "") + _thousands(str(abs(number)))


def percent(share: float | None) -> str:
    """0.4231 -> '42,3 %' (no-break space before the sign); "—" when unknown."""
    if share is None:
        return "—"
    return f"{float(share) * 100:.1f}".replace(".", ",") + f"{NBSP}%"


def long_date(value: datetime.date | None) -> str:
    """2026-11-23 -> '23 novembre 2026' (1er for the first of the month)."""
    if value is None:
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def megabytes(size: int) -> str:
    """5 * 2**20 / 2 -> '2,5 Mo'; 2 * 2**20 -> '2 Mo'."""
    text = f"{size / 1_048_576:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} Mo"


def short_date(value: datetime.date) -> str:
    """2027-01-12 -> '12/01/2027', as history entries and messages write a date."""
    return f"{value:%d/%m/%Y}"


def short_datetime(value: datetime.datetime) -> str:
    """'12/01/2027 à 09 h 30', in Paris time."""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%d/%m/%Y} à {local:%H} h {local:%M}"


def lower_first(text: str) -> str:
    """'Audience d'orientation' -> 'audience d'orientation'; 'JEX de Laon' and 'LPF L.267'
    keep their capitals."""
    text = text.strip()
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


# Before these letters « de » elides (an « h » in a name is taken as mute: d'Hélène).
ELIDING = set("aeiouyhàâäéèêëîïôöùûüÿæœ")


def de_name(name) -> str:
    """« de » before a name, elided before a vowel or a mute h: 'de Paul', 'd'Antoine',
    'd'Hélène', 'd'Émilie'."""
    name = str(name).strip()
    if name[:1].lower() in ELIDING:
        return f"d'{name}"
    return f"de {name}"


def court_in_sentence(court: str) -> str:
    """'Cour d'appel d'Amiens' -> 'la cour d'appel d'Amiens'; 'Tribunal judiciaire de Laon'
    -> 'le tribunal judiciaire de Laon'; 'JEX de Laon' keeps its capitals."""
    court = lower_first(court)
    article = "la" if court.lower().startswith(("cour", "chambre")) else "le"
    return f"{article} {court}"


def text_lines(text: str) -> list[str]:
    """The non-empty lines of a text, without list markers ('- ', '• ')."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def bullet_list(text: str) -> str:
    """The lines of a text as a '- ' list, one item a line (what a return asks for)."""
    return "\n".join(f"- {line}" for line in text_lines(text))


def person_name(user) -> str:
    """A user's full name, or their username; '' for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def pole_contact(intake_email: str, heads) -> str:
    """Whom a referrer asks about the pôle's cases, in a sentence: 'le pôle
    (accueil@…)', 'le chef du pôle, Marc Pôle (marc@…)', 'les chefs du pôle, A (a@…) ou
    B (b@…)', or 'le pôle' when nobody is known."""
    if intake_email:
        return f"le pôle ({intake_email})"
    people = [
        f"{person_name(head)} ({head.email})" if head.email else person_name(head) for head in heads
    ]
    if not people:
        return "le pôle"
    if len(people) == 1:
        return f"le chef du pôle, {people[0]}"
    return f"les chefs du pôle, {', '.join(people[:-1])} ou {people[-1]}"


def actor_label(user) -> str:
    """'Claire Dumont (Agent de direction)': who acted, as history and threads keep it."""
    name = person_name(user)
    return f"{name} ({user.get_role_display()})" if user.role else name


def siren_display(siren: str) -> str:
    """'552100554' -> '552 100 554' (no-break spaces, as printed); other values unchanged."""
    if len(siren) != 9:
        return siren
    return NBSP.join((siren[:3], siren[3:6], siren[6:]))


def long_datetime(value: datetime.datetime) -> str:
    """'12 janvier 2027 à 9 h 30', in Paris time."""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{long_date(local.date())} à {local.hour} h {local:%M}"


def file_size(size: int) -> str:
    """Sizes under a megabyte in kilobytes ('48 Ko'), larger ones in megabytes ('2,5 Mo'),
    with a no-break space before the unit."""
    if size < 1_048_576:
        return f"{max(1, -(-size // 1024))}{NBSP}Ko"
    return megabytes(size).replace(" ", NBSP)


def one_line(text: str) -> str:
    """A multi-line address on one line: '4 rue du Bourg\\n02000 Laon' -> '4 rue du Bourg,
    02000 Laon'."""
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())
