# The figure for a paper (/console/s/SLUG/figure): one diverging stacked bar per item.
# figure-link is the text for a link to the page (e.g. from the results page).
figure-link = Figure for your paper
figure-title = Figure for your paper — { $study }
figure-back = Back to the study
figure-intro = One bar per item: the share of the scores in each band of the scale, the items sorted by agreement and the consensus threshold of the primary rule drawn as a dashed line. Download it as SVG (for Word, Inkscape or LaTeX) or as PNG.
figure-empty = No round has closed yet: the figure shows the results of a closed round.
figure-empty-link = Go to the study page
figure-round = Round
figure-round-n = Round { $n }
figure-group = Experts
figure-all-experts = All experts
figure-show = Show
figure-groups-hidden = Not offered, so that nobody can be identified: { $groups }.
figure-group-too-small = { $name } ({ $n } responders; a group is shown from { $min })
figure-group-empty = { $name } (no responders)
figure-download-svg = Download SVG
figure-download-png = Download PNG (3×)
figure-png-failed = This browser could not make the PNG; download the SVG instead.
figure-table-summary = The figure as a table
figure-col-item = Item
figure-bad-round = Round: “{ $value }” is not a round number. Choose one of the closed rounds.
# Inside the figure and its caption.
figure-svg-title = { $study } — round { $round } — { $who }
figure-percent = %
figure-no-answers = no answers
figure-withheld = too few answers to show
figure-middle = Middle bands
figure-line-in = Consensus in: { $share } “{ $band }”
figure-line-out = Consensus out: { $share } “{ $band }”
figure-note-unable = Shares of the scores given: “Unable to score” answers are left out ({ $unable } in this round), and n counts the scores.
figure-note-lines = Dashed lines: the thresholds of the primary consensus rule ({ $lines }).
figure-note-no-line = No consensus line: the primary rule has no condition on the share of one band of the scale.
figure-note-no-line-unable = No consensus line: the primary rule counts “Unable to score” answers in its shares, and the bars leave them out.
figure-note-aside = Each side starts at the centre line, so a bar that reaches a dashed line meets that threshold; { $bands } is drawn on the same scale in its own column at the right.
figure-note-order-band = Items are sorted by their share in { $bands }, highest first, then by code.
figure-note-group = Stakeholder group: { $group } ({ $n } responders).
figure-quoted = “{ $name }”
