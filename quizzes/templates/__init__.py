"""Quiz templates, one file per template, one folder per topic (loaded by quizzes.engine)."""
