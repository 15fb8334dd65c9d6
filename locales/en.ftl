# English catalogue (the fallback for every other language). Fluent syntax:
# https://projectfluent.org — `key = text`, variables as { $name }.

# Expert pages and emails to experts: see en/expert.ftl and en/mail.ftl.

# console
login-title = Sign in
login-intro = Facilitators sign in here. Experts need no account: they answer through the personal link in their email.
login-email = Email address
login-password = Password
login-submit = Sign in
login-failed = The email or password is wrong. Please try again.
login-too-many = Too many sign-in attempts from your connection. Please wait a few minutes, then try again.
login-expired = This sign-in form had expired or did not come from this site, so nobody was signed in. Please sign in again with the form below.
login-forgot = Forgot your password?
login-signed-out = You are signed out.
login-password-changed = Your password has been changed and every session of your account has ended. Please sign in with the new password.
password-back-to-login = Back to sign in
password-forgot-title = Reset your password
password-forgot-intro = Enter the email address of your facilitator account and we will send you a link to choose a new password.
password-forgot-submit = Send me a link
password-forgot-sent = If this address belongs to a facilitator account, a link to choose a new password is on its way. It works once, within { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}. Please also check your spam folder.
password-forgot-too-many = Too many requests from your connection. Please wait a few minutes, then try again.
password-reset-title = Choose a new password
password-reset-new = New password (at least { $min } characters)
password-reset-confirm = The new password again
password-reset-submit = Set the new password
password-reset-mismatch = The two passwords are not the same. Nothing was changed.
password-reset-too-short = The password must be at least { $min } characters long. Nothing was changed.
password-reset-too-long = The password must be at most { $max } characters long. Nothing was changed.
password-reset-dead = This link does not work any more: it has already been used, it has expired, or it was not copied whole.
password-reset-ask-again = Ask for a new link
console-nav = Console
console-studies = Studies
console-signed-in-as = Signed in as { $name }
console-logout = Sign out
console-home-title = Your studies
console-no-studies = You have no role in any study yet. An owner of a study can give you one (delphi study grant), or a study can be created with you as its owner (delphi study create FILE --owner EMAIL).
console-col-title = Study
console-col-slug = Slug
console-col-status = Status
console-col-role = Your role
console-role-owner = owner
console-role-editor = editor
console-role-viewer = viewer
console-status-draft = draft
console-status-running = running
console-status-finished = finished
# round control
console2-extend-next = Extend the deadline…
console2-confirm-answers-kept = Their answers so far are kept.
console2-extend-confirm-title = Extend the deadline of round { $n }?
console2-extend-confirm-moves = The deadline moves from { $from } to { $to }.
console2-extend-confirm-sets = The round has no deadline yet; it will end at { $to }.
console2-extend-confirm-effects = No email is sent. Reminders not yet sent follow the new deadline; those sent are not sent again.
console2-extend-confirm-button = Yes, move the deadline
console2-resend-confirm-title = Send { $who } a new link?
console2-resend-confirm-link = A new invitation to round { $n } goes to their email address, and the links they had stop working at once: use this when an invitation was lost, forwarded or leaked.
console2-resend-confirm-button = Yes, send a new link
console2-withdraw-confirm-title = Withdraw { $who } from the study?
console2-withdraw-confirm-nothing-sent = Nothing more will be sent to them: no reminders, no invitations to later rounds, and emails still waiting in the outbox are cancelled. The console cannot undo this.
console2-withdraw-confirm-button = Yes, withdraw { $who }
console2-done-reminded-count = { $n ->
    [0] Nobody was reminded: every invited expert has submitted or withdrawn.
    [one] A reminder was queued for 1 expert who has not submitted.
   *[other] Reminders were queued for { $n } experts who have not submitted.
}
console2-done-extended-to = The deadline of round { $n } is now { $deadline }.
console2-done-resent-to = A new link was sent to { $who }; the links they had no longer work.
console2-done-withdrawn-who = { $who } was withdrawn: nothing more is sent to them; their answers so far are kept.
console2-done-withdrawn-already = { $who } had already withdrawn; nothing was changed.
console2-turnout-of = of
console2-turnout-responded = invited experts responded
console2-turnout-submitted = Submitted:
console2-turnout-answered = answered without submitting:
console2-responded = Responded
console2-answered-not-submitted = Answered without submitting
console2-close-turnout = { $responded } of { $invited ->
    [one] { $invited } invited expert
   *[other] { $invited } invited experts
} responded ({ $rate } %).
console2-close-turnout-split = { $submitted } submitted; { $answered } answered without submitting. Every answer counts in the results, submitted or not.
email-password-reset-subject = Delphi: choose a new password
email-password-reset-intro = Someone, hopefully you, asked to reset the password of your Delphi facilitator account. Open this link to choose a new one:
email-password-reset-button = Choose a new password
email-password-reset-expires = The link works once, within { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
email-password-reset-not-you = If you did not ask for it, you can ignore this email: your password stays as it is.

# console2
console2-new-study = Create a study
console2-new-help = Upload the study file (TOML), with the items and panel files it names, or paste the study file below (items then written as [[item]] tables). You become the study's owner.
console2-new-upload = Upload files
console2-study-file = Study file (.toml)
console2-items-file = Items file (.csv or .xlsx), if the study file names one
console2-panel-file = Panel file (.csv), if the study file names one
console2-new-paste = Or paste the study file
console2-create = Create the study
console2-new-nothing = Choose a study file or paste one. Nothing was saved.
console2-errors-title = The file could not be used
console2-nothing-saved = Nothing was saved. Correct the file and try again.
console2-refused-title = This could not be done
console2-back = Back
console2-cancel = Cancel
console2-study-nav = Study pages
console2-results = Results
console2-import-items = Import items
console2-import-panel = Import panel
console2-audit = Audit log
console2-overview = Overview
console2-scale = Scale
console2-language = Language
console2-timezone = Time zone
console2-max-rounds = Rounds at most
console2-rule = Consensus rule
console2-rule-locked = Locked since { $at }; hash:
console2-rule-unlocked = Not locked yet: the rule is locked, with its hash, when round 1 opens.
console2-rule-hash = Rule hash:
console2-sections = Sections
console2-groups = Stakeholder groups
console2-key = Key
console2-section = Section
console2-group = Group
console2-items = Items
console2-experts = Experts
console2-rounds = Rounds
console2-round = Round
console2-round-n = Round { $n }
console2-round-draft = draft
console2-round-open = open
console2-round-closed = closed
console2-invited = Invited
console2-submitted = Submitted
console2-opened-at = Opened
console2-deadline = Deadline
console2-closed-at = Closed
console2-no-rounds = No round has been opened yet.
console2-round-control = Round control
console2-deadline-label = Deadline of the next round (optional, time in { $tz })
console2-open-next = Open the next round
console2-remind-help = Send a reminder to every invited expert who has not submitted yet.
console2-remind = Send reminders
console2-close-round = Close the round…
console2-close-title = Close round { $n }?
console2-close-warning = Closing stops all answers, computes the results under every rule and cannot be undone.
console2-close-confirm = Yes, close round { $n }
console2-dashboard = Dashboard
console2-response-rate = Response rate:
console2-rate = Rate
console2-per-group = Response rate per stakeholder group
console2-per-expert = Experts of this round
console2-pseudonymous = (pseudonyms: the study is pseudonymous)
console2-name = Name
console2-pseudonym = Pseudonym
console2-email = Email
console2-expert-invited = invited
console2-expert-opened = opened
console2-expert-in-progress = in progress
console2-expert-submitted = submitted
console2-expert-withdrawn = withdrawn
console2-email-none = no email
console2-email-queued = queued
console2-email-delivered = delivered
console2-email-failed = failed
console2-email-cancelled = cancelled
console2-no-dashboard = The dashboard starts when round 1 opens.
console2-failed-emails = Emails that could not be delivered
console2-no-failed-emails = No email has failed.
console2-recipient = Recipient
console2-kind = Email
console2-reason = Reason
console2-done-opened = Round { $n } is open; the invitations are in the outbox.
console2-done-reminded = { $n ->
    [one] { $n } reminder is in the outbox.
   *[other] { $n } reminders are in the outbox.
}
console2-done-closed = Round { $n } is closed and its results are computed.
console2-done-created = The study was created; you are its owner.
console2-done-items = Items imported ({ $n } added or updated).
console2-done-panel = Panel imported ({ $n } added or updated).
console2-done-suggestion = The suggestion was decided.
console2-import-file = File to import
console2-import-nothing = Choose a file. Nothing was saved.
console2-preview-button = Preview the changes
console2-preview = What the import will change
console2-preview-summary = { $added } to add, { $updated } to update, { $unchanged } unchanged. Nothing has been saved yet.
console2-added = To add
console2-updated = To update
console2-row = Row
console2-changes = Changes
console2-import-confirm = Import { $file }
console2-audit-title = Audit log — { $study }
console2-audit-intact = { $n ->
    [one] Chain intact: the one entry of this study checks out.
   *[other] Chain intact: all { $n } entries of this study check out.
}
console2-audit-broken = Chain broken at entry { $id }: { $reason }
console2-audit-latest = The latest entries (at most { $n }), newest first
console2-when = When
console2-who = Who
console2-action = Action
console2-details = Details
console2-results-title = Results — { $study }
console2-closed-rounds = Closed rounds
console2-no-closed-rounds = No round has closed yet; results are computed when a round closes.
console2-stability = Stability and attrition
console2-stability-caption = Each item against the round before: status change, median change, experts who moved band, responders and non-responders
console2-no-stability = Stability compares two closed rounds; it appears once round 2 has closed.
console2-item = Item
console2-previous-status = Before
console2-delta-median = Median change
console2-moved = Moved band
console2-stable = Stable
console2-responders = Responders / non-responders
console2-attrition-difference = Mean difference
console2-changed = changed
console2-yes = yes
console2-no = no
console2-downloads = Downloads
console2-downloads-help = Pseudonymous exports (experts as E001…), as the command delphi export writes them.
console2-identified = Identified exports
console2-identified-help = With experts' emails and names. Only owners can download them, and each download is written to the audit log.
console2-round-results-title = Results of round { $n }
console2-view-pooled = Whole panel
console2-view-groups = Per stakeholder group
console2-results-caption = Each item with its status under the primary rule and under every alternative rule (sensitivity)
console2-unable = Unable
console2-median = Median
console2-primary = Primary rule
console2-distribution = Distribution
console2-criterion = Criterion
console2-criterion-combined = Item (all criteria)
console2-chart-label = Scores for { $item } (n = { $n })
console2-suggestions = Suggestions
console2-suggestions-title = Suggested items — { $study }
console2-suggestions-help = Items the experts suggested. Accept one as a new item (it is rated from the next round on), merge it into an existing item, or reject it; each decision needs a reason and is written to the audit log.
console2-suggestion-n = Suggestion { $n }
console2-suggestion-pending = waiting for a decision
console2-suggestion-accepted = accepted
console2-suggestion-merged = merged
console2-suggestion-rejected = rejected
console2-decision = Decision
console2-accept = Accept as a new item
console2-merge = Merge into an existing item
console2-reject = Reject
console2-new-code = Code of the new item (when accepting)
console2-new-text = Wording of the new item (when accepting)
console2-merge-into = Item to merge into (when merging)
console2-decision-reason = Reason
console2-decide = Record the decision
console2-no-suggestions = No expert has suggested an item yet.
console2-preview-round = Preview the next round…
console2-preview-round-title = What opening round { $n } will do
console2-preview-round-summary = { $carried ->
    [one] { $carried } item carried forward
   *[other] { $carried } items carried forward
}, { $suggestions } from accepted suggestions, { $new } new; { $invited ->
    [one] { $invited } expert invited
   *[other] { $invited } experts invited
}. Nothing has changed yet.
console2-preview-locks-rule = Opening this round locks the consensus rule: it cannot change afterwards.
console2-preview-invite = Experts who will be invited
console2-origin = Origin
console2-origin-carried = carried forward
console2-origin-suggestion = accepted suggestion
console2-origin-new = new
console2-extend-label = New, later deadline (time in { $tz })
console2-extend = Extend the deadline
console2-actions = Actions
console2-resend = Resend
console2-resend-to = Resend the invitation to { $who } with a new link
console2-withdraw = Withdraw
console2-withdraw-who = Withdraw { $who } from the study
console2-done-extended = The deadline of round { $n } was extended.
console2-done-resent = The invitation was sent again with a new link; earlier links no longer work.
console2-done-withdrawn = The expert was withdrawn: nothing more is sent to them; their answers stay.

## Team page (roles per study) and the administrators' Accounts page
console2-team = Team
team-title = Team — { $study }
team-members = Who has a role in this study
team-role = Role
team-account = Account
team-since = Since
team-you = (you)
team-active = active
team-disabled = disabled
team-change = Change
team-change-for = Change the role of { $who }
team-role-of = Role of { $who }
team-remove = Remove
team-remove-who = Remove { $who } from the team
team-grant = Give someone a role
team-grant-email = Email of their facilitator account
team-grant-button = Give the role
team-email-missing = give the email of a facilitator account
team-nothing-changed = Nothing was changed.
team-accounts-help = Only existing facilitator accounts can be given a role here. Accounts are created by an administrator on the server, with `delphi admin add --email EMAIL --name NAME`.
team-roles-help = Viewers see the study and its results; editors also change items and panel and run rounds; owners also manage the team and download identified exports. A study always keeps at least one owner.
team-read-only = You are { $role } of this study: only owners can change the team.
team-done-granted = The role was given.
team-done-changed = The role was changed.
team-done-unchanged = They already had that role; nothing was changed.
team-done-removed = The role was removed.
console-accounts = Accounts
accounts-title = Facilitator accounts
accounts-list = Every facilitator account
accounts-admin = Administrator
accounts-last-login = Last sign-in
accounts-never = never
accounts-disable = Disable
accounts-disable-who = Disable the account of { $who }
accounts-enable = Enable
accounts-enable-who = Enable the account of { $who }
accounts-help = A disabled account cannot sign in, its sessions end at once and its API tokens are refused; its roles in studies are kept for when it is enabled again. Invite new facilitators with the form below.
accounts-done-disabled = The account was disabled and signed out everywhere.
accounts-done-enabled = The account was enabled.
accounts-yes = yes
accounts-no = no
console2-content = Sections, items and groups
console2-content-title = Content of { $study }
console2-content-help = Items can be reworded freely until experts have seen them. Once an item has been asked in a round, a new wording becomes a new version: earlier rounds keep the wording their experts saw, the next round uses the new one.
console2-content-open-round = Round { $n } is open: the items it asks cannot be reworded, moved to another section or retired until it closes. New items and other changes are used from the next round on.
console2-content-done-section-added = The section was added.
console2-content-done-section-renamed = The section was renamed.
console2-content-done-moved = The order was changed.
console2-content-done-group-added = The group was added.
console2-content-done-group-renamed = The group was renamed.
console2-content-done-item-added = The item was added; it is asked from the next round on.
console2-content-done-item-edited = The item was changed.
console2-content-done-item-versioned = The item was reworded as a new version; earlier rounds keep the wording their experts saw.
console2-content-done-item-retired = The item was retired: later rounds do not ask it.
console2-content-done-item-restored = The item was brought back.
console2-rule-editor = Consensus rule
console2-section-title-of = Title of section { $key }
console2-group-name-of = Name of group { $key }
console2-rename = Rename
console2-move-up-who = Move { $who } up
console2-move-down-who = Move { $who } down
console2-add-section = Add a section
console2-add-group = Add a stakeholder group
console2-add-item = Add an item
console2-key-help = 1 to 32 lower-case letters, digits, _ or -, starting with a letter or digit; it cannot change later.
console2-add = Add
console2-code = Code
console2-item-retired = retired
console2-item-version = version { $n }
console2-item-frozen = being rated in the open round
console2-item-history = Earlier wordings
console2-version = Version
console2-wording = Wording
console2-since = Since
console2-edit-item = Edit { $code }
console2-description = Description (optional)
console2-item-new-version-note = Experts have already seen this item: a new wording becomes a new version.
console2-save = Save
console2-retire = Retire
console2-restore = Bring back
console2-rule-title = Consensus rule of { $study }
console2-rule-saved = The consensus rule was saved.
console2-rule-current = The rule now
console2-rule-locked-help = The rule was locked when round 1 opened, so that every result is judged by the rule fixed in advance. You can still try distributions below; nothing can be saved.
console2-rule-primary = Primary rule
console2-rule-preset = Preset
console2-rule-custom = Custom (the conditions below)
console2-rule-default = default
console2-rule-in = "In" conditions (all must hold), one per line
console2-rule-out = "Out" conditions (all must hold), one per line
console2-rule-syntax = Used when no preset is chosen. Write a share of answers as share 7-9 >= 70 (percent; add "(with unable)" to count "unable to score" answers), or a statistic as median >= 7 (median, mean, sd, iqr, q1, q3, p30, p70, ipr, ipras, di, n). Comparisons: >=, >, <=, <.
console2-rule-quantiles = Quantile type (1–9)
console2-rule-unable = "Unable to score" answers
console2-rule-groups = Stakeholder groups
console2-rule-alternatives = Alternative rules (sensitivity analysis)
console2-rule-alternatives-label = One alternative per line
console2-rule-alternatives-syntax = NAME: PRESET, or NAME: in: CONDITION and CONDITION; out: CONDITION and CONDITION, optionally followed by ; quantiles N, ; unable include, ; groups each.
console2-rule-try = Try a distribution
console2-rule-distribution = Number of answers per scale point ({ $scale }), lowest first
console2-rule-distribution-help = For example 0 0 1 0 0 2 3 3 1; add U=2 for two "unable to score" answers.
console2-rule-preview = Preview
console2-rule-save = Save the rule
console2-rule-preview-title = What the rule says about example distributions
console2-rule-example = Distribution (20 answers)
console2-rule-no-preview = Correct the rule to see the preview.
console2-rule-example-agree = Most high
console2-rule-example-borderline = 70 % high, 15 % low
console2-rule-example-disagree = Most low
console2-rule-example-split = Split
console2-rule-example-middle = Mostly in the middle
console2-rule-example-yours = Yours
console2-rule-status-in = consensus in
console2-rule-status-out = consensus out
console2-rule-status-none = no consensus

# accounts in the browser: first run, invitations, your account
email-account-invitation-subject = { $inviter } invites you to facilitate studies on Delphi
email-account-invitation-intro = { $inviter } has created a facilitator account for you on Delphi, where consensus studies are run. Open this link to choose your name and password:
email-account-invitation-button = Join Delphi
email-account-invitation-expires = The link works once, within { $days ->
    [one] 1 day
   *[other] { $days } days
}.
email-account-invitation-not-you = If you did not expect this invitation, you can ignore this email: nobody can sign in to the account until the link is used.
home-sign-in = Sign in
home-set-up = Set up Delphi
setup-title = Set up Delphi
setup-waiting = Delphi has no facilitator account yet. The first one, an administrator, is created through a one-time set-up link.
setup-where = Whoever started the server finds the link in its log, on the line that starts with "Set-up link", or by running this command on the server:
setup-done = Delphi is set up. Sign in with your account, or ask an administrator to invite you.
setup-form-intro = You are creating the first account of this Delphi server. It will be an administrator's: it can invite the other facilitators.
setup-dead = This set-up link does not work: Delphi already has an account, or the link was not copied whole. Sign in instead, or ask the person who set up Delphi to invite you.
setup-submit = Create the administrator's account
account-name = Your name
account-name-hint = Shown to your colleagues in the console and in the audit log.
account-email = Email address
account-email-hint = You sign in with it; password resets are sent to it.
account-password = Password
account-password-hint = At least { $min } characters. A few unrelated words are easy to remember and hard to guess.
account-confirm = The password again
account-current = Your current password
account-new-password = New password
account-errors-title = There is a problem
account-nothing-saved = Nothing was saved. Correct the fields below, then try again.
account-problem-email-missing = Enter your email address.
account-problem-email-invalid = Enter an email address like name@example.org.
account-problem-name-missing = Enter your name.
account-problem-name-too-long = The name must be at most 200 characters long.
account-problem-password-too-short = The password must be at least { $min } characters long.
account-problem-password-too-long = The password must be at most { $max } characters long.
account-problem-passwords-differ = The two passwords are not the same.
account-problem-current-wrong = Your current password is not right.
account-problem-email-taken = There is already an account with this email address.
join-title = Join Delphi
join-intro = You were invited to facilitate studies on Delphi as { $email }. Choose the name your colleagues will see and a password.
join-submit = Join
join-dead = This invitation link does not work any more: it has been used already, it has expired, or it was not copied whole. Ask the administrator who invited you to send it again.
profile-title = Your account
profile-nav = Your account
profile-name-legend = Your name
profile-name-submit = Save the name
profile-password-legend = Change your password
profile-password-submit = Change the password
profile-email = You sign in as { $email }.
profile-done-renamed = Your name was changed.
profile-done-password = Your password was changed. Every other browser signed in to your account was signed out.
console-welcome = Welcome to Delphi. You are signed in.
accounts-invite-legend = Invite a facilitator
accounts-invite-help = They receive an email with a link to choose their name and password; the link works for { $days ->
    [one] { $days } day
   *[other] { $days } days
}. You can give them roles in studies straight away.
accounts-invite-email = Their email address
accounts-invite-name = Their name (they can change it)
accounts-invite-admin = Administrator: can invite and disable facilitators
accounts-invite-submit = Send the invitation
accounts-invited = invited, has not joined yet
accounts-reinvite = Send the invitation again
accounts-reinvite-who = Send the invitation again to { $who }
accounts-done-invited = The invitation was sent.
accounts-done-reinvited = A new invitation was sent; the earlier link no longer works.

# the audit log as sentences (audit-ACTION, the entry's details as arguments)
audit-actor-cli = the command line ({ $user })
audit-actor-scheduler = the scheduler
audit-study-create = Created the study “{ $slug }” with { $items ->
    [one] 1 item
   *[other] { $items } items
} and { $experts ->
    [one] 1 expert
   *[other] { $experts } experts
}.
audit-study-grant = Gave { $facilitator } the role { $role }.
audit-study-revoke = Took the role { $previous } away from { $facilitator }.
audit-round-open = Opened round { $round } with { $items ->
    [one] 1 item
   *[other] { $items } items
}; { $invited ->
    [one] 1 expert invited
   *[other] { $invited } experts invited
}.
audit-round-close = Closed round { $round }: { $in } consensus in, { $out } consensus out, { $none } no consensus.
audit-round-extend = Moved the deadline of round { $round } to { $to } (it was { $from }).
audit-round-remind = Reminded { $reminded ->
    [one] 1 expert
   *[other] { $reminded } experts
} in round { $round }.
audit-invitation-resend = Sent { $expert } a new link for round { $round }; the earlier one stopped working.
audit-expert-withdraw = Withdrew an expert from the study (through { $via }).
audit-expert-erase = Erased the personal data of { $expert } at their request.
audit-items-import = Imported items from { $file }: { $added } added, { $updated } updated.
audit-panel-import = Imported the panel from { $file }: { $added } added, { $updated } updated.
audit-responses-import = Imported answers to round { $round } from { $file }: { $saved } saved, { $cleared } cleared.
audit-rule-update = Changed the consensus rule.
audit-item-add = Added item { $code } to section { $section }.
audit-item-edit = Edited item { $code }.
audit-item-move = Moved item { $code } ({ $direction }).
audit-suggestion-accept = Accepted suggestion { $suggestion } as a new item.
audit-suggestion-reject = Rejected suggestion { $suggestion }.
audit-suggestion-merge = Merged suggestion { $suggestion } into an existing item.
audit-export-identified = Exported the data with the experts' identities ({ $format }).
audit-email-template-set = Changed the wording of the { $name } email ({ $language }).
audit-email-template-clear = Went back to the standard wording of the { $name } email ({ $language }).

# finishing a study, and its final list
finish-title = Finish the study — { $study }
finish-help = Finishing ends the study after its last closed round: no round can be opened any more, and the results of each item's last round become the final list. This cannot be undone.
finish-reason = Why the study ends now
finish-reason-hint = Recorded with the study and in the audit log, for the report (at most { $max } characters).
finish-submit = Finish the study
finish-cancel = Cancel
final-title = Final list — { $study }
final-done-finished = The study is finished. This is its final list.
final-finished = Finished { $at }: { $reason }
final-provisional = The study is still running: this list is what the closed rounds say so far.
final-tally = { $in } consensus in, { $out } consensus out, { $none } no consensus.
final-status = Consensus
final-round = Round
final-empty = No round has closed yet, so there is no list.
final-print-hint = To print this list or save it as a PDF, use the browser's Print command: the console's menus are left out.
audit-study-finish = Finished the study after round { $after_round }: { $reason }
final-nav = Final list
finish-offer = Enough rounds? Finishing ends the study here and makes its final list.

## Pages of issue 14: empty states and the way on.
pages-study-finished = This study is finished: no more rounds can be opened.
pages-see-final-list = See the final list
pages-no-results-yet = No round has closed yet. Results, the figure for your paper and the downloads appear here when the first round closes.
pages-go-to-round-control = Go to the study's round control
pages-report = Report
pages-report-help = The whole study on one page — question, panel, rule, rounds, charts and the final list as an appendix table — ready to print or save as PDF from the browser.
pages-report-open = Open the report

## A ranking round in the console (study page, results)
console2-ranking-open = Open a ranking round
console2-ranking-open-help = A ranking round asks the panel to pick and order their top items among those in consensus. It is the study's last round.
console2-ranking-round-kind = ranking
console2-ranking-results-title = Ranking, round { $n }
console2-ranking-summary-equal_groups = { $responded } experts ranked up to { $choose } items each. Every stakeholder group weighs the same in the score, whatever its size.
console2-ranking-summary-pooled = { $responded } experts ranked up to { $choose } items each. The score adds the points of every expert.
console2-ranking-chart-label = Ranking scores, round { $n }
console2-ranking-chart-caption = Each bar is an item's score, the top item's bar the longest.
console2-ranking-table-caption = Items by rank; equal scores share a rank
console2-ranking-col-rank = Rank
console2-ranking-col-score = Score
console2-ranking-col-points = Points
console2-ranking-col-chosen = Chosen by
console2-ranking-col-first = First for
console2-ranking-col-group-rank = Rank ({ $group })
## The ideas round before round 1 (console)
ideas-nav = Ideas
ideas-title = Ideas before round 1 — { $study }
ideas-help = In the ideas round, experts propose items before anything is rated. Process every proposal: merge it into a new item or an existing one (the item keeps the proposals it came from), or set it aside with a reason. Round 1 opens once none is left.
ideas-not-opened = The ideas round has not been opened.
ideas-round-state = The ideas round is { $state }.
ideas-summary = { $received ->
    [one] 1 proposal received
   *[other] { $received } proposals received
}, { $pending } not processed yet.
ideas-open = Open an ideas round
ideas-open-help = Every expert of the panel gets an invitation to propose items. It comes before round 1 and is not counted in the number of rounds.
ideas-close = Close the ideas round
ideas-close-help = Experts can no longer add or change proposals; you then process each of them.
ideas-decision = What becomes of this proposal
ideas-merge-new = Merge into a new item
ideas-merge-existing = Merge into an existing item
ideas-set-aside = Set aside
ideas-reason = Reason
ideas-reason-out_of_scope = Set aside: out of scope
ideas-reason-duplicate = Set aside: duplicate
ideas-reason-already_answered = Set aside: already answered
ideas-reason-unclear = Set aside: unclear
ideas-source = Source that already answers it (needed for "already answered")
ideas-link = Link (optional)
ideas-citation = Citation
ideas-evidence-title = Evidence notes
ideas-evidence-help = A note (a citation and an optional link) is shown to experts as the item's background when they rate it.
ideas-evidence-add = Add the note
ideas-none = This study has no [ideas] table, so it has no ideas round.
ideas-outcome-pending = not processed yet
ideas-outcome-merged = merged into { $item }
ideas-done-opened = The ideas round is open; the invitations are in the outbox.
ideas-done-closed = The ideas round is closed.
ideas-done-processed = The proposal was processed.
ideas-done-evidence = The evidence note was added.
ideas-from = from proposals { $codes }
console2-chnri-caption = Items ranked by weighted research priority score (wRPS), with each criterion's score (0–100), RPS and average expert agreement (AEA)
console2-chnri-rank = Rank
console2-chnri-below = Below threshold
console2-chnri-chart = Criterion scores
console2-chnri-chart-label = Criterion scores of { $item }, 0 to 100
