"""The run report: what one run found, built once and rendered for people.

model      ChangeReport and its parts (the JSON of ``run-N.json``)
build      a run's summary (or some of its files) + the stored versions -> ChangeReport
stream     a run's report built, stored and written a chunk of files at a time
stories    the stories a run's report draws, and their pictures for the Prefect UI
sentences  the one-line sentences that describe an edit, a copy, a story's spread
markdown   the run summary and ``article-<id>-<db>`` artifacts, log lines, ``run-N.md``
summary    the run summary's head, tail and list lines, for its artifact and ``run-N.md``
html       ``run-N.html``
files      writing ``run-N.json``, ``.md`` and ``.html`` from parts appended by chunk
artifacts  the files table artifact
"""
