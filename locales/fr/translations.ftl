## La page des traductions : les textes d'une étude dans ses autres langues.

translations-nav = Traductions
translations-title = Traductions de { $study }
translations-languages = Langues
translations-progress = { $translated ->
    [one] { $translated } texte sur { $total } traduit en { $language }.
   *[other] { $translated } textes sur { $total } traduits en { $language }.
}
translations-show-missing = Afficher seulement ce qui n'est pas encore traduit
translations-show-all = Afficher tous les textes
translations-help = Les experts qui lisent cette langue voient chaque texte dans cette langue dès qu'il est traduit, et en { $main } en attendant. Laissez un champ vide pour afficher le texte en { $main }.
translations-all-done = Tous les textes sont traduits en { $language }.
translations-one-language = L'étude n'est proposée que dans une langue. Ajoutez des langues dans lesquelles les experts peuvent répondre sur la page Réglages, puis traduisez les textes ici.
translations-what = Texte
translations-missing = non traduit
translations-save = Enregistrer les traductions
translations-part-study = L'étude
translations-part-scale = Mots de l'échelle
translations-part-sections = Titres des sections
translations-part-groups = Groupes de parties prenantes
translations-part-criteria = Critères
translations-criterion-question = { $criterion } : question { $n }
translations-part-items = Éléments
translations-title-field = Titre
translations-description = Texte d'accueil
translations-item-description = { $code } : description
translations-done-saved = { $n ->
    [one] Une traduction enregistrée.
   *[other] { $n } traductions enregistrées.
}
translations-done-unchanged = Rien n'a été modifié.
