"""The thread and the pôle's notes of a generated case (`Talk`, `CaseSim.talk`).

What the app writes, and nothing else:

- a message: what `cases.services.post_message` writes — the `Message`, its author's label
  as `cases.formatting.actor_label` gives it, and its author's `MessageRead` up to it (the
  thread's last message when they post: their own). No attachment. No notification: the
  generator writes none for its history entries either (the outbox rows would be the
  worker's to send, as if new);
- a note: what `cases.workspace.add_note` writes — the `CaseNote` alone (no history entry:
  the workspace writes none).

Their search entries are the batch's (`Batch.index`, as `cases.search` indexes them).

Who writes (`cases.access.can_post_message`, `may_write_note`): on the thread, the case's
referring side (its referrer, now and then a colleague of the same poste or direction:
`cases.access.is_referrer`) and the pôle — whoever acted for it (the head, a jurist on
intake duty), the assigned jurist, the case's expert in opinion mode; the notes, the
assigned jurist or the case's expert, on opinion and taken-over cases only.

When: at the moments the flow produces them (a return for completion, the questions of the
examination, the opinion and its follow-up, the lawyer's mandate, the starting act, a
hearing's outcome, the decision, an appeal, a payment, the stop by a collective proceeding,
the closure), each laid out after the act that prompts it — a reply some working days
later — with the case's own stream for its thread (`Talk.rng`, apart from the case's: the
thread moves nothing else of the case, nor any other case). Only what falls between the
referral's sending and the case's end (its closure, or now) is kept: a reply that would
come later has not been written yet, and a draft has no thread.

The words are the case's own (its debtor, amounts, dates, courts, lawyer, poste), so that
the search finds them.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings

from cases.enums import DebtorKind, Mode, OpinionConclusion, OpinionFollow
from cases.formatting import court_in_sentence, de_name, euros, lower_first, short_date
from cases.models import (
    Appeal,
    CaseNote,
    Decision,
    Hearing,
    LawyerMandate,
    Message,
    MessageRead,
    Opinion,
    StartingAct,
    User,
)
from deadlines.engine import is_working_day

if TYPE_CHECKING:
    from .case import CaseSim

DAY = datetime.timedelta(days=1)
PARIS = ZoneInfo(settings.TIME_ZONE)


class Talk:
    """The messages and notes of one generated case, kept in `write` (at its finish)."""

    def __init__(self, sim: CaseSim, rng: random.Random):
        self.sim, self.rng = sim, rng
        self.messages: list[Message] = []
        # Written while the step that prompts them is open: kept if they come before the
        # step ends (`settle`).
        self.pending: list[Message] = []
        self.notes: list[CaseNote] = []

    # Time and words ------------------------------------------------------------------------

    def soon(self, start: datetime.datetime, low: int = 3, high: int = 90) -> datetime.datetime:
        """A few minutes after `start` (the act that prompts the message)."""
        return start + datetime.timedelta(minutes=self.rng.randint(low, high))

    def later(self, start: datetime.datetime, median: float = 2.0) -> datetime.datetime:
        """Some working days after `start`, during office hours (a reply)."""
        rng = self.rng
        days = max(0.2, median * math.exp(rng.gauss(0, 0.6)))
        local = (start + datetime.timedelta(days=days)).astimezone(PARIS)
        while not is_working_day(local.date(), self.sim.departement):
            local += DAY
        local = local.replace(
            hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59)
        )
        return max(local, start + datetime.timedelta(minutes=rng.randint(5, 60)))

    def chance(self, share: float) -> bool:
        return self.rng.random() < share

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def day(self, moment: datetime.datetime) -> str:
        return short_date(self.sim.date(moment))

    @property
    def debtor(self) -> str:
        """The debtor as a colleague writes it: « Jean Martin », « SARL Transports du Nord »."""
        debtor = self.sim.debtor
        if debtor.kind == DebtorKind.NATURAL and debtor.first_name:
            return f"{debtor.first_name} {debtor.name}"
        return debtor.name

    @property
    def ref(self) -> str:
        return self.sim.case.reference

    def claim(self) -> str:
        """« la créance de TVA T2 2021 », « la créance d'impôt sur le revenu 2020 »."""
        claims = self.sim.claims
        claim = claims[self.rng.randrange(len(claims))]
        return f"la créance {de_name(lower_first(claim.get_tax_display()))} {claim.period}"

    def stake(self) -> str:
        return euros(self.sim.at_stake)

    # Authors -------------------------------------------------------------------------------

    def referrer(self) -> User:
        """The referrer, now and then a colleague of the same poste or direction."""
        sim = self.sim
        if self.chance(0.15):
            return self.pick(sim.g.people.referrers[sim.poste.pk])
        return sim.referrer

    def examiner(self) -> User:
        """Who examines the case for the pôle: its expert in opinion mode (when it has
        one), else its jurist."""
        sim = self.sim
        if sim.mode == Mode.AVIS and sim.expert is not None:
            return sim.expert
        return sim.jurist or sim.expert

    # Writing ---------------------------------------------------------------------------------

    def post(
        self, at: datetime.datetime, author: User, body: str, *, pending: bool = False
    ) -> datetime.datetime:
        sim = self.sim
        (self.pending if pending else self.messages).append(
            Message(
                case=sim.case,
                author=author,
                author_label=sim.g.people.labels[author.pk],
                body=body,
                sent_at=at,
            )
        )
        return at

    def note(self, at: datetime.datetime, author: User, text: str) -> None:
        sim = self.sim
        self.notes.append(
            CaseNote(
                case=sim.case,
                author=author,
                author_label=sim.g.people.labels[author.pk],
                text=text,
                created_at=at,
            )
        )

    def settle(self, until: datetime.datetime) -> None:
        """The step that prompted the pending messages ends at `until`: those written by
        then are kept, the others never were."""
        self.messages += [m for m in self.pending if m.sent_at <= until]
        self.pending = []

    def write(self) -> None:
        """The batch's rows of what was written between the referral's sending and the
        case's end, in the order written (a message's pk follows its time, as the unread
        counts read it: `cases.selectors.unread_messages`)."""
        sim = self.sim
        start = sim.case.submitted_at
        if start is None:
            return
        end = min(sim.now, sim.closed_at or sim.now)
        self.settle(end)
        last: dict[int, Message] = {}
        for message in sorted(self.messages, key=lambda m: m.sent_at):
            if start <= message.sent_at <= end:
                sim.b.add(message)
                last[message.author.pk] = message
        for message in last.values():
            sim.b.add(MessageRead(user=message.author, case=sim.case, last_read=message))
        for note in sorted(self.notes, key=lambda n: n.created_at):
            if start <= note.created_at <= end:
                sim.b.add(note)

    # The referral ----------------------------------------------------------------------------

    def submitted(self, at: datetime.datetime) -> None:
        """Now and then the referrer stresses the urgency after sending."""
        if not self.chance(0.08):
            return
        reason = self.pick(
            [
                f"{self.debtor} a mis en vente son fonds de commerce",
                f"{self.debtor} organise son insolvabilité : des biens ont été cédés récemment",
                f"{self.claim()} se prescrit dans quelques mois",
                "le redevable ne répond plus à aucune relance depuis plusieurs mois",
            ]
        )
        self.post(
            self.later(at, 1),
            self.referrer(),
            f"Bonjour, nous attirons votre attention sur l'urgence du dossier {self.ref} : "
            f"{reason}. Les sommes en jeu s'élèvent à {self.stake()}. Pouvez-vous l'examiner "
            "en priorité ?",
        )

    def returned(self, at: datetime.datetime, actor: User, lines: list[str]) -> None:
        """The referral returned for completion: the pôle says what it needs, the referring
        side tells when it comes."""
        if not self.chance(0.7):
            return
        missing = " ; ".join(lower_first(line) for line in lines)
        at = self.post(
            self.soon(at),
            actor,
            f"Bonjour, nous vous retournons le dossier {self.ref} ({self.debtor}) pour "
            f"compléments : {missing}. Sans ces éléments, nous ne pouvons pas en apprécier "
            "la recevabilité.",
        )
        if self.chance(0.55):  # before the referral comes back (`completed`)
            self.post(
                self.later(at, 2),
                self.referrer(),
                pending=True,
                body=self.pick(
                    [
                        f"Bonjour, nous avons demandé les éléments au {self.sim.poste.name}, "
                        "qui nous les transmet dans la semaine.",
                        "Bien reçu. Nous rassemblons les pièces et vous renvoyons le dossier "
                        "dès que possible.",
                        f"Bonjour, pour {lower_first(lines[0])}, la demande est en cours : "
                        "nous revenons vers vous rapidement.",
                    ]
                ),
            )

    def completed(self, at: datetime.datetime) -> None:
        self.settle(at)
        if self.chance(0.45):
            self.post(
                self.soon(at, 1, 20),
                self.referrer(),
                f"Le dossier {self.ref} est complété : les pièces demandées sont jointes au "
                "dossier. Nous vous le transmettons à nouveau.",
            )

    def declined(self, at: datetime.datetime, actor: User, reason: str) -> None:
        """The pôle declines: a word to the referring side, sent with the decision."""
        if self.chance(0.45):
            self.post(
                at,
                actor,
                f"Bonjour, après examen, le pôle ne donnera pas suite au dossier {self.ref} "
                f"({self.debtor}). {reason} Nous restons à votre disposition pour en parler.",
            )

    def withdrawn(self, at: datetime.datetime, reason: str) -> None:
        if self.chance(0.5):
            self.post(
                at,
                self.sim.referrer,
                f"Bonjour, nous retirons notre demande sur le dossier {self.ref}. {reason}",
            )

    # The examination -------------------------------------------------------------------------

    QUESTIONS = [
        (
            "Bonjour, pouvez-vous nous transmettre le dernier état des paiements {de_debtor} "
            "et la copie de la dernière mise en demeure ?",
            "Bonjour, voici l'état à jour : aucun paiement depuis la mise en demeure du "
            "{earlier}. Le solde dû s'élève à {stake}.",
        ),
        (
            "Bonjour, des SATD ont-elles été notifiées depuis la mise en recouvrement de "
            "{claim} ? Avec quel résultat ?",
            "Deux SATD bancaires ont été notifiées, la dernière le {earlier} : elles sont "
            "revenues sans fonds.",
        ),
        (
            "Pouvez-vous nous confirmer que {claim} n'a fait l'objet d'aucune réclamation ni "
            "demande de sursis de paiement ?",
            "Confirmé : aucune réclamation contentieuse ni sursis de paiement sur {claim}.",
        ),
        (
            "Le redevable a-t-il proposé un échéancier ? Le dossier mentionne des échanges "
            "avec le {poste}.",
            "Un plan de règlement a été proposé le {earlier} puis n'a pas été respecté : "
            "aucun versement depuis.",
        ),
        (
            "Bonjour, le {poste} dispose-t-il d'éléments récents sur le patrimoine "
            "{de_debtor} (FICOBA, fichier immobilier) ?",
            "Consultation FICOBA du {earlier} : deux comptes ouverts, soldes faibles. Le "
            "fichier immobilier est joint au dossier.",
        ),
    ]
    THANKS = [
        "Merci pour ces éléments, ils complètent utilement le dossier.",
        "Merci, c'est noté.",
        "Merci pour votre réponse rapide.",
    ]

    def words(self, at: datetime.datetime) -> dict:
        earlier = self.sim.date(at) - datetime.timedelta(days=self.rng.randint(20, 200))
        return {
            "de_debtor": de_name(self.debtor),
            "debtor": self.debtor,
            "claim": self.claim(),
            "stake": self.stake(),
            "poste": self.sim.poste.name,
            "earlier": short_date(earlier),
        }

    def examination(self, at: datetime.datetime) -> None:
        """The case given to its examiner: questions to the referring side and their
        answers while the examination lasts (`examined`); on opinion and taken-over
        cases, a note of the examiner now and then."""
        sim = self.sim
        if sim.mode == Mode.SOUTIEN:
            self.support(at)
            return
        examiner = self.examiner()
        given = at
        for _ in range(self.rng.choices([0, 1, 2], [40, 45, 15])[0]):
            question, answer = self.pick(self.QUESTIONS)
            words = self.words(at)
            at = self.post(self.later(at, 3), examiner, question.format(**words), pending=True)
            if not self.chance(0.8):
                continue
            at = self.post(self.later(at, 2), self.referrer(), answer.format(**words), pending=True)
            if self.chance(0.2):
                at = self.post(
                    self.soon(at, 30, 600), examiner, self.pick(self.THANKS), pending=True
                )
        if self.chance(0.35):
            self.note(
                self.later(given, 1),
                examiner,
                self.pick(
                    [
                        f"Premier examen : {self.stake()} en jeu ; vérifier la prescription "
                        f"de {self.claim()} avant tout acte.",
                        f"Patrimoine {de_name(self.debtor)} à confirmer (FICOBA, fichier "
                        "immobilier) avant de conclure.",
                        f"Appeler le {sim.poste.name} : historique des relances incomplet.",
                        f"Risque d'ouverture d'une procédure collective contre {self.debtor} : "
                        "surveiller le BODACC.",
                    ]
                ),
            )

    def examined(self, at: datetime.datetime) -> None:
        """The examination ends (the opinion written, the lawyer mandated): the questions
        not asked by then never were."""
        self.settle(at)

    def support(self, at: datetime.datetime) -> None:
        """Technical support is a thread: the referring side's draft, the jurist's remarks,
        the corrected draft (closed by the step's summary)."""
        sim = self.sim
        act = self.pick(["assignation", "requête", "mémoire", "projet de commandement"])
        jurist = sim.jurist
        at = self.post(
            self.later(at, 2),
            self.referrer(),
            f"Bonjour, vous trouverez au dossier notre projet d'acte ({act}) contre "
            f"{self.debtor}. Pourriez-vous le relire, notamment la motivation sur {self.claim()} ?",
        )
        at = self.post(
            self.later(at, 5),
            jurist,
            self.pick(
                [
                    "Bonjour, le projet appelle quelques remarques : la chronologie des "
                    f"relances est à compléter et le montant réclamé ({self.stake()}) à "
                    "justifier créance par créance.",
                    "Bonjour, le projet est solide. Précisez toutefois le fondement de "
                    f"l'action contre {self.debtor} et joignez les titres exécutoires.",
                    "Bonjour, attention au délai : l'acte doit être délivré avant le "
                    f"{short_date(sim.date(at) + datetime.timedelta(days=60))} pour "
                    "interrompre la prescription.",
                ]
            ),
        )
        if self.chance(0.7):
            at = self.post(
                self.later(at, 4),
                self.referrer(),
                "Merci, nous avons repris le projet en ce sens : la version corrigée est au "
                "dossier.",
            )
            if self.chance(0.6):
                self.post(
                    self.later(at, 2),
                    jurist,
                    "La version corrigée nous paraît prête à être délivrée. Bonne suite.",
                )

    # The opinion -------------------------------------------------------------------------------

    def opinion_written(self, at: datetime.datetime, author: User) -> None:
        if self.chance(0.3):
            self.note(
                self.soon(at, 1, 30),
                author,
                self.pick(
                    [
                        f"Avis rédigé sur {self.debtor} : le coût de la procédure reste "
                        f"mesuré au regard des {self.stake()} en jeu.",
                        "Point à discuter à la relecture : solvabilité réelle du redevable.",
                        "Sources de l'avis : état hypothécaire et relevés du "
                        f"{self.sim.poste.name}.",
                    ]
                ),
            )

    def opinion_given(self, at: datetime.datetime, opinion: Opinion) -> None:
        if not self.chance(0.4):
            return
        sense = {
            OpinionConclusion.FAVOURABLE: "favorable à l'action envisagée",
            OpinionConclusion.UNFAVOURABLE: "défavorable à l'action envisagée",
            OpinionConclusion.OTHER_ACTION: "qu'une autre action est plus pertinente",
        }[opinion.conclusion]
        verb = "conclut " if opinion.conclusion == OpinionConclusion.OTHER_ACTION else "est "
        self.post(
            self.soon(at, 10, 240),
            opinion.author,
            f"Bonjour, l'avis d'opportunité sur {self.debtor} est validé : il {verb}{sense}. "
            "Nous restons disponibles pour en discuter.",
        )

    def followed(self, at: datetime.datetime, follow: str, takeover: bool) -> None:
        if not self.chance(0.55):
            return
        if takeover:
            body = (
                f"Merci pour cet avis. Nous sollicitons la prise en charge de l'action contre "
                f"{self.debtor} par le pôle, les sommes en jeu ({self.stake()}) le justifiant."
            )
        elif follow == OpinionFollow.FOLLOWED:
            body = (
                f"Merci pour cet avis, que la direction suit : le {self.sim.poste.name} "
                "engage la procédure."
            )
        elif follow == OpinionFollow.PARTLY:
            body = (
                f"Merci. La direction suit l'avis en partie : {self.debtor} a proposé un "
                "règlement partiel, que le poste examine d'abord."
            )
        else:
            body = (
                f"Merci pour votre analyse. La direction ne suivra pas l'avis : le comptable "
                f"a obtenu un échéancier de {self.debtor}."
            )
        self.post(self.soon(at, 1, 30), self.sim.referrer, body)

    def takeover_refused(self, at: datetime.datetime, head: User) -> None:
        if self.chance(0.5):
            self.post(
                at,
                head,
                f"Bonjour, le pôle ne prendra pas en charge l'action contre {self.debtor} : "
                "la direction peut la conduire seule, avec l'appui de l'avis rendu.",
            )

    # The takeover ------------------------------------------------------------------------------

    def mandated(self, at: datetime.datetime, mandate: LawyerMandate, court: str) -> None:
        jurist, lawyer = self.sim.jurist, mandate.lawyer
        if self.chance(0.75):
            at = self.post(
                self.soon(at),
                jurist,
                f"Bonjour, nous avons mandaté {lawyer.name} ({lawyer.bar}) le "
                f"{short_date(mandate.mandated_on)} pour engager l'action contre {self.debtor} "
                f"devant {court_in_sentence(court)}. Nous vous tiendrons informés.",
            )
            if self.chance(0.35):
                self.post(
                    self.later(at, 1),
                    self.referrer(),
                    f"Merci. Le {self.sim.poste.name} reste à la disposition de "
                    f"{lawyer.name} pour tout justificatif.",
                )
        if self.chance(0.3):
            self.note(
                self.soon(at, 1, 60),
                jurist,
                f"Convention d'honoraires de {lawyer.name} : {lawyer.fee_agreement}. Premier "
                "projet d'acte attendu sous trois semaines.",
            )

    def engaged(self, at: datetime.datetime, act: StartingAct) -> None:
        if self.chance(0.35):
            self.post(
                self.soon(at),
                self.sim.jurist,
                f"L'acte introductif ({lower_first(act.get_kind_display())}) contre "
                f"{self.debtor} est daté du {short_date(act.signed_on)} et a été délivré le "
                f"{short_date(act.served_on)}. L'affaire sera appelée devant "
                f"{court_in_sentence(act.court)}.",
            )

    def adjourned(
        self, at: datetime.datetime, hearing: Hearing, new: datetime.datetime, reason: str
    ) -> None:
        if self.chance(0.4):
            at = self.post(
                self.soon(at),
                self.sim.jurist,
                f"L'audience du {self.day(hearing.scheduled_at)} devant "
                f"{court_in_sentence(hearing.court)} est renvoyée au {self.day(new)} : "
                f"{lower_first(reason)}",
            )
            if self.chance(0.2):
                self.post(
                    self.later(at, 2),
                    self.referrer(),
                    f"Bien noté, merci. {self.debtor} n'a rien versé depuis.",
                )

    def deliberation(
        self, at: datetime.datetime, hearing: Hearing, deliberation: datetime.date
    ) -> None:
        jurist = self.sim.jurist
        court = court_in_sentence(hearing.court)
        if self.chance(0.5):
            self.post(
                self.soon(at),
                jurist,
                f"L'affaire {self.debtor} a été plaidée le {self.day(hearing.scheduled_at)} "
                f"devant {court} ; décision mise en délibéré au {short_date(deliberation)}.",
            )
        if self.chance(0.25):
            self.note(
                self.soon(at, 5, 120),
                jurist,
                f"Audience du {self.day(hearing.scheduled_at)} : "
                + self.pick(
                    [
                        "la partie adverse sollicite des délais de paiement ; le juge paraît "
                        "réservé.",
                        "conclusions adverses sur la prescription, à reprendre en note en "
                        "délibéré.",
                        "le conseil du redevable conteste le montant ; nos pièces sont complètes.",
                    ]
                ),
            )

    def decided(self, at: datetime.datetime, decision: Decision) -> None:
        jurist = self.sim.jurist
        awarded = decision.amount_awarded
        amount = f" (montant alloué : {euros(awarded)})" if awarded else ""
        if self.chance(0.75):
            at = self.post(
                self.soon(at),
                jurist,
                f"Bonjour, {court_in_sentence(decision.court)} a rendu sa décision le "
                f"{short_date(decision.decided_on)} dans l'affaire {self.debtor} : "
                f"{lower_first(decision.get_outcome_display())}{amount}. Le compte rendu suit.",
            )
            if self.chance(0.4):
                self.post(
                    self.later(at, 2),
                    self.referrer(),
                    self.pick(
                        [
                            f"Merci. Nous en informons le comptable du {self.sim.poste.name}.",
                            "Merci pour ce suivi. Le poste prépare les suites du recouvrement.",
                            "Bien reçu, merci. Faut-il envisager un appel ?",
                        ]
                    ),
                )
        if self.chance(0.2):
            self.note(
                self.soon(at, 5, 120),
                jurist,
                f"Décision du {short_date(decision.decided_on)} : vérifier la signification "
                "pour faire courir le délai de recours.",
            )

    def appealed(self, at: datetime.datetime, appeal: Appeal, by_pole: bool) -> None:
        if not self.chance(0.7):
            return
        if by_pole:
            body = (
                f"Nous avons interjeté appel le {short_date(appeal.lodged_on)} devant "
                f"{court_in_sentence(appeal.court)} : {lower_first(appeal.grounds)}"
            )
        else:
            body = (
                f"{self.debtor} a interjeté appel le {short_date(appeal.lodged_on)} devant "
                f"{court_in_sentence(appeal.court)}. Notre avocat conclura pour le Trésor."
            )
        self.post(self.soon(at), self.sim.jurist, body)

    def received(self, at: datetime.datetime, amount: Decimal, comment: str) -> None:
        """A sum received: the referring side tells of the debtor's payment, the jurist of
        the others."""
        if comment == "Paiement du redevable":
            if self.chance(0.6):
                self.post(
                    self.soon(at, 1, 60),
                    self.referrer(),
                    f"{self.debtor} a versé {euros(amount)} le {self.day(at)} ; le "
                    f"{self.sim.poste.name} l'impute sur les créances du dossier.",
                )
        elif self.chance(0.4):
            self.post(
                self.soon(at),
                self.sim.jurist,
                f"{comment} : {euros(amount)} reçus le "
                f"{self.day(at)} au titre du dossier {self.ref}.",
            )

    def stopped(self, at: datetime.datetime, opened_on: datetime.date) -> None:
        if self.chance(0.7):
            self.post(
                self.later(at, 1),
                self.sim.jurist,
                f"La procédure collective ouverte le {short_date(opened_on)} contre "
                f"{self.debtor} arrête notre action (C. com. L.622-21). La créance sera "
                "déclarée au passif.",
            )

    def closed(self, at: datetime.datetime, actor: User, text: str) -> None:
        if self.chance(0.5):
            self.post(
                at,
                actor,
                f"Le dossier {self.ref} ({self.debtor}) est clos. {text} Merci pour votre "
                "collaboration.",
            )
