"""The model whose saves the activity log's save benchmark times."""

from __future__ import annotations

from django.db import models


class Reading(models.Model):
    """Eight fields of the usual kinds, none of them hidden or auto-updated."""

    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20)
    count = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    active = models.BooleanField(default=True)
    taken_on = models.DateField()
    taken_at = models.DateTimeField()
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
