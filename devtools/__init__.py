"""Development-time tools. Nothing in the pipeline's run imports from here."""
