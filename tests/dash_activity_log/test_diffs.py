"""Stored properties become labelled rows: changes old → new, or values."""

from __future__ import annotations

import json

from dash_activity_log.diffs import SHOWN_CHARACTERS, Change, Readable, Text, readable
from example_project.library.models import Book


def _text(value: str) -> Text:
    return Text(value, len(value))


def test_an_update_becomes_changes_labelled_by_verbose_name() -> None:
    properties = {
        "changes": {
            "title": {"old": "Dune", "new": "Dune Messiah"},
            "price": {"old": "9.99", "new": "12.50"},
        }
    }

    assert readable(properties, Book) == Readable(
        changes=[
            Change("Title", _text("Dune"), _text("Dune Messiah")),
            Change("Price", _text("9.99"), _text("12.50")),
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
        Change("Status", _text("available"), _text("on loan")),
        Change("Publisher", None, _text("3")),
    ]


def test_a_many_to_many_change_lists_removed_and_added_ids() -> None:
    properties = {"changes": {"genres": {"added": [4, 5], "removed": [1]}}}

    assert readable(properties, Book).changes == [
        Change("Genres", _text("1"), _text("4, 5"), many=True)
    ]


def test_a_field_the_model_no_longer_has_keeps_its_stored_name() -> None:
    properties = {"changes": {"blurb": {"old": "Old", "new": "New"}}}

    assert readable(properties, Book).changes == [
        Change("blurb", _text("Old"), _text("New"))
    ]


def test_without_a_model_names_stay_as_stored() -> None:
    properties = {"changes": {"title": {"old": "Dune", "new": ["a", 1, True]}}}

    assert readable(properties).changes == [
        Change("title", _text("Dune"), _text('["a", 1, true]'))
    ]


def test_an_empty_change_set_is_still_an_update() -> None:
    assert readable({"changes": {}}, Book) == Readable(is_update=True)


def test_a_creation_and_a_deletion_become_values() -> None:
    assert readable({"new": {"title": "Dune", "pages": 412}}, Book) == Readable(
        values=[("Title", _text("Dune")), ("Pages", _text("412"))]
    )
    assert readable({"old": {"title": "Dune", "cover_notes": None}}, Book) == Readable(
        values=[("Title", _text("Dune")), ("Cover notes", None)]
    )


def test_custom_properties_become_values_under_their_own_names() -> None:
    properties = {"new": {"title": "x"}, "release": "2.1", "title": "Release"}

    assert readable(properties, Book) == Readable(
        values=[
            ("new", _text('{"title": "x"}')),
            ("release", _text("2.1")),
            ("title", _text("Release")),
        ]
    )


def test_properties_that_are_no_dict_become_one_value() -> None:
    assert readable([1, 2]) == Readable(values=[("", _text("[1, 2]"))])


def test_a_long_value_is_cut_to_its_first_characters() -> None:
    old, new = "a" * 1_000_000, "é" * SHOWN_CHARACTERS
    properties = {"changes": {"cover_notes": {"old": old, "new": new}}}

    [change] = readable(properties, Book).changes

    assert change == Change(
        "Cover notes", Text("a" * SHOWN_CHARACTERS, 1_000_000), _text(new)
    )
    assert change.old is not None and change.old.cut
    assert change.new is not None and not change.new.cut


def test_long_values_of_a_creation_and_of_custom_properties_are_cut() -> None:
    created = readable({"new": {"cover_notes": "b" * 600}}, Book)
    custom = readable({"items": list(range(1000))})

    assert created.values == [("Cover notes", Text("b" * SHOWN_CHARACTERS, 600))]
    [(label, value)] = custom.values
    assert value is not None
    assert (label, value.length) == ("items", len(json.dumps(list(range(1000)))))
    assert value.shown == json.dumps(list(range(1000)))[:SHOWN_CHARACTERS]


def test_a_long_list_of_many_to_many_ids_is_cut() -> None:
    added = list(range(10_000))
    properties = {"changes": {"genres": {"added": added, "removed": []}}}

    [change] = readable(properties, Book).changes

    listed = ", ".join(str(pk) for pk in added)
    assert change == Change(
        "Genres", _text(""), Text(listed[:SHOWN_CHARACTERS], len(listed)), many=True
    )
