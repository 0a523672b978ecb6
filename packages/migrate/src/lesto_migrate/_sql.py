"""Split a migration script into statements, the way each database's own shell does.

Statements run one at a time so that a failure names its statement and line,
and so that statements which refuse to run inside a multi-statement query
(PostgreSQL's ``CREATE INDEX CONCURRENTLY``) work in no-transaction files.

The scanner knows each dialect's quoting and comments:

* all: ``'...'`` strings, ``--`` and ``/* */`` comments, parentheses;
* PostgreSQL: ``"..."`` identifiers, ``E'...'`` escapes, ``$tag$...$tag$``
  bodies, nested block comments, and ``BEGIN ... END`` bodies of
  ``CREATE FUNCTION/PROCEDURE`` (as psql counts them);
* MySQL: backslash escapes, ``"..."`` strings, backtick identifiers, ``#``
  comments and the client's ``DELIMITER`` command;
* SQLite: ``"..."``, backtick and ``[...]`` identifiers, and trigger bodies
  (a ``;`` ends a statement only where ``sqlite3.complete_statement`` agrees).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

__all__ = ["Statement", "split_statements"]

_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_DELIMITER = re.compile(r"[ \t]*DELIMITER[ \t]+(\S+)[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)
_ROUTINE = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One statement of a script: its text, its number (from 1) and its first line."""

    sql: str
    number: int
    line: int


def split_statements(script: str, dialect: str) -> list[Statement]:
    """The statements of ``script`` in order; comment-only pieces are dropped."""
    return _Splitter(script, dialect).run()


class _Splitter:
    def __init__(self, script: str, dialect: str) -> None:
        self.text = script
        self.dialect = dialect
        self.pos = 0
        self.start = 0
        self.code_at = -1
        self.depth = 0
        self.block_depth = 0
        self.routine: bool | None = None
        self.delimiter = ";"
        self.found: list[Statement] = []

    def run(self) -> list[Statement]:
        while self.pos < len(self.text):
            if self.dialect == "mysql" and self.code_at < 0 and self._delimiter_command():
                continue
            self._step()
        self._emit(len(self.text))
        return self.found

    def _step(self) -> None:
        text, i = self.text, self.pos
        char = text[i]
        if self._at_delimiter(i):
            self._emit(i)
            self.pos = self.start = i + len(self.delimiter)
            return
        comment_end = self._comment_end(i)
        if comment_end is not None:
            self.pos = comment_end
            return
        if not char.isspace():
            self._mark_code(i)
        self.pos = self._skip_token(i, char)

    def _at_delimiter(self, i: int) -> bool:
        if not self.text.startswith(self.delimiter, i) or self.depth > 0 or self.block_depth > 0:
            return False
        if self.dialect != "sqlite":
            return True
        return sqlite3.complete_statement(self.text[self.start : i + len(self.delimiter)])

    def _comment_end(self, i: int) -> int | None:
        text = self.text
        if text.startswith("--", i) and self._dash_comment(i):
            newline = text.find("\n", i)
            return len(text) if newline < 0 else newline + 1
        if text[i] == "#" and self.dialect == "mysql":
            newline = text.find("\n", i)
            return len(text) if newline < 0 else newline + 1
        if text.startswith("/*", i):
            return self._block_comment_end(i)
        return None

    def _dash_comment(self, i: int) -> bool:
        if self.dialect != "mysql":
            return True
        after = self.text[i + 2 : i + 3]
        return after == "" or after.isspace()

    def _block_comment_end(self, i: int) -> int:
        text, level, j = self.text, 1, i + 2
        nested = self.dialect == "postgres"
        while j < len(text) and level:
            if text.startswith("*/", j):
                level, j = level - 1, j + 2
            elif nested and text.startswith("/*", j):
                level, j = level + 1, j + 2
            else:
                j += 1
        return j

    def _skip_token(self, i: int, char: str) -> int:
        dialect = self.dialect
        if char == "'":
            return self._quoted_end(i, "'", self._backslashes(i))
        if char == '"':
            return self._quoted_end(i, '"', dialect == "mysql")
        if char == "`" and dialect != "postgres":
            return self._quoted_end(i, "`", False)
        if char == "[" and dialect == "sqlite":
            close = self.text.find("]", i + 1)
            return len(self.text) if close < 0 else close + 1
        if char == "$" and dialect == "postgres":
            return self._dollar_end(i)
        if char == "(":
            self.depth += 1
        elif char == ")":
            self.depth -= 1
        elif _WORD.match(char):
            return self._word_end(i)
        return i + 1

    def _backslashes(self, i: int) -> bool:
        if self.dialect == "mysql":
            return True
        if self.dialect != "postgres" or i == 0 or self.text[i - 1] not in "eE":
            return False
        return i < 2 or not (self.text[i - 2].isalnum() or self.text[i - 2] in "_$")

    def _quoted_end(self, i: int, quote: str, backslashes: bool) -> int:
        text, j = self.text, i + 1
        while j < len(text):
            char = text[j]
            escaped = backslashes and char == "\\"
            if escaped or (char == quote and text.startswith(quote, j + 1)):
                j += 2
            elif char == quote:
                return j + 1
            else:
                j += 1
        return len(text)

    def _dollar_end(self, i: int) -> int:
        text = self.text
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_$"):
            return i + 1
        match = _DOLLAR_TAG.match(text, i)
        if match is None:
            return i + 1
        close = text.find(match.group(), match.end())
        return len(text) if close < 0 else close + len(match.group())

    def _word_end(self, i: int) -> int:
        match = _WORD.match(self.text, i)
        end = match.end() if match else i + 1
        if self.dialect == "postgres" and self._in_routine():
            word = self.text[i:end].upper()
            if word in ("BEGIN", "CASE"):
                self.block_depth += 1
            elif word == "END":
                self.block_depth -= 1
        return end

    def _in_routine(self) -> bool:
        if self.routine is None:
            self.routine = _ROUTINE.match(self.text, self.code_at) is not None
        return self.routine

    def _delimiter_command(self) -> bool:
        line_start = self.pos == 0 or self.text[self.pos - 1] == "\n"
        match = _DELIMITER.match(self.text, self.pos) if line_start else None
        if match is None:
            return False
        self.delimiter = match.group(1)
        self.pos = self.start = match.end()
        return True

    def _mark_code(self, i: int) -> None:
        if self.code_at < 0:
            self.code_at = i

    def _emit(self, end: int) -> None:
        if self.code_at >= 0:
            sql = self.text[self.start : end].strip()
            line = self.text.count("\n", 0, self.code_at) + 1
            self.found.append(Statement(sql, len(self.found) + 1, line))
        self.code_at = -1
        self.depth = 0
        self.block_depth = 0
        self.routine = None
