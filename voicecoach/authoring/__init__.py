"""Authoring: turns a stretching article (plain text or Markdown) into a routine file.

:func:`import_article` reads the article's exercises, steps, holds, reps, sides and
modifications and writes routine TOML that :func:`voicecoach.core.routine_toml.parse_routine`
accepts, with every guess marked for review in a comment.
"""

from voicecoach.authoring.article_file import (
    ArticleFileError,
    NotTextError,
    article_text,
    read_article_file,
)
from voicecoach.authoring.importer import ImportResult, NoExercisesError, import_article

__all__ = ["ArticleFileError", "ImportResult", "NoExercisesError", "NotTextError",
           "article_text", "import_article", "read_article_file"]
