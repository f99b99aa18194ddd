"""The exceptions Townsquare raises for problems it can explain."""

from __future__ import annotations

from dataclasses import dataclass


class TownsquareError(Exception):
    """Base of every error Townsquare raises on purpose.

    The command line shows these as one-line messages with exit code 1;
    anything else is a bug and keeps its traceback.
    """

    exit_code = 1

    def lines(self) -> list[str]:
        """Return the message as the lines shown to the owner."""
        return [str(self)]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one place of the content."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class ContentError(TownsquareError):
    """The content folder has problems that stop the build."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the content")

    def lines(self) -> list[str]:
        """Return one line per problem, in file and line order."""
        return [str(problem) for problem in self.problems]


class BuildError(TownsquareError):
    """The build could not finish; the previous site stays in place."""
