"""A small app for ``make bench``: one model with the fields of a typical row."""
