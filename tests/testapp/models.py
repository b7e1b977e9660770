"""Models that exercise dash's events across Django's field types."""

import uuid

from django.db import models

from dash.bulk import EventManager


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


class Feature(Article):
    """A multi-table child of Article."""

    headline = models.CharField(max_length=100)


class Draft(Article):
    """A proxy of Article."""

    class Meta:
        proxy = True


class Ticket(models.Model):
    """A UUID-keyed model whose bulk writes emit events."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=50)

    objects = EventManager()

    def __str__(self) -> str:
        return self.label


class Item(models.Model):
    """A model whose bulk writes emit events."""

    name = models.CharField(max_length=50)
    quantity = models.IntegerField(default=0)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    secret_note = models.CharField(max_length=50, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE
    )

    objects = EventManager()

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """Many-to-many fields through an auto-created and a custom through model."""

    title = models.CharField(max_length=100)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    categories = models.ManyToManyField(
        Category, through="Filing", related_name="posts", blank=True
    )

    def __str__(self) -> str:
        return self.title


class Filing(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    note = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return f"{self.post_id}-{self.category_id}"


class Person(models.Model):
    """Many-to-many relations to self, symmetrical and not."""

    name = models.CharField(max_length=50)
    friends = models.ManyToManyField("self", blank=True)
    follows = models.ManyToManyField(
        "self", symmetrical=False, related_name="followers", blank=True
    )

    def __str__(self) -> str:
        return self.name


class Pin(models.Model):
    """Foreign keys that Django itself rewrites when their target is deleted."""

    label = models.CharField(max_length=50)
    article = models.ForeignKey(
        Article, null=True, blank=True, related_name="pins", on_delete=models.SET_NULL
    )
    holder = models.ForeignKey(
        Token,
        null=True,
        blank=True,
        default="spare",
        related_name="pins",
        on_delete=models.SET_DEFAULT,
    )
    backup_holder = models.ForeignKey(
        Token,
        null=True,
        blank=True,
        related_name="backup_pins",
        on_delete=models.SET("spare"),
    )

    def __str__(self) -> str:
        return self.label
