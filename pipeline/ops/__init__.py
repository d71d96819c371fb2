"""Operations: the schedule, the sensors that react to raw files and to failed runs, and the report of
a run that was not published."""
