# Contenu et panel sans fichier : items collés sur la page du contenu, la page du panel (un
# expert par formulaire, plusieurs collés), les modèles d'import et le tableau des colonnes.

## Problèmes des lignes collées et du formulaire d'expert
paste-problem-field = Ligne { $line }, { $field } : { $reason }
paste-problem-line = Ligne { $line } : { $reason }
paste-field-code = code
paste-field-section = section
paste-field-text = libellé
paste-field-description = description
paste-field-email = Adresse e-mail
paste-field-name = Nom
paste-field-group = Groupe de parties prenantes
paste-field-language = Langue
paste-field-country = Pays
panel-form-problem = { $field } : { $reason }

## Coller plusieurs items (page du contenu)
paste-items-legend = Coller plusieurs items
paste-items-rule = Un item par ligne. Écrivez le libellé seul, ou code | section | libellé. Laissez le code vide pour obtenir le prochain code libre de la section (après M12 vient M13) ; laissez la section vide pour utiliser la section choisie ci-dessous. Les colonnes copiées d'un tableur (code, section, libellé) conviennent aussi. Rien n'est enregistré tant que toutes les lignes ne sont pas correctes.
paste-items-example-intro = Par exemple :
paste-items-example-1 = Concentration sérique de zinc (µg/dL)
paste-items-example-2 = Concentration urinaire d'iode (µg/L)
paste-items-example-3 = Allaitement exclusif à 6 mois
paste-items-section = Section des lignes qui n'en nomment pas
paste-items-section-none = Choisissez une section
paste-items-label = Items, un par ligne
paste-items-submit = Ajouter ces items
paste-items-no-section = Pour coller des items, ajoutez d'abord une section (ci-dessous).
console2-content-done-pasted = { $n ->
    [one] 1 item a été ajouté en fin de liste.
   *[other] { $n } items ont été ajoutés en fin de liste.
  } Les nouveaux items sont posés à partir du prochain tour.

## La page du panel
panel-jump = Sur cette page
panel-nav = Panel
panel-title = Panel de { $study }
panel-experts = { $n ->
    [0] Experts
    [one] Experts (1)
   *[other] Experts ({ $n })
  }
panel-empty = Personne n'est encore dans le panel. Ajoutez des experts ci-dessous, un par un ou plusieurs collés d'un coup, ou importez un fichier de panel.
panel-active = Dans le panel
panel-withdrawn = Retiré
panel-in-round = Invité au tour { $n }
panel-not-in-round = Hors du tour { $n }
panel-language-study = La langue de l'étude ({ $language })
panel-note-before-round-1 = Aucun tour n'a encore été ouvert : le tour 1 invitera tout le panel à son ouverture.
panel-note-open = Le tour { $n } est ouvert. Les experts ajoutés maintenant n'y sont pas invités : les invitations d'un tour partent à son ouverture, vers le panel tel qu'il était alors.
panel-note-later-all = Le prochain tour invite tout le panel : les experts ajoutés maintenant seront invités à son ouverture.
panel-note-later-responders = Chaque tour suivant n'invite que les experts qui ont répondu au tour précédent (réglage invite = "previous_responders" de l'étude) : les experts ajoutés après l'ouverture du tour 1 ne sont invités à aucun tour suivant non plus.
panel-add-legend = Ajouter un expert
panel-add-hint = Si l'adresse e-mail est déjà dans le panel, les informations de cet expert sont mises à jour : un expert n'est jamais ajouté deux fois.
panel-language-hint = La langue de ses invitations et de ses pages.
panel-country-optional = Pays (facultatif)
panel-add-submit = Ajouter l'expert
panel-paste-legend = Coller plusieurs experts
panel-paste-rule = Un expert par ligne : e-mail | nom | groupe, éventuellement suivis de | langue | pays. Le groupe est l'un de : { $groups }. Une adresse déjà dans le panel met à jour cet expert. Les colonnes copiées d'un tableur dans cet ordre conviennent aussi. Rien n'est enregistré tant que toutes les lignes ne sont pas correctes.
panel-paste-label = Experts, un par ligne
panel-paste-submit = Enregistrer ces experts
panel-no-groups = L'étude n'a pas encore de groupe de parties prenantes ; ajoutez-en un avant d'ajouter des experts :
panel-done-added = { $who } a été ajouté au panel.
panel-done-updated = { $who } était déjà dans le panel : ses informations ont été mises à jour.
panel-done-unchanged = { $who } est déjà dans le panel avec ces informations ; rien n'a changé.
panel-done-pasted = Experts enregistrés : { $added ->
    [one] { $added } ajouté
   *[other] { $added } ajoutés
}, { $updated } mis à jour, { $unchanged } déjà dans le panel sans changement.

## Pages d'import : modèles et colonnes
import-no-file-items = Pas de fichier sous la main ?
import-no-file-link-items = Collez plutôt les items sur la page du contenu.
import-no-file-panel = Pas de fichier sous la main ?
import-no-file-link-panel = Ajoutez les experts un par un, ou collez-les, sur la page du panel.
import-template-title = Partir d'un modèle
import-template-help = Le modèle contient la ligne d'en-tête que cet import lit et deux lignes d'exemple qui utilisent les clés de cette étude. Remplacez les exemples par vos lignes, gardez l'en-tête, puis déposez le fichier ci-dessous.
import-template-xlsx = Télécharger un modèle (Excel, .xlsx)
import-template-csv = Télécharger un modèle (CSV)
import-columns-caption = Les colonnes du fichier
import-col-name = Colonne
import-col-required = Obligatoire ou facultative
import-col-meaning = Ce qu'elle contient
import-col-example = Exemple
import-required = Obligatoire
import-optional = Facultative
import-upload-title = Déposer votre fichier
import-col-items-code = Un code court qui identifie l'item dans les exports et les résultats : 1 à 32 lettres, chiffres, « . », « _ » ou « - », unique dans l'étude. Un code que l'étude a déjà modifie le libellé de cet item.
import-col-items-section = La clé de la section de l'item : l'une de { $sections }.
import-col-items-text = Le libellé que les experts notent, dans la langue de l'étude ({ $study_language }).
import-col-items-description = Le contexte affiché sous le libellé (Markdown possible). Peut rester vide.
import-col-items-text-in = Le libellé en { $language }, montré aux experts qui lisent cette langue ; laissé vide, ils voient la langue de l'étude.
import-col-items-description-in = Le contexte en { $language } ; demande le libellé en { $language } sur la même ligne.
import-col-panel-email = L'adresse e-mail de l'expert : ses invitations y sont envoyées. Une adresse déjà dans le panel met à jour cet expert.
import-col-panel-name = Le nom de l'expert, utilisé pour le saluer dans les e-mails.
import-col-panel-group = La clé de son groupe de parties prenantes : l'une de { $groups }.
import-col-panel-language = La langue de ses invitations et de ses pages, sous forme d'étiquette comme en ou fr ; laissée vide, la langue de l'étude ({ $study_language }).
import-col-panel-country = Le pays où il travaille, écrit comme vous le souhaitez ; il est seulement affiché et exporté.
import-language-en = anglais
import-language-fr = français
import-language-es = espagnol
import-language-pt = portugais
import-language-ar = arabe
import-example-item-1 = Concentration sérique de zinc (µg/dL)
import-example-item-1-description = Mesurée sur un prélèvement sanguin du matin, sans jeûne.
import-example-item-2 = Allaitement exclusif à 6 mois
import-example-item-2-description = { "" }

## Le journal d'audit
audit-items-paste = { $added ->
    [one] 1 item collé ajouté
   *[other] { $added } items collés ajoutés
  } : { $codes }.
audit-expert-add = { $expert } ajouté au panel (groupe { $group }).
audit-expert-update = Informations de { $expert } mises à jour (groupe { $group }).
audit-panel-paste = Experts collés enregistrés : { $added ->
    [one] { $added } ajouté
   *[other] { $added } ajoutés
}, { $updated } mis à jour, { $unchanged } sans changement.

# Importing answers: ratings, CHNRI answers or a ranking, whichever the study takes now.
console2-import-responses = Importer des réponses
console2-done-responses = Réponses importées ({ $n } enregistrées ou retirées).
import-responses-takes-ratings = Cette étude reçoit des notes : une ligne par expert et par item, avec les colonnes { $columns }. Une note vide retire une réponse antérieure.
import-responses-takes-chnri = C’est une étude CHNRI : une ligne par expert, item et question, avec les colonnes { $columns }. Une réponse vide retire une réponse antérieure.
import-responses-takes-ranking = Un tour de classement est ouvert : une ligne par item choisi par un expert, avec les colonnes { $columns }. Chaque expert du fichier reçoit exactement la liste que le fichier lui donne.
import-responses-preview-ratings = Tour { $round } : { $rows ->
    [one] { $rows } ligne
   *[other] { $rows } lignes
 } de { $experts ->
    [one] { $experts } expert
   *[other] { $experts } experts
 } sur { $items ->
    [one] { $items } item
   *[other] { $items } items
 }. { $saved ->
    [one] { $saved } réponse sera enregistrée
   *[other] { $saved } réponses seront enregistrées
 } et { $cleared ->
    [one] { $cleared } retirée
   *[other] { $cleared } retirées
 }.
import-responses-preview-chnri = Tour { $round } : { $rows ->
    [one] { $rows } ligne
   *[other] { $rows } lignes
 } de { $experts ->
    [one] { $experts } expert
   *[other] { $experts } experts
 } sur { $items ->
    [one] { $items } item
   *[other] { $items } items
 }. { $saved ->
    [one] { $saved } réponse sera enregistrée
   *[other] { $saved } réponses seront enregistrées
 } et { $cleared ->
    [one] { $cleared } retirée
   *[other] { $cleared } retirées
 }.
import-responses-preview-ranking = Tour de classement { $round } : { $rows ->
    [one] { $rows } place
   *[other] { $rows } places
 } de { $experts ->
    [one] { $experts } expert
   *[other] { $experts } experts
 }, pour { $items ->
    [one] { $items } item
   *[other] { $items } items
 }. { $saved ->
    [one] { $saved } place sera enregistrée
   *[other] { $saved } places seront enregistrées
 }.
import-responses-experts = Experts du fichier
import-responses-items = Items du fichier
import-col-responses-expert = L’adresse électronique de l’expert, comme dans le panel ; il doit être invité au tour ouvert.
import-col-responses-item = Le code de l’item ; l’item doit faire partie du tour ouvert.
import-col-responses-criterion = La clé du critère : { $criteria }.
import-col-responses-score = Un nombre entier de l’échelle (jusqu’à { $scale_max }), U pour « impossible de noter », ou vide pour retirer une réponse antérieure.
import-col-responses-comment = Le commentaire de l’expert, s’il y en a un.
import-col-responses-question = Le numéro de la question dans son critère, à partir de 1.
import-col-responses-answer = yes, undecided, no ou dont_know ; vide retire une réponse antérieure.
import-col-responses-position = La place de l’item dans la liste de l’expert : 1 pour le premier choix, 2 pour le suivant, sans trou et chaque place une fois.
