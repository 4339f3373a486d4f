"""One pipeline per language: spaCy's parse plus coopwatch's extraction components."""
