# Content and panel without files: items pasted on the content page, the panel page (one
# expert by form, many pasted), the import templates and the column tables of the import pages.

## Problems of pasted lines and of the expert form
paste-problem-field = Line { $line }, { $field }: { $reason }
paste-problem-line = Line { $line }: { $reason }
paste-field-code = code
paste-field-section = section
paste-field-text = wording
paste-field-description = description
paste-field-email = Email address
paste-field-name = Name
paste-field-group = Stakeholder group
paste-field-language = Language
paste-field-country = Country
panel-form-problem = { $field }: { $reason }

## Paste many items (content page)
paste-items-legend = Paste many items
paste-items-rule = One item per line. Write the wording alone, or code | section | wording. Leave the code empty to get the next free code of the section (after M12 comes M13); leave the section empty to use the section chosen below. Columns copied from a spreadsheet (code, section, wording) work too. Nothing is saved unless every line is right.
paste-items-example-intro = For example:
paste-items-example-1 = Serum zinc concentration (µg/dL)
paste-items-example-2 = Urinary iodine concentration (µg/L)
paste-items-example-3 = Exclusive breastfeeding at 6 months
paste-items-section = Section of the lines that name none
paste-items-section-none = Choose a section
paste-items-label = Items, one per line
paste-items-submit = Add these items
paste-items-no-section = To paste items, add a section first (below).
console2-content-done-pasted = { $n ->
    [one] 1 item was added at the end of the list.
   *[other] { $n } items were added at the end of the list.
  } New items are asked from the next round on.

## The panel page
panel-jump = On this page
panel-nav = Panel
panel-title = Panel of { $study }
panel-experts = { $n ->
    [0] Experts
    [one] Experts (1)
   *[other] Experts ({ $n })
  }
panel-empty = Nobody is on the panel yet. Add experts below, one by one or pasted many at once, or import a panel file.
panel-active = On the panel
panel-withdrawn = Withdrawn
panel-in-round = Invited to round { $n }
panel-not-in-round = Not in round { $n }
panel-language-study = The study's language ({ $language })
panel-note-before-round-1 = No round has opened yet: round 1 will invite everyone on the panel when it opens.
panel-note-open = Round { $n } is open. Experts added now are not invited to it: a round's invitations are sent when it opens, to the panel as it was then.
panel-note-later-all = The next round invites the whole panel, so experts added now will be invited when it opens.
panel-note-later-responders = Each later round invites only the experts who answered the round before (the study's setting invite = "previous_responders"), so experts added after round 1 has opened are not invited to any later round either.
panel-add-legend = Add an expert
panel-add-hint = If the email address is already on the panel, that expert's details are updated instead: an expert is never added twice.
panel-language-hint = The language of their invitations and pages.
panel-country-optional = Country (optional)
panel-add-submit = Add the expert
panel-paste-legend = Paste many experts
panel-paste-rule = One expert per line: email | name | group, optionally followed by | language | country. The group is one of: { $groups }. An email address already on the panel updates that expert. Columns copied from a spreadsheet in this order work too. Nothing is saved unless every line is right.
panel-paste-label = Experts, one per line
panel-paste-submit = Save these experts
panel-no-groups = The study has no stakeholder group yet; add one before adding experts:
panel-done-added = { $who } was added to the panel.
panel-done-updated = { $who } was already on the panel: their details were updated.
panel-done-unchanged = { $who } is already on the panel with these details; nothing was changed.
panel-done-pasted = Experts saved: { $added } added, { $updated } updated, { $unchanged } already on the panel unchanged.

## Import pages: templates and columns
import-no-file-items = No file at hand?
import-no-file-link-items = Paste the items on the content page instead.
import-no-file-panel = No file at hand?
import-no-file-link-panel = Add experts one by one, or paste them, on the panel page.
import-template-title = Start from a template
import-template-help = The template has the header row this import reads and two example rows that use this study's own keys. Replace the examples with your rows, keep the header, and upload the file below.
import-template-xlsx = Download a template (Excel, .xlsx)
import-template-csv = Download a template (CSV)
import-columns-caption = The columns of the file
import-col-name = Column
import-col-required = Required or optional
import-col-meaning = What it holds
import-col-example = Example
import-required = Required
import-optional = Optional
import-upload-title = Upload your file
import-col-items-code = A short code that identifies the item in exports and results: 1 to 32 letters, digits, ".", "_" or "-", unique in the study. A code the study already has rewords that item.
import-col-items-section = The key of the item's section: one of { $sections }.
import-col-items-text = The wording experts rate, in the study's language ({ $study_language }).
import-col-items-description = Background shown under the wording (may use Markdown). May be left empty.
import-col-items-text-in = The wording in { $language }, shown to experts who read that language; left empty, they see the study's language.
import-col-items-description-in = The background in { $language }; needs the wording in { $language } on the same row.
import-col-panel-email = The expert's email address: their invitations go there. An address already on the panel updates that expert.
import-col-panel-name = The expert's name, used to greet them in emails.
import-col-panel-group = The key of their stakeholder group: one of { $groups }.
import-col-panel-language = The language of their invitations and pages, as a tag such as en or fr; left empty, the study's language ({ $study_language }).
import-col-panel-country = Where they work, as you like to write it; it is only shown and exported.
import-language-en = English
import-language-fr = French
import-language-es = Spanish
import-language-pt = Portuguese
import-language-ar = Arabic
import-example-item-1 = Serum zinc concentration (µg/dL)
import-example-item-1-description = Measured in a morning, non-fasting blood sample.
import-example-item-2 = Exclusive breastfeeding at 6 months
import-example-item-2-description = { "" }

## The audit log
audit-items-paste = Added { $added ->
    [one] 1 pasted item
   *[other] { $added } pasted items
  }: { $codes }.
audit-expert-add = Added { $expert } to the panel (group { $group }).
audit-expert-update = Updated the details of { $expert } (group { $group }).
audit-panel-paste = Saved pasted experts: { $added } added, { $updated } updated, { $unchanged } unchanged.

# Importing answers: ratings, CHNRI answers or a ranking, whichever the study takes now.
console2-import-responses = Import answers
console2-done-responses = Answers imported ({ $n } saved or removed).
import-responses-takes-ratings = This study takes ratings now: one row per expert and item, with the columns { $columns }. An empty score removes an earlier answer.
import-responses-takes-chnri = This is a CHNRI study: one row per expert, item and question, with the columns { $columns }. An empty answer removes an earlier one.
import-responses-takes-ranking = A ranking round is open: one row per item an expert chose, with the columns { $columns }. Each expert in the file gets exactly the list the file gives them.
import-responses-preview-ratings = Round { $round }: { $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
 } from { $experts ->
    [one] { $experts } expert
   *[other] { $experts } experts
 } on { $items ->
    [one] { $items } item
   *[other] { $items } items
 }. { $saved ->
    [one] { $saved } answer
   *[other] { $saved } answers
 } will be saved and { $cleared } removed.
import-responses-preview-chnri = Round { $round }: { $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
 } from { $experts ->
    [one] { $experts } expert
   *[other] { $experts } experts
 } on { $items ->
    [one] { $items } item
   *[other] { $items } items
 }. { $saved ->
    [one] { $saved } answer
   *[other] { $saved } answers
 } will be saved and { $cleared } removed.
import-responses-preview-ranking = Ranking round { $round }: { $rows ->
    [one] { $rows } place
   *[other] { $rows } places
 } from { $experts ->
    [one] { $experts } expert
   *[other] { $experts } experts
 }, naming { $items ->
    [one] { $items } item
   *[other] { $items } items
 }. { $saved ->
    [one] { $saved } place
   *[other] { $saved } places
 } will be saved.
import-responses-experts = Experts in the file
import-responses-items = Items in the file
import-col-responses-expert = The expert's email address, as on the panel; they must be invited to the open round.
import-col-responses-item = The item's code; the item must be in the open round.
import-col-responses-criterion = The criterion's key: { $criteria }.
import-col-responses-score = A whole number on the scale (up to { $scale_max }), U for "unable to score", or empty to remove an earlier answer.
import-col-responses-comment = The expert's comment, if any.
import-col-responses-question = The question's number within its criterion, from 1.
import-col-responses-answer = yes, undecided, no or dont_know; empty removes an earlier answer.
import-col-responses-position = The item's place in the expert's list: 1 for the first choice, 2 for the next, with no gaps and each place once.
