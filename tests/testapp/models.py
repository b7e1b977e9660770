"""Models that exercise dash's events across Django's field types."""

import uuid

from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    rating = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    reference = models.UUIDField(default=uuid.uuid4)
    data = models.JSONField(default=dict, blank=True)
    attachment = models.FileField(upload_to="attachments/", blank=True)
    blob = models.BinaryField(null=True, blank=True)
    api_token = models.CharField(max_length=40, blank=True)
    client_secret = models.CharField(max_length=40, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE
    )

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    text = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.text


class Token(models.Model):
    """A string-keyed model."""

    key = models.CharField(max_length=20, primary_key=True)
    label = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.key


class Quiet(models.Model):
    """A model that opts out of dash's events."""

    dash_events = False
    name = models.CharField(max_length=20)

    def __str__(self) -> str:
        return self.name
