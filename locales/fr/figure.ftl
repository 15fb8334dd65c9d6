# La figure pour un article (/console/s/SLUG/figure) : une barre divergente empilée par élément.
# figure-link est le texte d'un lien vers la page (par exemple depuis la page des résultats).
figure-link = Figure pour votre article
figure-title = Figure pour votre article — { $study }
figure-back = Retour à l'étude
figure-intro = Une barre par élément : la part des notes dans chaque bande de l'échelle, les éléments triés par accord et le seuil de consensus de la règle principale tracé en pointillés. Téléchargez-la en SVG (pour Word, Inkscape ou LaTeX) ou en PNG.
figure-empty = Aucun tour n'est encore clos : la figure montre les résultats d'un tour clos.
figure-empty-link = Aller à la page de l'étude
figure-round = Tour
figure-round-n = Tour { $n }
figure-group = Experts
figure-all-experts = Tous les experts
figure-show = Afficher
figure-groups-hidden = Non proposés, pour que personne ne puisse être identifié : { $groups }.
figure-group-too-small = { $name } ({ $n } répondants ; un groupe est montré à partir de { $min })
figure-group-empty = { $name } (aucun répondant)
figure-download-svg = Télécharger en SVG
figure-download-png = Télécharger en PNG (3×)
figure-png-failed = Ce navigateur n'a pas pu produire le PNG ; téléchargez plutôt le SVG.
figure-table-summary = La figure sous forme de tableau
figure-col-item = Élément
figure-bad-round = Tour : « { $value } » n'est pas un numéro de tour. Choisissez l'un des tours clos.
# Dans la figure et sa légende.
figure-svg-title = { $study } — tour { $round } — { $who }
figure-percent = { "\u202F%" }
figure-no-answers = aucune réponse
figure-withheld = trop peu de réponses pour les montrer
figure-middle = Bandes du milieu
figure-line-in = Consensus pour inclure : { $share } « { $band } »
figure-line-out = Consensus pour exclure : { $share } « { $band } »
figure-note-unable = Parts des notes données : les réponses « Impossible de noter » sont exclues ({ $unable } dans ce tour) et n compte les notes.
figure-note-lines = Lignes pointillées : les seuils de la règle de consensus principale ({ $lines }).
figure-note-no-line = Pas de ligne de consensus : la règle principale n'a pas de condition sur la part d'une bande de l'échelle.
figure-note-no-line-unable = Pas de ligne de consensus : la règle principale compte les réponses « Impossible de noter » dans ses parts, que les barres excluent.
figure-note-aside = Chaque côté part de la ligne centrale : une barre qui atteint une ligne pointillée remplit ce seuil ; { $bands } est tracé à la même échelle dans sa propre colonne, à droite.
figure-note-order-band = Les éléments sont triés par leur part dans { $bands }, de la plus forte à la plus faible, puis par code.
figure-note-group = Groupe de parties prenantes : { $group } ({ $n } répondants).
figure-quoted = « { $name } »
