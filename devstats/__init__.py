"""devstats: a developer's year in open source, counted correctly."""

# The one place the version is written: pyproject.toml reads it from here when it builds.
__version__ = "0.1.0"

# Where the project and its documentation live. An installed wheel has no docs/ folder, so
# `--help` and the README (as PyPI shows it) link the documents here.
REPOSITORY_URL = "https://github.com/kozistr/devstats"
DOCS_URL = f"{REPOSITORY_URL}/blob/main/docs"
