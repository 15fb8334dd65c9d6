# Tout ce qu'un expert peut lire sur une page. Chaque langue offerte aux experts a ce fichier en entier.

## Site chrome (layouts/base.hbs), and the language's own name wherever one is chosen
language-name = Français
site-tagline = Delphi — études de consensus libres et ouvertes.
skip-to-content = Aller au contenu

## The questionnaire, its review, done and closed pages, and the page of a link that does not work
expert-round = Tour { $round }
expert-deadline = merci de répondre avant le { $deadline }
expert-about = À propos de cette étude
expert-how-to = Choisissez une note pour chaque élément ; le commentaire est facultatif. Appuyez sur Enregistrer pour conserver vos réponses et revenez plus tard, depuis n'importe quel appareil, avec le même lien.
expert-progress = { $answered ->
    [one] { $answered } élément renseigné sur { $total }
   *[other] { $answered } éléments renseignés sur { $total }
}
expert-error-title = Vos réponses n'ont pas été enregistrées
expert-error-help = Veuillez corriger cet élément et enregistrer à nouveau. Rien de cette page n'a été enregistré.
expert-error-prefix = Erreur :
expert-saved-notice = Vos réponses sont enregistrées. Vous pouvez les modifier avec le même lien jusqu'à la clôture du tour.
expert-suggested-notice = Merci : votre suggestion a été transmise à l'équipe de l'étude.
expert-already-submitted = Vous avez envoyé vos réponses. Vous pouvez encore les modifier jusqu'à la clôture du tour.
expert-feedback-title = Sous chaque élément figurent les notes du panel au tour précédent ; votre propre note y est mise en évidence et signalée par un triangle.
expert-your-previous = Votre note précédente : { $score }
expert-feedback-title-after = Notez d'abord chaque élément. Vous verrez ensuite les notes du panel au tour précédent (votre propre note mise en évidence et signalée par un triangle), et vous pourrez modifier votre réponse.
expert-feedback-held = Notez d'abord cet élément : vous verrez ensuite les notes du panel au tour précédent.
expert-feedback-revealed = Les réponses du panel au tour précédent sont maintenant affichées. Vous pouvez modifier votre réponse.
expert-groups-hidden = { $min ->
    [one] Les groupes de moins d'un répondant ne sont pas affichés, pour préserver l'anonymat.
   *[other] Les groupes de moins de { $min } répondants ne sont pas affichés, pour préserver l'anonymat.
}
expert-comments = Commentaires du tour précédent (anonymes)
expert-unable = Je ne peux pas noter
expert-comment = Commentaire (facultatif)
expert-reason = Pourquoi avez-vous changé de note ? (facultatif)
expert-save = Enregistrer
expert-review = Relire et envoyer
expert-suggest-title = Proposer un élément
expert-suggest-help = Il manque quelque chose ? Proposez un nouvel élément ; l'équipe de l'étude examinera chaque proposition.
expert-suggest-text = L'élément que vous proposez
expert-suggest-rationale = Pourquoi il est important (facultatif)
expert-suggest-section = Section
expert-suggest-send = Envoyer la proposition
expert-review-title = Relire et envoyer
expert-unanswered-title = Éléments sans réponse
expert-unanswered-help = Vous pouvez envoyer maintenant en laissant ces éléments vides, ou revenir en arrière pour y répondre.
expert-all-answered = Vous avez répondu à tous les éléments.
expert-submit = Envoyer mes réponses
expert-back = Revenir au questionnaire
expert-done-title = Merci !
expert-done-body = Vos réponses au tour { $round } sont envoyées. Nous vous avons adressé une confirmation par courriel.
expert-done-next = Vous pouvez encore modifier vos réponses avec le même lien jusqu'à la clôture du tour. L'équipe de l'étude calculera ensuite les résultats ; s'il y a un autre tour, vous recevrez un nouveau lien et verrez comment le panel a noté chaque élément.
expert-change = Modifier mes réponses
expert-closed-title = Le tour { $round } est clos
expert-closed-body = Merci de votre participation. Les réponses à ce tour ne peuvent plus être modifiées.
expert-closed-next = L'équipe de l'étude examine maintenant les résultats. S'il y a un autre tour, vous recevrez un courriel avec un nouveau lien personnel et les résultats du panel.
expert-closed-finished = L'étude est terminée. L'équipe de l'étude communiquera les résultats au panel.
expert-unknown-title = Ce lien ne fonctionne pas
expert-unknown-body = Vérifiez que vous avez copié le lien complet depuis votre courriel. S'il ne fonctionne toujours pas, demandez un nouveau lien à l'équipe de l'étude.
expert-too-many = Trop de tentatives avec des liens qui ne fonctionnent pas. Veuillez patienter quelques minutes avant de réessayer.
expert-chart-summary = Tour { $round } : { $count } sur { $total } { $count ->
    [one] a noté
   *[other] ont noté
} { $range }
expert-chart-summary-plain = Tour { $round } : { $total ->
    [one] { $total } réponse
   *[other] { $total } réponses
}
expert-status-saving = Enregistrement…
expert-status-saved = Enregistré
expert-status-failed = Non enregistré
expert-retry = Réessayer
expert-error-not-in-round = cet élément ne fait pas partie de ce tour
expert-error-not-on-page = cet élément n’est pas sur votre page : chaque expert n’évalue que les éléments qui lui sont attribués
expert-error-unknown-criterion = « { $criterion } » n’est pas un critère de cette étude (au choix : { $criteria })
expert-error-no-criterion = indiquez le critère de cette réponse (au choix : { $criteria })
expert-error-not-a-score = « { $value } » n'est pas une note
expert-error-off-scale = { $score } n'est pas sur l'échelle { $min }–{ $max }
expert-error-no-unable = cette étude ne propose pas « Je ne peux pas noter »
expert-error-too-long = { $max ->
    [one] le texte dépasse { $max } caractère
   *[other] le texte dépasse { $max } caractères
}

## The banner of a test expert's pages (test run)
test-expert-banner = Essai : vos réponses sont tenues à part de celles du panel et ne comptent jamais.
test-expert-banner-rehearsal = Essai : le tour { $round } n'est pas encore ouvert. Vos réponses sont tenues à part de celles du panel et ne comptent jamais.

## Sample feedback on a facilitator's preview, in the previewed page's language
preview-sample-feedback = Exemple de retours — chiffres inventés pour cet aperçu
preview-sample-comment = Un commentaire d'exemple : les commentaires du tour précédent apparaissent ici, anonymement.

## The lost-link page (/link) and leaving the study (/u/TOKEN)
link-page-title = Lien perdu ?
link-page-intro = Saisissez l'adresse électronique à laquelle vous avez été invité(e) : nous vous enverrons un nouveau lien personnel.
link-page-email = Votre adresse électronique
link-page-submit = M'envoyer un nouveau lien
link-page-sent = Si cette adresse appartient à un expert d'un tour en cours, un nouveau lien est en route. Consultez votre boîte de réception, ainsi que vos indésirables, d'ici quelques minutes.
link-page-too-many = Trop de demandes depuis votre connexion. Merci de patienter quelques minutes avant de réessayer.
unsubscribe-title = Quitter l'étude
unsubscribe-confirm = Vous êtes sur le point de quitter « { $study } ». Vous ne recevrez plus de message à son sujet et ne serez pas invité(e) aux tours suivants. Les réponses déjà données restent intégrées aux résultats anonymes de l'étude.
unsubscribe-button = Oui, je me retire de l'étude
unsubscribe-done = Vous avez quitté « { $study } ». Merci pour vos contributions.

## The experts' results page (/r/TOKEN/results)
results-title = Résultats de l'étude
results-finished = L'étude s'est terminée le { $at }, après le tour { $round }.
results-provisional = L'étude est encore en cours : ces résultats peuvent changer.
results-tally = { $in } consensus d’inclusion, { $out } consensus d’exclusion, { $none } sans consensus.
results-how-to-read = Pour chaque item : la décision du panel, puis la note médiane et l'écart interquartile (EIQ : la dispersion des notes) au dernier tour qui l'a proposé, avec le nombre d'experts qui l'ont noté (n).
results-status-in = Consensus d’inclusion : inclure
results-status-out = Consensus d’exclusion : exclure
results-status-none = Pas de consensus
results-figures = Médiane { $median } · EIQ { $iqr } · n = { $n } · tour { $round }
results-group = { $group } ({ $responders }) : médiane { $median }, EIQ { $iqr }
results-criterion = { $criterion } ({ $scale }) : { $status } · médiane { $median }, EIQ { $iqr }, n = { $n }
results-groups-hidden = { $min ->
    [one] Les groupes de parties prenantes de moins d'un répondant à un item ne sont pas affichés, pour que personne ne puisse déduire la note d'un autre.
   *[other] Les groupes de parties prenantes de moins de { $min } répondants à un item ne sont pas affichés, pour que personne ne puisse déduire la note d'un autre.
}
results-anonymous = Cette page ne montre que les résultats du panel, jamais qui a répondu quoi.
results-chnri-title = Priorités de recherche
results-chnri-how-to-read = Chaque question de recherche a un score de priorité (RPS, de 0 à 100 : plus il est élevé, plus le panel a jugé la recherche digne d'être financée) et un accord moyen des experts (AEA, de 0 à 1 : en moyenne, la part des experts ayant donné la réponse la plus fréquente). Les questions sont classées de la plus prioritaire à la moins prioritaire.
results-chnri-weighted = Les critères ne comptent pas tous autant : les questions sont classées selon le score pondéré (RPS pondéré).
results-chnri-thresholds = Une question franchit les seuils quand elle atteint le seuil de chaque critère qui en a un.
results-rank = N° { $rank }
results-chnri-passed = Tous les seuils sont franchis
results-chnri-below = Sous le seuil pour : { $criteria }
results-chnri-unscored = Pas de score : trop peu de réponses
results-chnri-figures = RPS { $rps } · AEA { $aea } · n = { $n }
results-chnri-figures-weighted = RPS pondéré { $wrps } · RPS { $rps } · AEA { $aea } · n = { $n }
results-ranking-title = Le classement final
results-ranking-intro = Le classement combiné du panel au tour { $round }, à partir des listes de { $responded } experts : les { $shown } premiers des { $offered } items.
results-ranking-equal-groups = Chaque groupe de parties prenantes a compté autant, quel que soit son nombre d'experts.
results-ranking-item = { $chosen ->
    [one] Choisi par 1 expert
   *[other] Choisi par { $chosen } experts
}, en premier par { $first }
results-ranking-none = Aucun expert n'a classé d'item.
expert-how-to-autosave = Choisissez une note pour chaque élément ; le commentaire est facultatif. Chaque réponse est enregistrée au fur et à mesure : vous pouvez vous arrêter à tout moment et revenir plus tard, depuis n’importe quel appareil, avec le même lien.
expert-unknown-lost = Lien perdu ? Demandez-en un nouveau

## A ranking round's page (templates/expert/ranking.hbs, static/js/ranking.js)
ranking-round = Tour { $round } : classement
ranking-how-to = { $choose ->
    [one] Choisissez l’élément qui compte le plus pour vous. Laissez les autres sur « Non choisi ».
   *[other] Choisissez jusqu’à { $choose } éléments et numérotez-les de 1 (le plus important) à { $choose }. Laissez les autres sur « Non choisi ».
}
ranking-not-chosen = Non choisi
ranking-position = Position { $position }
ranking-save = Enregistrer mon classement
ranking-saved-notice = Votre classement est enregistré. Vous pouvez le modifier avec le même lien jusqu’à la clôture du tour.
ranking-already-saved = Vous avez enregistré un classement. Vous pouvez encore le modifier jusqu’à la clôture du tour.
ranking-error-title = Il y a un problème
ranking-error-help = Votre classement n’a pas été enregistré. Corrigez-le et enregistrez à nouveau ; vos choix sont toujours sur la page.
ranking-error-repeated = La position { $position } est donnée à plusieurs éléments : { $items }. Donnez chaque position à un seul élément.
ranking-error-above-choose = « { $item } » est à la position { $position }, mais vous ne pouvez choisir que le nombre d’éléments demandé.
ranking-error-gap = Aucun élément n’est à la position { $position }. Numérotez vos choix 1, 2, 3… sans trou.
ranking-error-not-a-position = « { $value } » n’est pas une position pour « { $item } ».
ranking-error-not-in-round = « { $item } » ne fait pas partie de ce tour.
ranking-list-title = Votre classement
ranking-list-empty = Vous n’avez encore choisi aucun élément.
ranking-others-title = Éléments non choisis
ranking-move-up = Monter
ranking-move-down = Descendre
ranking-add = Ajouter à mon classement
ranking-remove = Retirer
ranking-moved = { $item } déplacé à la position { $position } sur { $total }.
ranking-drag-hint = Faites glisser un élément par sa poignée pour le déplacer, ou utilisez ses boutons Monter et Descendre.
ranking-added = { $item } ajouté à la position { $position }.
ranking-removed = { $item } retiré de votre classement.
ranking-full = { $choose ->
    [one] Vous avez choisi 1 élément, le maximum. Retirez-le pour en choisir un autre.
   *[other] Vous avez choisi { $choose } éléments, le maximum. Retirez-en un pour en ajouter un autre.
}
## Le tour des idées (avant le tour 1)
expert-ideas-round = Tour des idées, avant le tour 1
expert-ideas-intro = Proposez jusqu'à { $per_expert } éléments pour chaque thème ci-dessous, avec une justification si vous le souhaitez. Laissez une case vide si vous n'avez rien à ajouter. Vous pouvez modifier vos propositions avec le même lien jusqu'à la clôture du tour.
expert-ideas-section-help = Jusqu'à { $per_expert } propositions.
expert-ideas-proposal = Proposition { $n }
expert-ideas-rationale = Pourquoi c'est important (facultatif)
expert-ideas-save = Enregistrer mes propositions
expert-ideas-saved = Vos propositions sont enregistrées. Vous pouvez les modifier jusqu'à la clôture du tour.
expert-ideas-error-title = Vos propositions n'ont pas été enregistrées
expert-ideas-closed-title = Le tour des idées est clos
expert-chnri-how-to = Pour chaque question de recherche, répondez à chaque question de chaque critère. Choisissez « Je ne sais pas » si une question dépasse votre domaine : cette réponse ne compte ni pour ni contre. Enregistrez aussi souvent que vous le souhaitez, puis envoyez vos réponses.
expert-chnri-how-to-autosave = Pour chaque question de recherche, répondez à chaque question de chaque critère. Choisissez « Je ne sais pas » si une question dépasse votre domaine : cette réponse ne compte ni pour ni contre. Chaque réponse est enregistrée au fur et à mesure ; envoyez vos réponses à la fin.
expert-chnri-progress = { $total ->
    [one] { $answered } question sur { $total } répondue
   *[other] { $answered } questions sur { $total } répondues
}
expert-chnri-yes = Oui
expert-chnri-undecided = Informé·e mais indécis·e
expert-chnri-no = Non
expert-chnri-dont-know = Je ne sais pas
expert-chnri-error-help = Rien de cette page n’a été enregistré. Vérifiez vos réponses et enregistrez à nouveau.
