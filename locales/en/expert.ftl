# Everything an expert can read on a page. Every language offered to experts has this file whole.

## Site chrome (layouts/base.hbs), and the language's own name wherever one is chosen
language-name = English
site-tagline = Delphi — open-source consensus studies.
skip-to-content = Skip to content

## The questionnaire, its review, done and closed pages, and the page of a link that does not work
expert-round = Round { $round }
expert-deadline = please answer by { $deadline }
expert-about = About this study
expert-how-to = Choose one score for each item; a comment is optional. Press Save to keep your answers and come back later from any device with the same link.
expert-progress = { $total ->
    [one] { $answered } of 1 item answered
   *[other] { $answered } of { $total } items answered
}
expert-error-title = Your answers were not saved
expert-error-help = Please correct this item and save again. Nothing from this page was saved.
expert-error-prefix = Error:
expert-saved-notice = Your answers are saved. You can change them with the same link until the round closes.
expert-suggested-notice = Thank you: your suggestion has been sent to the study team.
expert-already-submitted = You have submitted your answers. You can still change them until the round closes.
expert-feedback-title = Under each item you see how the panel rated it in the previous round; your own score there is highlighted and marked with a triangle.
expert-your-previous = Your previous score: { $score }
expert-feedback-title-after = Rate each item first. Then you see how the panel rated it in the previous round (your own score highlighted and marked with a triangle), and you may change your answer.
expert-feedback-held = Rate this item first: then you will see how the panel rated it in the previous round.
expert-feedback-revealed = The panel's answers from the previous round are now shown. You may change your answer.
expert-groups-hidden = { $min ->
    [one] Groups with fewer than 1 responder are not shown, to protect anonymity.
   *[other] Groups with fewer than { $min } responders are not shown, to protect anonymity.
}
expert-comments = Comments from the previous round (anonymous)
expert-unable = Unable to score
expert-comment = Comment (optional)
expert-reason = Why did you change your score? (optional)
expert-save = Save
expert-review = Review and submit
expert-suggest-title = Suggest an item
expert-suggest-help = Is something missing? Propose a new item; the study team will review every suggestion.
expert-suggest-text = The item you suggest
expert-suggest-rationale = Why it matters (optional)
expert-suggest-section = Section
expert-suggest-send = Send the suggestion
expert-review-title = Review and submit
expert-unanswered-title = Items without an answer
expert-unanswered-help = You can submit now and leave these items blank, or go back and answer them.
expert-all-answered = You have answered every item.
expert-submit = Submit my answers
expert-back = Back to the questionnaire
expert-done-title = Thank you!
expert-done-body = Your answers to round { $round } are submitted. We have sent you a confirmation by email.
expert-done-next = You can still change your answers with the same link until the round closes. Then the study team computes the results; if there is another round, you will receive a new link and see how the panel rated each item.
expert-change = Change my answers
expert-closed-title = Round { $round } is closed
expert-closed-body = Thank you for taking part. Answers to this round can no longer be changed.
expert-closed-next = The study team is now looking at the results. If there is another round, you will receive an email with a new personal link and the panel's feedback.
expert-closed-finished = The study has finished. The study team will share the results with the panel.
expert-unknown-title = This link does not work
expert-unknown-body = Please check that you copied the whole link from your email. If it still does not work, ask the study team for a new link.
expert-too-many = Too many attempts with links that do not work. Please wait a few minutes and try again.
expert-chart-summary = Round { $round }: { $count } of { $total } rated { $range }
expert-chart-summary-plain = Round { $round }: { $total ->
    [one] 1 answer
   *[other] { $total } answers
}
expert-status-saving = Saving…
expert-status-saved = Saved
expert-status-failed = Not saved
expert-retry = Retry
expert-error-not-in-round = this item is not part of this round
expert-error-not-on-page = this item is not on your page: each expert rates only the items given to them
expert-error-unknown-criterion = “{ $criterion }” is not a criterion of this study (one of: { $criteria })
expert-error-no-criterion = say which criterion this answer is about (one of: { $criteria })
expert-error-not-a-score = “{ $value }” is not a score
expert-error-off-scale = { $score } is not on the scale { $min }–{ $max }
expert-error-no-unable = this study does not offer “Unable to score”
expert-error-too-long = { $max ->
    [one] the text is longer than 1 character
   *[other] the text is longer than { $max } characters
}

## The banner of a test expert's pages (test run)
test-expert-banner = Test run: your answers are kept apart from the panel's and never count.
test-expert-banner-rehearsal = Test run: round { $round } has not opened yet. Your answers are kept apart from the panel's and never count.

## Sample feedback on a facilitator's preview, in the previewed page's language
preview-sample-feedback = Sample feedback — made-up figures for this preview
preview-sample-comment = A sample comment: the previous round's comments appear here, anonymously.

## The lost-link page (/link) and leaving the study (/u/TOKEN)
link-page-title = Lost your link?
link-page-intro = Enter the email address at which you were invited and we will send you a new personal link.
link-page-email = Your email address
link-page-submit = Send me a new link
link-page-sent = If this address belongs to an expert of an open round, a new link is on its way. Please check your inbox, and your spam folder, in a few minutes.
link-page-too-many = Too many requests from your connection. Please wait a few minutes, then try again.
unsubscribe-title = Leave the study
unsubscribe-confirm = You are about to leave “{ $study }”. You will receive no further emails about it and will not be invited to later rounds. Answers you have already given remain part of the study's anonymous results.
unsubscribe-button = Yes, withdraw me from the study
unsubscribe-done = You have left “{ $study }”. Thank you for your contributions.

## The experts' results page (/r/TOKEN/results)
results-title = Results of the study
results-finished = The study finished on { $at }, after round { $round }.
results-provisional = The study is still running: these results may change.
results-tally = { $in } consensus in (include), { $out } consensus out (exclude), { $none } no consensus.
results-how-to-read = For each item: the panel's decision, then the median score and the interquartile range (IQR: how spread the scores were) in the last round that asked it, with the number of experts who scored it (n).
results-status-in = Consensus in: include
results-status-out = Consensus out: exclude
results-status-none = No consensus
results-figures = Median { $median } · IQR { $iqr } · n = { $n } · round { $round }
results-group = { $group } ({ $responders }): median { $median }, IQR { $iqr }
results-criterion = { $criterion } ({ $scale }): { $status } · median { $median }, IQR { $iqr }, n = { $n }
results-groups-hidden = { $min ->
    [one] Stakeholder groups with fewer than 1 responder to an item are not shown, so that nobody's score can be worked out.
   *[other] Stakeholder groups with fewer than { $min } responders to an item are not shown, so that nobody's score can be worked out.
}
results-anonymous = This page shows the panel's results only, never who answered what.
results-chnri-title = Research priorities
results-chnri-how-to-read = Each research question has a research priority score (RPS, 0 to 100: the higher, the more the panel thought it worth funding) and an average expert agreement (AEA, 0 to 1: on average, the share of experts who gave the most common answer). The questions are listed from the highest priority down.
results-chnri-weighted = The criteria do not all count the same, so the questions are ranked by the weighted score (weighted RPS).
results-chnri-thresholds = A question passes when it reaches the threshold on every criterion that has one.
results-rank = No. { $rank }
results-chnri-passed = Passed every threshold
results-chnri-below = Below the threshold on: { $criteria }
results-chnri-unscored = Not scored: too few answers
results-chnri-figures = RPS { $rps } · AEA { $aea } · n = { $n }
results-chnri-figures-weighted = Weighted RPS { $wrps } · RPS { $rps } · AEA { $aea } · n = { $n }
results-ranking-title = The final ranking
results-ranking-intro = The panel's combined ranking in round { $round }, from the lists of { $responded } experts: the top { $shown } of { $offered } items.
results-ranking-equal-groups = Each stakeholder group counted equally, whatever its number of experts.
results-ranking-item = { $chosen ->
    [one] Chosen by 1 expert
   *[other] Chosen by { $chosen } experts
}, first for { $first }
results-ranking-none = No expert ranked any item.
expert-how-to-autosave = Choose one score for each item; a comment is optional. Every answer is saved as you go: you can stop at any time and come back later from any device with the same link.
expert-unknown-lost = Lost your link? Ask for a new one

## A ranking round's page (templates/expert/ranking.hbs, static/js/ranking.js)
ranking-round = Round { $round }: ranking
ranking-how-to = { $choose ->
    [one] Choose the 1 item you think matters most. Leave the others as “Not chosen”.
   *[other] Choose up to { $choose } items and number them from 1 (matters most) to { $choose }. Leave the others as “Not chosen”.
}
ranking-not-chosen = Not chosen
ranking-position = Position { $position }
ranking-save = Save my ranking
ranking-saved-notice = Your ranking is saved. You can change it with the same link until the round closes.
ranking-already-saved = You have saved a ranking. You can still change it until the round closes.
ranking-error-title = There is a problem
ranking-error-help = Your ranking was not saved. Please correct it and save again; your choices are still on the page.
ranking-error-repeated = Position { $position } is given to more than one item: { $items }. Give each position to one item.
ranking-error-above-choose = “{ $item }” is at position { $position }, but you can choose only up to the number of items asked.
ranking-error-gap = No item is at position { $position }. Number your choices 1, 2, 3… without a gap.
ranking-error-not-a-position = “{ $value }” is not a position for “{ $item }”.
ranking-error-not-in-round = “{ $item }” is not part of this round.
ranking-list-title = Your ranking
ranking-list-empty = You have not chosen any item yet.
ranking-others-title = Items not chosen
ranking-move-up = Move up
ranking-move-down = Move down
ranking-add = Add to my ranking
ranking-remove = Remove
ranking-moved = Moved { $item } to position { $position } of { $total }.
ranking-drag-hint = Drag an item by its handle to reorder, or use its Move up and Move down buttons.
ranking-added = { $item } added at position { $position }.
ranking-removed = { $item } removed from your ranking.
ranking-full = { $choose ->
    [one] You have chosen 1 item, the most you can. Remove it to choose another.
   *[other] You have chosen { $choose } items, the most you can. Remove one to add another.
}
## The ideas round (before round 1)
expert-ideas-round = Ideas round, before round 1
expert-ideas-intro = Propose up to { $per_expert } items for each topic below, with a reason if you wish. Leave a box empty if you have nothing to add. You can change your proposals with the same link until the round closes.
expert-ideas-section-help = Up to { $per_expert } proposals.
expert-ideas-proposal = Proposal { $n }
expert-ideas-rationale = Why it matters (optional)
expert-ideas-save = Save my proposals
expert-ideas-saved = Your proposals are saved. You can change them until the round closes.
expert-ideas-error-title = Your proposals were not saved
expert-ideas-closed-title = The ideas round is closed
expert-chnri-how-to = For each research question, answer every question under each criterion. Choose "Don't know" when a question is outside your expertise: it counts neither for nor against. Save as often as you like, and submit when you are done.
expert-chnri-how-to-autosave = For each research question, answer every question under each criterion. Choose "Don't know" when a question is outside your expertise: it counts neither for nor against. Every answer is saved as you go; submit when you are done.
expert-chnri-progress = { $total ->
    [one] { $answered } of { $total } question answered
   *[other] { $answered } of { $total } questions answered
}
expert-chnri-yes = Yes
expert-chnri-undecided = Informed but undecided
expert-chnri-no = No
expert-chnri-dont-know = Don't know
expert-chnri-error-help = Nothing from this page was saved. Please check your answers and save again.
