"""Errors the pipeline raises for people: each names the file, the line, the problem and what to do.

Every parser and cleaner raises :class:`SourceError` (or a subclass) for bad input, never a bare
``ValueError``; the assets catch it per source, so one broken extract is reported and quarantined while
the others are still processed.
"""

from __future__ import annotations

from typing import Any


class PipelineError(Exception):
    """Base class of the pipeline's own errors."""


class SourceError(PipelineError):
    """A raw file that cannot be used as it is.

    The message reads ``<path>:<line>: <problem>. <what to do>`` so that it can be pasted into an
    editor's "go to" box.
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        line: int | None = None,
        action: str = "",
    ) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        self.action = action
        where = f"{path}:{line}" if line is not None else path
        message = f"{where}: {problem}"
        if action:
            message += f" {action}"
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled with what it was made from (a stage's cache keeps the errors of the sources it quarantined)
        return (_source_error, (type(self), self.path, self.problem, self.line, self.action))


def _source_error(kind: type[SourceError], path: str, problem: str, line: int | None, action: str) -> SourceError:
    return kind(path, problem, line=line, action=action)


class RegistryError(PipelineError):
    """The source registry itself is malformed or inconsistent."""


class ValidationFailed(PipelineError):
    """A dataset broke its schema; the message lists the failure cases."""
