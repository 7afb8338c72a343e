"""Tests of pure logic: the content model, validation, self-check rules, settings and sizes, with
no Textual app running."""
