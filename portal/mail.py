"""The mail backend of a first look (`make run` without EMAIL_URL)."""

import sys

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Prints each message to the console and keeps a copy in `var/mail/`.

    A newcomer sees the confirmation link in the terminal and can still open the
    message later from the file.
    """

    def write_message(self, message):
        super().write_message(message)
        sys.stdout.write(message.message().as_string() + "\n" + "-" * 79 + "\n")
        sys.stdout.flush()
