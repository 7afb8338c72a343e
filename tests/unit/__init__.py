"""Tests of pure logic: content model, validation, self-check rules, settings, sizes; no Textual
app runs."""
