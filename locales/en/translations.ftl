## The translations page: a study's texts in its other languages.

translations-nav = Translations
translations-title = Translations of { $study }
translations-languages = Languages
translations-progress = { $total ->
    [one] { $translated } of 1 text translated into { $language }.
   *[other] { $translated } of { $total } texts translated into { $language }.
}
translations-show-missing = Show only what is not translated yet
translations-show-all = Show every text
translations-help = Experts who read this language see each text in it once it is translated, and in { $main } until then. Leave a field empty to show the { $main } text.
translations-all-done = Every text is translated into { $language }.
translations-one-language = The study is offered in one language only. Add languages experts can answer in on the Settings page, then translate the texts here.
translations-what = Text
translations-missing = not translated
translations-save = Save translations
translations-part-study = The study
translations-part-scale = Words of the scale
translations-part-sections = Section titles
translations-part-groups = Stakeholder groups
translations-part-criteria = Criteria
translations-criterion-question = { $criterion }: question { $n }
translations-part-items = Items
translations-title-field = Title
translations-description = Welcome text
translations-item-description = { $code }: description
translations-done-saved = { $n ->
    [one] One translation saved.
   *[other] { $n } translations saved.
}
translations-done-unchanged = Nothing was changed.
