"""The CLI's printing: result lines to a reader that stops early (``| head``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from newswatch.cli.output import print_lines


def test_a_reader_that_leaves_early_ends_the_lines_not_the_command() -> None:
    """The lines go until the pipe closes; what the command says on stderr afterwards (an
    ingest's summary) still arrives, and the command ends as it would have."""
    program = textwrap.dedent(
        """
        import sys
        from newswatch.cli.output import print_lines
        read = print_lines(str(i) * 40 for i in range(200_000))
        print("summary, reader stayed:", read, file=sys.stderr)
        """
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert writer.stdout is not None and writer.stderr is not None
    first = writer.stdout.readline()
    writer.stdout.close()
    stderr = writer.stderr.read().decode()
    assert writer.wait(timeout=60) == 0, stderr
    assert first == b"0" * 40 + b"\n"
    assert "summary, reader stayed: False" in stderr
    assert "Traceback" not in stderr


def test_every_line_is_printed_to_a_reader_that_stays(capsys) -> None:
    assert print_lines(["one", "two"]) is True
    assert capsys.readouterr().out == "one\ntwo\n"
