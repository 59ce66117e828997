"""Model fields whose values are encrypted in the database (see journal/crypto.py).

The column is text holding a Fernet token; Python sees the value itself. Such a column cannot be
filtered or ordered on in SQL (the same value never gives the same token twice): the journal reads
a child's rows by the child and sorts them in Python.
"""

import datetime
import json

from django import forms
from django.db import models

from journal import crypto


class EncryptedTextField(models.TextField):
    """Text, encrypted at rest. Subclasses say how another type becomes text and back."""

    def encode(self, value) -> str:
        return str(value)

    def decode(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        return None if value is None else self.decode(crypto.decrypt(value))

    def get_prep_value(self, value):
        return None if value is None else crypto.encrypt(self.encode(value))

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return None if value is None else self.encode(value)


class EncryptedDateField(EncryptedTextField):
    def encode(self, value) -> str:
        return value.isoformat()

    def decode(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_python(self, value):
        return self.decode(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return forms.DateField(**kwargs)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (a dict of ratings, an event's details), encrypted as one token."""

    def encode(self, value) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def decode(self, text: str):
        return json.loads(text)
