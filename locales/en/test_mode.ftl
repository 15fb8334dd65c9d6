# --- test run: test experts rehearse the questionnaire (console/test_run.hbs, the dashboard, the expert pages) ---
test-nav = Test run
test-title = Test run — { $study }
test-offer = Before opening a round, answer it yourself or with colleagues as test experts:
test-intro = Invite yourself or colleagues as test experts to try the questionnaire before the panel does. Each test expert gets an email with a personal link that works exactly like a panel member's.
test-kept-apart = Test answers never count: they are not in the results, the response rates, the exports or the report. Test experts get no reminders and are not invited to later rounds unless you invite them again here. A test run does not lock the consensus rule.
test-next-open = Round { $n } is open: a test expert invited now answers round { $n } alongside the panel, kept apart.
test-next-rehearsal = Round { $n } has not opened yet. Test experts answer it as it stands now, and see the changes you make to the items. When you open round { $n }, their links keep working.
test-blocked-finished = The study is finished: there is no round left to try.
test-blocked-no-rounds-left = Every round the study allows has run: there is no round left to try.
test-blocked-no-items = No round is open and the next one would have no item to ask: add or import items first.
test-invite-legend = Invite a test expert
test-invite-help = Your own address is filled in; to invite a colleague, type theirs. Inviting the same address again sends a new link (earlier links keep working).
test-invite-email = Email address
test-invite-name = Name
test-invite-group = Stakeholder group
test-invite-group-hint = The pages a test expert sees are the same for every group; from round 2 on, the group decides which group's results are theirs.
test-invite-language = Language of their pages and emails
test-language-study = The study's language
test-invite-submit = Send the test invitation
test-problem-email-missing = Enter the test expert's email address.
test-problem-name-missing = Enter the test expert's name.
test-problem-group = Choose one of the study's stakeholder groups.
test-problem-language = Choose one of the languages offered.
test-problem-email-on-panel = This address belongs to an expert of the panel. A test expert needs an address of their own (for example name+test@example.org, if your mail provider accepts it).
test-list-title = Test experts
test-none = No test expert yet.
test-table-caption = Test experts (their answers are kept apart and never count)
test-col-expert = Test expert
test-col-answered = Answered
test-col-email = Invitation email
test-round-rehearsal = { $n } (not opened yet)
test-round-open = { $n }
test-answered-of = { $answered } of { $items }
test-again = Send a new link
test-again-who = Send a new link to { $who }
test-clear = Remove answers
test-clear-who = Remove answers of { $who }
test-remove = Remove
test-remove-who = Remove { $who }
test-confirm-clear-title = Remove the answers of { $who }?
test-confirm-clear-body = Their { $n ->
    [one] answer
   *[other] { $n } answers
} (and any suggestion they made) will be deleted, so they can start again. Their link keeps working. Nothing of the panel changes.
test-confirm-clear-button = Remove their answers
test-confirm-remove-title = Remove { $who }?
test-confirm-remove-body = { $who } will be deleted with their { $n ->
    [one] answer
   *[other] { $n } answers
}, their suggestions and their emails; their links stop working. Nothing of the panel changes.
test-confirm-remove-button = Remove the test expert
test-done-invited-rehearsal = { $who } was invited to try round { $round } before it opens: the email with their personal link is on its way to { $email }.
test-done-invited-open = { $who } was invited to round { $round } as a test expert: the email with their personal link is on its way to { $email }.
test-done-again = A new link to round { $round } is on its way to { $who } at { $email }; their earlier links still work.
test-done-cleared = { $n ->
    [0] { $who } had no answers to remove; their link still works.
    [one] The answer of { $who } was removed; their link still works.
   *[other] The { $n } answers of { $who } were removed; their link still works.
}
test-done-removed = { $who } was removed with { $n ->
    [one] their answer
   *[other] their { $n } answers
}; their links no longer work.
test-dashboard-title = Test experts
test-dashboard-help = Apart from the panel: nothing in the figures above counts them.
audit-test-invite = Invited test expert { $expert } to round { $round }.
audit-test-clear = Removed the test answers of { $expert } ({ $answers }).
audit-test-remove = Removed test expert { $expert } with their test answers ({ $answers }).
