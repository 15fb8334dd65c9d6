# Aperçu comme un expert (/console/s/SLUG/preview) : la barre est dans la langue de l'animateur ;
# l'étiquette et le commentaire d'exemple, dans celle de la page affichée, sont dans expert.ftl.
preview-nav = Aperçu comme un expert
preview-title = Aperçu comme un expert — { $study }
preview-banner = Aperçu — voici ce que voient les experts ; rien de ce que vous faites ici n'est enregistré.
preview-language = Langue
preview-round = Tour
preview-show = Afficher
preview-back = Retour à l'étude
preview-errors-title = Il y a un problème
preview-problem-lang = Langue : l'étude ne se lit pas en « { $value } » ; choisissez parmi { $choices }. La page est affichée dans la langue de l'étude.
preview-problem-round = Tour : il n'y a pas de tour « { $value } » à afficher ; choisissez parmi { $choices }. Le tour { $shown } est affiché.
preview-round-draft = Tour { $n } (brouillon)
preview-round-open = Tour { $n } (ouvert)
preview-round-closed = Tour { $n } (clôturé)
preview-round-next = Tour { $n } (prochain à ouvrir)
preview-round-planned = Tour { $n } (prévu)
preview-language-en = anglais
preview-language-fr = français
preview-language-es = espagnol
preview-language-pt = portugais
preview-language-ar = arabe
preview-study-language = la langue de l'étude
preview-note-no-catalogue = Les pages de Delphi ne sont pas traduites en « { $tag } » : les experts de cette langue lisent les pages en { $page }, avec les items dans la langue de l'étude.
preview-note-next = Le tour { $n } n'est pas encore ouvert : voici les items que l'ouvrir maintenant proposerait.
preview-note-planned = Le tour { $n } ne peut pas encore être prévu exactement : voici les items qu'il proposerait si aucun item n'atteint le consensus au tour { $before }.
preview-note-closed = Le tour { $n } est clôturé : les experts qui ouvrent leur lien voient maintenant une page qui le dit. Voici le questionnaire tel qu'il était pendant le tour.
preview-note-sample = Le tour { $before } n'a pas encore de résultats : les retours de cette page sont un exemple inventé, signalé comme tel sur chaque item.
preview-did-save = Dans le questionnaire, Enregistrer conserve les réponses. Ceci est un aperçu : rien n'a été enregistré.
preview-did-review = Dans le questionnaire, ce bouton liste les items sans réponse avant l'envoi. Ceci est un aperçu : rien n'a été enregistré ni envoyé.
preview-did-suggest = Dans le questionnaire, la suggestion irait aux animateurs. Ceci est un aperçu : rien n'a été envoyé.
preview-did-submit = Dans le questionnaire, Envoyer enregistre les réponses et les transmet. Ceci est un aperçu : rien n'a été enregistré ni envoyé.

# Le courriel de clôture, sur la page Terminer et la liste finale.
closing-checkbox = Envoyer au panel un remerciement avec un lien vers les résultats
closing-checkbox-hint = { $n ->
    [0] Personne ne le recevrait : aucun expert ayant participé n'est encore dans l'étude avec une adresse électronique.
    [one] Il part vers le seul expert ayant participé (invité à un tour, non retiré, avec une adresse électronique), dans sa langue, avec un lien personnel vers une page des résultats en lecture seule.
   *[other] Il part vers les { $n } experts ayant participé (invités à un tour, non retirés, avec une adresse électronique), chacun dans sa langue, avec un lien personnel vers une page des résultats en lecture seule.
}
closing-wording = Le courriel, tel que les experts le liront
closing-subject = Objet :
closing-sample-name = [le nom de l'expert]
closing-sample-link = [lien-personnel]
closing-offer = L'étude s'est terminée sans courriel de clôture. Vous pouvez encore remercier le panel, une fois.
closing-send = Envoyer le courriel de clôture
closing-sent = Le courriel de clôture a été mis en file le { $at } pour { $n ->
    [one] 1 expert
   *[other] { $n } experts
}.
closing-problem-email = Le courriel de clôture n'a pas pu être rédigé ({ $reason }). Rien n'a été terminé. Décochez la case pour terminer sans lui, ou corrigez le texte propre à l'étude du courriel study_closed.
final-done-finished-emailed = L'étude est terminée. Courriel de clôture mis en file pour { $n ->
    [one] 1 expert
   *[other] { $n } experts
}.
final-done-closing = Courriel de clôture mis en file pour { $n ->
    [one] 1 expert
   *[other] { $n } experts
}.
audit-study-closing-email = A mis en file le courriel de clôture avec le lien vers les résultats pour { $experts ->
    [one] 1 expert
   *[other] { $experts } experts
}.
