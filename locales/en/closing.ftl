# Preview as an expert (/console/s/SLUG/preview): the bar is in the facilitator's language; the
# sample label and comment, in the previewed page's, are in expert.ftl.
preview-nav = Preview as an expert
preview-title = Preview as an expert — { $study }
preview-banner = Preview — this is what experts see; nothing you do here is saved.
preview-language = Language
preview-round = Round
preview-show = Show
preview-back = Back to the study
preview-errors-title = There is a problem
preview-problem-lang = Language: the study is not read in “{ $value }”; choose one of { $choices }. The page is shown in the study's language.
preview-problem-round = Round: there is no round “{ $value }” to preview; choose one of { $choices }. Round { $shown } is shown.
preview-round-draft = Round { $n } (draft)
preview-round-open = Round { $n } (open)
preview-round-closed = Round { $n } (closed)
preview-round-next = Round { $n } (next to open)
preview-round-planned = Round { $n } (planned)
preview-language-en = English
preview-language-fr = French
preview-language-es = Spanish
preview-language-pt = Portuguese
preview-language-ar = Arabic
preview-study-language = the study's language
preview-note-no-catalogue = Delphi's pages are not translated into “{ $tag }”: experts with this language read the pages in { $page }, with the items in the study's own language.
preview-note-next = Round { $n } has not opened yet: these are the items opening it now would ask.
preview-note-planned = Round { $n } cannot be planned exactly yet: these are the items it would ask if no item reaches consensus in round { $before }.
preview-note-closed = Round { $n } is closed: experts who open their link now see a page saying so. This is the questionnaire as it was while the round was open.
preview-note-sample = Round { $before } has no results yet, so the feedback on this page is a made-up sample, labelled as such on every item.
preview-did-save = In the questionnaire, Save keeps the answers. This is a preview: nothing was saved.
preview-did-review = In the questionnaire, this button lists the unanswered items before submitting. This is a preview: nothing was saved or submitted.
preview-did-suggest = In the questionnaire, the suggestion would go to the facilitators. This is a preview: nothing was sent.
preview-did-submit = In the questionnaire, Submit saves the answers and sends them in. This is a preview: nothing was saved or submitted.

# The closing email, on the finish page and the final list.
closing-checkbox = Email the panel a thank-you with a link to the results
closing-checkbox-hint = { $n ->
    [0] Nobody would get it: no expert who took part is still in the study with an email address.
    [one] It goes to the 1 expert who took part (invited to a round, not withdrawn, with an email address), in their language, with a personal link to a read-only page of the results.
   *[other] It goes to the { $n } experts who took part (invited to a round, not withdrawn, with an email address), each in their language, with a personal link to a read-only page of the results.
}
closing-wording = The email, as experts will read it
closing-subject = Subject:
closing-sample-name = [the expert's name]
closing-sample-link = [personal-link]
closing-offer = The study finished without a closing email. You can still thank the panel, once.
closing-send = Send the closing email
closing-sent = The closing email was queued on { $at } for { $n ->
    [one] 1 expert
   *[other] { $n } experts
}.
closing-problem-email = The closing email could not be written ({ $reason }). Nothing was finished. Untick the box to finish without it, or correct the study's own wording of the study_closed email.
final-done-finished-emailed = The study is finished. Closing email queued for { $n ->
    [one] 1 expert
   *[other] { $n } experts
}.
final-done-closing = Closing email queued for { $n ->
    [one] 1 expert
   *[other] { $n } experts
}.
audit-study-closing-email = Queued the closing email with the results link for { $experts ->
    [one] 1 expert
   *[other] { $experts } experts
}.
