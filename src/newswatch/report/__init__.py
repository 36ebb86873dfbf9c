"""The change report: what one run found, built once and rendered for people.

model      ChangeReport and its parts (the JSON of ``run-N.json``)
build      a run's summary (or some of its files) + the stored versions -> ChangeReport
stream     a run's report built, stored and written a chunk of files at a time
sentences  styles, small words and one-line sentences every rendering shares
markdown   the run summary and ``article-<id>`` artifacts, log lines, ``run-N.md``
summary    the run summary's head, tail and list lines, for its artifact and ``run-N.md``
html       ``run-N.html``
files      writing ``run-N.json``, ``.md`` and ``.html`` from parts appended by chunk
artifacts  the files table artifact
escaping   untrusted text made safe for the Prefect UIs
story      one article's life: versions, what each changed, reverts, copies
timeline   a story as an SVG picture (no JavaScript, no network)
story_page a story as an HTML or Markdown page, and its picture for the Prefect UIs
outlets    figures per outlet
export     versions, sentence edits and copies as CSV or JSON lines, streamed
"""
