"""What a user can act on: one exception type per kind of failure.

Files: why a file was not ingested. Each carries a stable ``code`` (stored in the database
and reports, so it can be queried) and a message that names the file and says what to do
about it. Raising one of these is the only way the parser and scanner refuse input;
anything else escaping them is a bug, which refuses that file (or that record of a WARC,
that line of JSON Lines) as a :class:`ReaderFault` naming the error, and the run goes on.

Databases: why newswatch cannot use the database it was given. The CLI prints the message
as one line and exits with status 2; the message never holds a password.
"""

from __future__ import annotations


class RejectedFile(Exception):
    """Base of every documented rejection."""

    code = "rejected"
    advice = "check the file"

    def __init__(self, detail: str, path: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.path = path

    def for_path(self, path: str) -> RejectedFile:
        self.path = path
        return self

    @property
    def reason(self) -> str:
        """The human-readable reason stored with the rejection (the path is stored beside)."""
        return f"{self.detail} ({self.advice})"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class EmptyFile(RejectedFile):
    code = "empty"
    advice = "the scraper wrote nothing; fetch the article again"


class WhitespaceOnlyFile(RejectedFile):
    code = "whitespace_only"
    advice = "the scraper wrote only blank lines; fetch the article again"


class BinaryFile(RejectedFile):
    code = "binary"
    advice = "this is not a text file; move it out of the watched folder"


class FileTooLarge(RejectedFile):
    code = "too_large"
    advice = "raise NEWSWATCH_MAX_FILE_BYTES if this really is one article"


class UnsupportedEncoding(RejectedFile):
    code = "undecodable"
    advice = "save it as UTF-8"


class NoArticleText(RejectedFile):
    code = "no_body"
    advice = "the file holds no article text; fetch the full article"


class MisdeclaredEncoding(RejectedFile):
    code = "misdeclared_encoding"
    advice = "save the page again as the site served it, or correct its charset declaration"


class NotAnArticle(RejectedFile):
    code = "not_article"
    advice = "newswatch reads news-please and trafilatura JSON; move other JSON out of the folder"


class NotHtml(RejectedFile):
    code = "not_html"
    advice = "only a WARC's HTML pages are articles; the record is recorded and left"


class TruncatedFile(RejectedFile):
    code = "truncated"
    advice = "the file was cut short; what comes before the cut is read, the rest when it is whole"


class UnreadableFile(RejectedFile):
    code = "unreadable"
    advice = "check the file's permissions"


class FileVanished(RejectedFile):
    code = "vanished"
    advice = "it was deleted or moved while being read; it will be picked up if it returns"


class ReaderFault(RejectedFile):
    code = "reader_fault"
    advice = (
        "a fault in newswatch's reader, not a verdict on the file: report it with the file; "
        "the file is read again when it changes"
    )

    @classmethod
    def of(cls, error: Exception) -> ReaderFault:
        """The rejection of a file on which a reader raised what no rejection names: the
        file is refused and the run goes on, with the error named."""
        message = " ".join(str(error).split())[:300]
        return cls(
            f"reading it failed with {type(error).__name__}" + (f": {message}" if message else "")
        )


class OutsideWatchedFolder(RejectedFile):
    code = "outside_folder"
    advice = "links that leave the watched folder are not followed"


# --- the database ---------------------------------------------------------------------------


class DatabaseProblem(Exception):
    """Base of every reason the database cannot be used; the message says what to do."""


class BadDatabaseURL(DatabaseProblem):
    """Not a URL, or a scheme newswatch does not run on."""


class MissingDatabaseDriver(DatabaseProblem):
    """The URL is fine, but its Python driver is not installed."""


class DatabaseUnreachable(DatabaseProblem):
    """Nothing answers at the host and port, the name does not resolve, or the file cannot
    be opened."""


class DatabaseAccessDenied(DatabaseProblem):
    """The server answered and refused the user or password."""


class NoSuchDatabase(DatabaseProblem):
    """The database does not exist, or holds no newswatch tables (read commands never
    create one)."""
