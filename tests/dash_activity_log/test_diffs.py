"""Stored properties become labelled rows: changes old → new, or values."""

from __future__ import annotations

from dash_activity_log.diffs import Change, Readable, readable
from example_project.library.models import Book


def test_an_update_becomes_changes_labelled_by_verbose_name() -> None:
    properties = {
        "changes": {
            "title": {"old": "Dune", "new": "Dune Messiah"},
            "price": {"old": "9.99", "new": "12.50"},
        }
    }

    assert readable(properties, Book) == Readable(
        changes=[
            Change("Title", "Dune", "Dune Messiah"),
            Change("Price", "9.99", "12.50"),
        ],
        is_update=True,
    )


def test_choices_show_their_labels_and_null_shows_as_empty() -> None:
    properties = {
        "changes": {
            "status": {"old": "available", "new": "on_loan"},
            "publisher": {"old": None, "new": 3},
        }
    }

    assert readable(properties, Book).changes == [
        Change("Status", "available", "on loan"),
        Change("Publisher", None, "3"),
    ]


def test_a_many_to_many_change_lists_removed_and_added_ids() -> None:
    properties = {"changes": {"genres": {"added": [4, 5], "removed": [1]}}}

    assert readable(properties, Book).changes == [
        Change("Genres", "1", "4, 5", many=True)
    ]


def test_a_field_the_model_no_longer_has_keeps_its_stored_name() -> None:
    properties = {"changes": {"blurb": {"old": "Old", "new": "New"}}}

    assert readable(properties, Book).changes == [Change("blurb", "Old", "New")]


def test_without_a_model_names_stay_as_stored() -> None:
    properties = {"changes": {"title": {"old": "Dune", "new": ["a", 1, True]}}}

    assert readable(properties).changes == [Change("title", "Dune", '["a", 1, true]')]


def test_an_empty_change_set_is_still_an_update() -> None:
    assert readable({"changes": {}}, Book) == Readable(is_update=True)


def test_a_creation_and_a_deletion_become_values() -> None:
    assert readable({"new": {"title": "Dune", "pages": 412}}, Book) == Readable(
        values=[("Title", "Dune"), ("Pages", "412")]
    )
    assert readable({"old": {"title": "Dune", "cover_notes": None}}, Book) == Readable(
        values=[("Title", "Dune"), ("Cover notes", None)]
    )


def test_custom_properties_become_values_under_their_own_names() -> None:
    properties = {"new": {"title": "x"}, "release": "2.1", "title": "Release"}

    assert readable(properties, Book) == Readable(
        values=[("new", '{"title": "x"}'), ("release", "2.1"), ("title", "Release")]
    )


def test_properties_that_are_no_dict_become_one_value() -> None:
    assert readable([1, 2]) == Readable(values=[("", "[1, 2]")])
