"""factory-boy factories for the test app's models; build them, save on an alias."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tests.testapp.models import Item, Ticket

__all__ = ["ItemFactory", "TicketFactory"]


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item

    name = factory.Sequence(lambda n: f"item {n}")
    quantity = 1


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    label = factory.Sequence(lambda n: f"ticket {n}")
