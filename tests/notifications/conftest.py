"""Fixtures of the notification tests: users with an email address, and a real SMTP
server (aiosmtpd) on a free local port that a test may stop and start again."""

import email
import logging
from email import policy

import pytest
from aiosmtpd.controller import Controller

from cases.enums import Mode
from cases.models import PosteComptable
from tests.factories import CaseFactory
from tests.processes import free_port as _free_port

DOMAIN = "dgfip.test"


@pytest.fixture
def mail_users(users) -> dict:
    """The `users` fixture, each with an address (username@dgfip.test)."""
    for user in users.values():
        user.email = f"{user.username}@{DOMAIN}"
        user.save(update_fields=["email"])
    return users


@pytest.fixture
def laon():
    return PosteComptable.objects.get(name="SIE de Laon")


@pytest.fixture
def make_case(mail_users, laon):
    """A complete DDFIP 02 draft referred by the SIE de Laon's agent."""

    def make(mode=Mode.PRISE_EN_CHARGE, local_law=False):
        return CaseFactory(
            complete=True,
            local_law=local_law,
            mode=mode,
            poste_comptable=laon,
            created_by=mail_users["poste_agent"],
        )

    return make


class Inbox:
    """aiosmtpd handler: keeps what it receives; refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.refused: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            self.refused.append(address)
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's session log
    server = SmtpServer(_free_port())
    server.start()
    settings.EMAIL_BACKEND = "notifications.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
