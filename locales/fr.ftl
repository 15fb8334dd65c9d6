# Catalogue français. Toute clé absente retombe sur l'anglais (en.ftl).

# Pages des experts et courriels aux experts : voir fr/expert.ftl et fr/mail.ftl.

# console
login-title = Connexion
login-intro = Les animateurs se connectent ici. Les experts n'ont pas besoin de compte : ils répondent grâce au lien personnel reçu par courriel.
login-email = Adresse électronique
login-password = Mot de passe
login-submit = Se connecter
login-failed = L'adresse électronique ou le mot de passe est incorrect. Veuillez réessayer.
login-too-many = Trop de tentatives de connexion depuis votre connexion. Merci de patienter quelques minutes avant de réessayer.
login-expired = Ce formulaire de connexion avait expiré ou ne venait pas de ce site : personne n'a été connecté. Veuillez vous reconnecter avec le formulaire ci-dessous.
login-forgot = Mot de passe oublié ?
login-signed-out = Vous êtes déconnecté(e).
login-password-changed = Votre mot de passe a été modifié et toutes les sessions de votre compte ont été fermées. Connectez-vous avec le nouveau mot de passe.
password-back-to-login = Retour à la connexion
password-forgot-title = Réinitialiser votre mot de passe
password-forgot-intro = Saisissez l'adresse électronique de votre compte d'animateur : nous vous enverrons un lien pour choisir un nouveau mot de passe.
password-forgot-submit = M'envoyer un lien
password-forgot-sent = Si cette adresse correspond à un compte d'animateur, un lien pour choisir un nouveau mot de passe est en route. Il fonctionne une seule fois, pendant { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}. Pensez à vérifier vos indésirables.
password-forgot-too-many = Trop de demandes depuis votre connexion. Merci de patienter quelques minutes avant de réessayer.
password-reset-title = Choisir un nouveau mot de passe
password-reset-new = Nouveau mot de passe (au moins { $min } caractères)
password-reset-confirm = Le nouveau mot de passe, une seconde fois
password-reset-submit = Enregistrer le nouveau mot de passe
password-reset-mismatch = Les deux mots de passe ne sont pas identiques. Rien n'a été modifié.
password-reset-too-short = Le mot de passe doit compter au moins { $min } caractères. Rien n'a été modifié.
password-reset-too-long = Le mot de passe doit compter au plus { $max } caractères. Rien n'a été modifié.
password-reset-dead = Ce lien ne fonctionne plus : il a déjà servi, il a expiré, ou il n'a pas été copié en entier.
password-reset-ask-again = Demander un nouveau lien
console-nav = Console
console-studies = Études
console-signed-in-as = Connecté(e) : { $name }
console-logout = Se déconnecter
console-home-title = Vos études
console-no-studies = Vous n'avez encore de rôle dans aucune étude. Un propriétaire d'étude peut vous en attribuer un (delphi study grant), ou une étude peut être créée avec vous comme propriétaire (delphi study create FICHIER --owner ADRESSE).
console-col-title = Étude
console-col-slug = Identifiant
console-col-status = État
console-col-role = Votre rôle
console-role-owner = propriétaire
console-role-editor = éditeur
console-role-viewer = lecteur
console-status-draft = brouillon
console-status-running = en cours
console-status-finished = terminée
# round control
console2-extend-next = Prolonger l’échéance…
console2-confirm-answers-kept = Ses réponses déjà données sont conservées.
console2-extend-confirm-title = Prolonger l’échéance du tour { $n } ?
console2-extend-confirm-moves = L’échéance passe du { $from } au { $to }.
console2-extend-confirm-sets = Le tour n’a pas encore d’échéance ; il se terminera le { $to }.
console2-extend-confirm-effects = Aucun courriel n’est envoyé. Les rappels pas encore envoyés suivent la nouvelle échéance ; ceux déjà envoyés ne le sont pas de nouveau.
console2-extend-confirm-button = Oui, déplacer l’échéance
console2-resend-confirm-title = Envoyer un nouveau lien à { $who } ?
console2-resend-confirm-link = Une nouvelle invitation au tour { $n } part à son adresse électronique, et ses liens précédents cessent aussitôt de fonctionner : à utiliser quand une invitation a été perdue, transférée ou divulguée.
console2-resend-confirm-button = Oui, envoyer un nouveau lien
console2-withdraw-confirm-title = Retirer { $who } de l’étude ?
console2-withdraw-confirm-nothing-sent = Plus rien ne lui sera envoyé : ni rappels, ni invitations aux tours suivants, et les courriels encore en attente sont annulés. La console ne peut pas revenir en arrière.
console2-withdraw-confirm-button = Oui, retirer { $who }
console2-done-reminded-count = { $n ->
    [0] Personne n’a été relancé : chaque expert invité a envoyé ses réponses ou s’est retiré.
    [one] Un rappel a été mis en file d’envoi pour 1 expert qui n’a pas envoyé ses réponses.
   *[other] Des rappels ont été mis en file d’envoi pour { $n } experts qui n’ont pas envoyé leurs réponses.
}
console2-done-extended-to = L’échéance du tour { $n } est désormais le { $deadline }.
console2-done-resent-to = Un nouveau lien a été envoyé à { $who } ; ses liens précédents ne fonctionnent plus.
console2-done-withdrawn-who = { $who } a été retiré de l’étude : plus rien ne lui est envoyé ; ses réponses déjà données sont conservées.
console2-done-withdrawn-already = { $who } s’était déjà retiré ; rien n’a été modifié.
console2-turnout-of = sur
console2-turnout-responded = experts invités ont répondu
console2-turnout-submitted = Envoyé :
console2-turnout-answered = répondu sans envoyer :
console2-responded = Ont répondu
console2-answered-not-submitted = Répondu sans envoyer
console2-close-turnout = { $responded } { $invited ->
    [one] expert invité sur { $invited } a répondu
   *[other] des { $invited } experts invités ont répondu
} ({ $rate } %).
console2-close-turnout-split = { $submitted } ont envoyé leurs réponses ; { $answered } ont répondu sans les envoyer. Toutes les réponses comptent dans les résultats, envoyées ou non.
email-password-reset-subject = Delphi : choisissez un nouveau mot de passe
email-password-reset-intro = Quelqu'un, vous sans doute, a demandé à réinitialiser le mot de passe de votre compte d'animateur Delphi. Ouvrez ce lien pour en choisir un nouveau :
email-password-reset-button = Choisir un nouveau mot de passe
email-password-reset-expires = Le lien fonctionne une seule fois, pendant { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
email-password-reset-not-you = Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.

# console2
console2-new-study = Créer une étude
console2-new-help = Téléversez le fichier d’étude (TOML) avec les fichiers d’items et de panel qu’il nomme, ou collez le fichier d’étude ci-dessous (les items sont alors écrits en tables [[item]]). Vous devenez propriétaire de l’étude.
console2-new-upload = Téléverser des fichiers
console2-study-file = Fichier d’étude (.toml)
console2-items-file = Fichier d’items (.csv ou .xlsx), si le fichier d’étude en nomme un
console2-panel-file = Fichier de panel (.csv), si le fichier d’étude en nomme un
console2-new-paste = Ou collez le fichier d’étude
console2-create = Créer l’étude
console2-new-nothing = Choisissez un fichier d’étude ou collez-en un. Rien n’a été enregistré.
console2-errors-title = Le fichier n’a pas pu être utilisé
console2-nothing-saved = Rien n’a été enregistré. Corrigez le fichier et réessayez.
console2-refused-title = Cette action n’a pas pu être faite
console2-back = Retour
console2-cancel = Annuler
console2-study-nav = Pages de l’étude
console2-results = Résultats
console2-import-items = Importer des items
console2-import-panel = Importer le panel
console2-audit = Journal d’audit
console2-overview = Vue d’ensemble
console2-scale = Échelle
console2-language = Langue
console2-timezone = Fuseau horaire
console2-max-rounds = Nombre maximal de tours
console2-rule = Règle de consensus
console2-rule-locked = Verrouillée depuis { $at } ; empreinte :
console2-rule-unlocked = Pas encore verrouillée : la règle est verrouillée, avec son empreinte, à l’ouverture du tour 1.
console2-rule-hash = Empreinte de la règle :
console2-sections = Sections
console2-groups = Groupes de parties prenantes
console2-key = Clé
console2-section = Section
console2-group = Groupe
console2-items = Items
console2-experts = Experts
console2-rounds = Tours
console2-round = Tour
console2-round-n = Tour { $n }
console2-round-draft = brouillon
console2-round-open = ouvert
console2-round-closed = clos
console2-invited = Invités
console2-submitted = Envoyés
console2-opened-at = Ouvert le
console2-deadline = Échéance
console2-closed-at = Clos le
console2-no-rounds = Aucun tour n’a encore été ouvert.
console2-round-control = Conduite des tours
console2-deadline-label = Échéance du prochain tour (facultative, heure de { $tz })
console2-open-next = Ouvrir le tour suivant
console2-remind-help = Envoyer un rappel à chaque expert invité qui n’a pas encore envoyé ses réponses.
console2-remind = Envoyer les rappels
console2-close-round = Clore le tour…
console2-close-title = Clore le tour { $n } ?
console2-close-warning = Clore le tour arrête toutes les réponses, calcule les résultats selon chaque règle et ne peut pas être annulé.
console2-close-confirm = Oui, clore le tour { $n }
console2-dashboard = Tableau de bord
console2-response-rate = Taux de réponse :
console2-rate = Taux
console2-per-group = Taux de réponse par groupe de parties prenantes
console2-per-expert = Experts de ce tour
console2-pseudonymous = (pseudonymes : l’étude est pseudonymisée)
console2-name = Nom
console2-pseudonym = Pseudonyme
console2-email = Courriel
console2-expert-invited = invité
console2-expert-opened = a ouvert
console2-expert-in-progress = en cours
console2-expert-submitted = a envoyé
console2-expert-withdrawn = retiré
console2-email-none = pas de courriel
console2-email-queued = en attente
console2-email-delivered = remis
console2-email-failed = échec
console2-email-cancelled = annulé
console2-no-dashboard = Le tableau de bord commence à l’ouverture du tour 1.
console2-failed-emails = Courriels non remis
console2-no-failed-emails = Aucun courriel n’a échoué.
console2-recipient = Destinataire
console2-kind = Courriel
console2-reason = Raison
console2-done-opened = Le tour { $n } est ouvert ; les invitations sont dans la file d’envoi.
console2-done-reminded = { $n ->
    [one] { $n } rappel est dans la file d’envoi.
   *[other] { $n } rappels sont dans la file d’envoi.
}
console2-done-closed = Le tour { $n } est clos et ses résultats sont calculés.
console2-done-created = L’étude a été créée ; vous en êtes propriétaire.
console2-done-items = Items importés ({ $n ->
    [one] { $n } ajouté ou modifié
   *[other] { $n } ajoutés ou modifiés
}).
console2-done-panel = Panel importé ({ $n ->
    [one] { $n } ajouté ou modifié
   *[other] { $n } ajoutés ou modifiés
}).
console2-done-suggestion = La suggestion a été tranchée.
console2-import-file = Fichier à importer
console2-import-nothing = Choisissez un fichier. Rien n’a été enregistré.
console2-preview-button = Voir les changements
console2-preview = Ce que l’import va changer
console2-preview-summary = { $added } à ajouter, { $updated } à modifier, { $unchanged } inchangés. Rien n’est encore enregistré.
console2-added = À ajouter
console2-updated = À modifier
console2-row = Ligne
console2-changes = Changements
console2-import-confirm = Importer { $file }
console2-audit-title = Journal d’audit — { $study }
console2-audit-intact = { $n ->
    [one] Chaîne intacte : l’unique entrée de cette étude est vérifiée.
   *[other] Chaîne intacte : les { $n } entrées de cette étude sont vérifiées.
}
console2-audit-broken = Chaîne rompue à l’entrée { $id } : { $reason }
console2-audit-latest = Les dernières entrées (au plus { $n }), les plus récentes d’abord
console2-when = Quand
console2-who = Qui
console2-action = Action
console2-details = Détails
console2-results-title = Résultats — { $study }
console2-closed-rounds = Tours clos
console2-no-closed-rounds = Aucun tour n’est encore clos ; les résultats sont calculés à la clôture d’un tour.
console2-stability = Stabilité et attrition
console2-stability-caption = Chaque item par rapport au tour précédent : changement de statut, de médiane, experts ayant changé de bande, répondants et non-répondants
console2-no-stability = La stabilité compare deux tours clos ; elle apparaît une fois le tour 2 clos.
console2-item = Item
console2-previous-status = Avant
console2-delta-median = Écart de médiane
console2-moved = Changement de bande
console2-stable = Stable
console2-responders = Répondants / non-répondants
console2-attrition-difference = Écart des moyennes
console2-changed = changé
console2-yes = oui
console2-no = non
console2-downloads = Téléchargements
console2-downloads-help = Exports pseudonymisés (experts en E001…), tels que la commande delphi export les écrit.
console2-identified = Exports nominatifs
console2-identified-help = Avec les courriels et noms des experts. Seuls les propriétaires peuvent les télécharger, et chaque téléchargement est inscrit au journal d’audit.
console2-round-results-title = Résultats du tour { $n }
console2-view-pooled = Panel entier
console2-view-groups = Par groupe de parties prenantes
console2-results-caption = Chaque item avec son statut selon la règle principale et selon chaque règle alternative (sensibilité)
console2-unable = Ne peut pas noter
console2-median = Médiane
console2-primary = Règle principale
console2-distribution = Distribution
console2-criterion = Critère
console2-criterion-combined = Indicateur (tous critères)
console2-chart-label = Notes pour { $item } (n = { $n })
console2-suggestions = Suggestions
console2-suggestions-title = Items suggérés — { $study }
console2-suggestions-help = Les items que les experts ont suggérés. Acceptez-en un comme nouvel item (il est noté à partir du tour suivant), fusionnez-le avec un item existant ou rejetez-le ; chaque décision demande une raison et est inscrite au journal d’audit.
console2-suggestion-n = Suggestion { $n }
console2-suggestion-pending = en attente de décision
console2-suggestion-accepted = acceptée
console2-suggestion-merged = fusionnée
console2-suggestion-rejected = rejetée
console2-decision = Décision
console2-accept = Accepter comme nouvel item
console2-merge = Fusionner avec un item existant
console2-reject = Rejeter
console2-new-code = Code du nouvel item (en cas d’acceptation)
console2-new-text = Libellé du nouvel item (en cas d’acceptation)
console2-merge-into = Item avec lequel fusionner (en cas de fusion)
console2-decision-reason = Raison
console2-decide = Enregistrer la décision
console2-no-suggestions = Aucun expert n’a encore suggéré d’item.
console2-preview-round = Aperçu du tour suivant…
console2-preview-round-title = Ce que fera l’ouverture du tour { $n }
console2-preview-round-summary = { $carried ->
    [one] { $carried } item reporté
   *[other] { $carried } items reportés
}, { $suggestions } issus de suggestions acceptées, { $new } nouveaux ; { $invited ->
    [one] { $invited } expert invité
   *[other] { $invited } experts invités
}. Rien n’a encore changé.
console2-preview-locks-rule = Ouvrir ce tour verrouille la règle de consensus : elle ne pourra plus changer.
console2-preview-invite = Experts qui seront invités
console2-origin = Origine
console2-origin-carried = reporté
console2-origin-suggestion = suggestion acceptée
console2-origin-new = nouveau
console2-extend-label = Nouvelle échéance, plus tardive (heure de { $tz })
console2-extend = Prolonger l’échéance
console2-actions = Actions
console2-resend = Renvoyer
console2-resend-to = Renvoyer l’invitation à { $who } avec un nouveau lien
console2-withdraw = Retirer
console2-withdraw-who = Retirer { $who } de l’étude
console2-done-extended = L’échéance du tour { $n } a été prolongée.
console2-done-resent = L’invitation a été renvoyée avec un nouveau lien ; les liens précédents ne fonctionnent plus.
console2-done-withdrawn = L’expert a été retiré : plus rien ne lui est envoyé ; ses réponses sont conservées.

## Page Équipe (rôles par étude) et page Comptes des administrateurs
console2-team = Équipe
team-title = Équipe — { $study }
team-members = Qui a un rôle dans cette étude
team-role = Rôle
team-account = Compte
team-since = Depuis
team-you = (vous)
team-active = actif
team-disabled = désactivé
team-change = Changer
team-change-for = Changer le rôle de { $who }
team-role-of = Rôle de { $who }
team-remove = Retirer
team-remove-who = Retirer { $who } de l’équipe
team-grant = Donner un rôle à quelqu’un
team-grant-email = Adresse de son compte d’animateur
team-grant-button = Donner le rôle
team-email-missing = indiquez l’adresse d’un compte d’animateur
team-nothing-changed = Rien n’a été modifié.
team-accounts-help = Seuls les comptes d’animateur existants peuvent recevoir un rôle ici. Les comptes sont créés par un administrateur sur le serveur, avec `delphi admin add --email ADRESSE --name NOM`.
team-roles-help = Les lecteurs voient l’étude et ses résultats ; les éditeurs modifient aussi items et panel et conduisent les tours ; les propriétaires gèrent aussi l’équipe et téléchargent les exports nominatifs. Une étude garde toujours au moins un propriétaire.
team-read-only = Vous êtes { $role } de cette étude : seuls les propriétaires peuvent modifier l’équipe.
team-done-granted = Le rôle a été donné.
team-done-changed = Le rôle a été changé.
team-done-unchanged = Cette personne avait déjà ce rôle ; rien n’a été modifié.
team-done-removed = Le rôle a été retiré.
console-accounts = Comptes
accounts-title = Comptes d’animateur
accounts-list = Tous les comptes d’animateur
accounts-admin = Administrateur
accounts-last-login = Dernière connexion
accounts-never = jamais
accounts-disable = Désactiver
accounts-disable-who = Désactiver le compte de { $who }
accounts-enable = Réactiver
accounts-enable-who = Réactiver le compte de { $who }
accounts-help = Un compte désactivé ne peut plus se connecter, ses sessions prennent fin aussitôt et ses jetons d’API sont refusés ; ses rôles dans les études sont conservés pour le jour où il est réactivé. Invitez de nouveaux animateurs avec le formulaire ci-dessous.
accounts-done-disabled = Le compte a été désactivé et déconnecté partout.
accounts-done-enabled = Le compte a été réactivé.
accounts-yes = oui
accounts-no = non
console2-content = Sections, items et groupes
console2-content-title = Contenu de { $study }
console2-content-help = Un item peut être reformulé librement tant que les experts ne l’ont pas vu. Une fois qu’un item a été posé dans un tour, une nouvelle formulation devient une nouvelle version : les tours précédents gardent la formulation que leurs experts ont vue, le tour suivant utilise la nouvelle.
console2-content-open-round = Le tour { $n } est ouvert : les items qu’il pose ne peuvent être ni reformulés, ni déplacés dans une autre section, ni retirés avant sa clôture. Les nouveaux items et les autres changements s’appliquent à partir du tour suivant.
console2-content-done-section-added = La section a été ajoutée.
console2-content-done-section-renamed = La section a été renommée.
console2-content-done-moved = L’ordre a été modifié.
console2-content-done-group-added = Le groupe a été ajouté.
console2-content-done-group-renamed = Le groupe a été renommé.
console2-content-done-item-added = L’item a été ajouté ; il est posé à partir du tour suivant.
console2-content-done-item-edited = L’item a été modifié.
console2-content-done-item-versioned = L’item a été reformulé dans une nouvelle version ; les tours précédents gardent la formulation que leurs experts ont vue.
console2-content-done-item-retired = L’item a été retiré : les tours suivants ne le posent plus.
console2-content-done-item-restored = L’item a été rétabli.
console2-rule-editor = Règle de consensus
console2-section-title-of = Titre de la section { $key }
console2-group-name-of = Nom du groupe { $key }
console2-rename = Renommer
console2-move-up-who = Monter { $who }
console2-move-down-who = Descendre { $who }
console2-add-section = Ajouter une section
console2-add-group = Ajouter un groupe de parties prenantes
console2-add-item = Ajouter un item
console2-key-help = 1 à 32 lettres minuscules, chiffres, _ ou -, en commençant par une lettre ou un chiffre ; elle ne peut plus changer ensuite.
console2-add = Ajouter
console2-code = Code
console2-item-retired = retiré
console2-item-version = version { $n }
console2-item-frozen = en cours d’évaluation dans le tour ouvert
console2-item-history = Formulations précédentes
console2-version = Version
console2-wording = Formulation
console2-since = Depuis
console2-edit-item = Modifier { $code }
console2-description = Description (facultative)
console2-item-new-version-note = Les experts ont déjà vu cet item : une nouvelle formulation devient une nouvelle version.
console2-save = Enregistrer
console2-retire = Retirer
console2-restore = Rétablir
console2-rule-title = Règle de consensus de { $study }
console2-rule-saved = La règle de consensus a été enregistrée.
console2-rule-current = La règle actuelle
console2-rule-locked-help = La règle a été verrouillée à l’ouverture du tour 1, afin que chaque résultat soit jugé selon la règle fixée à l’avance. Vous pouvez encore essayer des distributions ci-dessous ; rien ne peut être enregistré.
console2-rule-primary = Règle principale
console2-rule-preset = Règle prédéfinie
console2-rule-custom = Personnalisée (les conditions ci-dessous)
console2-rule-default = par défaut
console2-rule-in = Conditions « retenu » (toutes doivent être remplies), une par ligne
console2-rule-out = Conditions « écarté » (toutes doivent être remplies), une par ligne
console2-rule-syntax = Utilisées quand aucune règle prédéfinie n’est choisie. Écrivez une part de réponses ainsi : share 7-9 >= 70 (en pourcentage ; ajoutez « (with unable) » pour compter les réponses « impossible de noter »), ou une statistique ainsi : median >= 7 (median, mean, sd, iqr, q1, q3, p30, p70, ipr, ipras, di, n). Comparaisons : >=, >, <=, <.
console2-rule-quantiles = Type de quantile (1–9)
console2-rule-unable = Réponses « impossible de noter »
console2-rule-groups = Groupes de parties prenantes
console2-rule-alternatives = Règles alternatives (analyse de sensibilité)
console2-rule-alternatives-label = Une règle alternative par ligne
console2-rule-alternatives-syntax = NOM: PRÉDÉFINIE, ou NOM: in: CONDITION and CONDITION; out: CONDITION and CONDITION, suivi si besoin de ; quantiles N, ; unable include, ; groups each.
console2-rule-try = Essayer une distribution
console2-rule-distribution = Nombre de réponses par point de l’échelle ({ $scale }), du plus bas au plus haut
console2-rule-distribution-help = Par exemple 0 0 1 0 0 2 3 3 1 ; ajoutez U=2 pour deux réponses « impossible de noter ».
console2-rule-preview = Aperçu
console2-rule-save = Enregistrer la règle
console2-rule-preview-title = Ce que dit la règle de distributions d’exemple
console2-rule-example = Distribution (20 réponses)
console2-rule-no-preview = Corrigez la règle pour voir l’aperçu.
console2-rule-example-agree = Surtout hautes
console2-rule-example-borderline = 70 % hautes, 15 % basses
console2-rule-example-disagree = Surtout basses
console2-rule-example-split = Partagées
console2-rule-example-middle = Surtout au milieu
console2-rule-example-yours = Votre distribution
console2-rule-status-in = consensus d’inclusion
console2-rule-status-out = consensus d’exclusion
console2-rule-status-none = pas de consensus

# accounts in the browser: first run, invitations, your account
email-account-invitation-subject = { $inviter } vous invite à animer des études sur Delphi
email-account-invitation-intro = { $inviter } vous a créé un compte d'animateur sur Delphi, où se déroulent des études de consensus. Ouvrez ce lien pour choisir votre nom et votre mot de passe :
email-account-invitation-button = Rejoindre Delphi
email-account-invitation-expires = Le lien fonctionne une seule fois, pendant { $days ->
    [one] 1 jour
   *[other] { $days } jours
}.
email-account-invitation-not-you = Si vous n'attendiez pas cette invitation, ignorez ce message : personne ne peut se connecter au compte tant que le lien n'a pas servi.
home-sign-in = Se connecter
home-set-up = Configurer Delphi
setup-title = Configurer Delphi
setup-waiting = Delphi n'a encore aucun compte d'animateur. Le premier, celui d'un administrateur, se crée par un lien de configuration à usage unique.
setup-where = La personne qui a démarré le serveur trouve ce lien dans son journal, sur la ligne qui commence par « Set-up link », ou en lançant cette commande sur le serveur :
setup-done = Delphi est configuré. Connectez-vous avec votre compte, ou demandez à un administrateur de vous inviter.
setup-form-intro = Vous créez le premier compte de ce serveur Delphi. Ce sera celui d'un administrateur : il pourra inviter les autres animateurs.
setup-dead = Ce lien de configuration ne fonctionne pas : Delphi a déjà un compte, ou le lien n'a pas été copié en entier. Connectez-vous, ou demandez à la personne qui a configuré Delphi de vous inviter.
setup-submit = Créer le compte administrateur
account-name = Votre nom
account-name-hint = Visible par vos collègues dans la console et dans le journal d'audit.
account-email = Adresse e-mail
account-email-hint = Vous vous connectez avec elle ; les réinitialisations de mot de passe y sont envoyées.
account-password = Mot de passe
account-password-hint = Au moins { $min } caractères. Quelques mots sans rapport entre eux se retiennent facilement et se devinent difficilement.
account-confirm = Le mot de passe, une seconde fois
account-current = Votre mot de passe actuel
account-new-password = Nouveau mot de passe
account-errors-title = Il y a un problème
account-nothing-saved = Rien n'a été enregistré. Corrigez les champs ci-dessous, puis réessayez.
account-problem-email-missing = Saisissez votre adresse e-mail.
account-problem-email-invalid = Saisissez une adresse e-mail de la forme nom@exemple.org.
account-problem-name-missing = Saisissez votre nom.
account-problem-name-too-long = Le nom doit compter au plus 200 caractères.
account-problem-password-too-short = Le mot de passe doit compter au moins { $min } caractères.
account-problem-password-too-long = Le mot de passe doit compter au plus { $max } caractères.
account-problem-passwords-differ = Les deux mots de passe ne sont pas identiques.
account-problem-current-wrong = Votre mot de passe actuel n'est pas le bon.
account-problem-email-taken = Un compte existe déjà avec cette adresse e-mail.
join-title = Rejoindre Delphi
join-intro = Vous avez été invité·e à animer des études sur Delphi en tant que { $email }. Choisissez le nom que verront vos collègues et un mot de passe.
join-submit = Rejoindre
join-dead = Ce lien d'invitation ne fonctionne plus : il a déjà servi, il a expiré, ou il n'a pas été copié en entier. Demandez à l'administrateur qui vous a invité·e de vous le renvoyer.
profile-title = Votre compte
profile-nav = Votre compte
profile-name-legend = Votre nom
profile-name-submit = Enregistrer le nom
profile-password-legend = Changer de mot de passe
profile-password-submit = Changer le mot de passe
profile-email = Vous vous connectez en tant que { $email }.
profile-done-renamed = Votre nom a été modifié.
profile-done-password = Votre mot de passe a été changé. Tous les autres navigateurs connectés à votre compte ont été déconnectés.
console-welcome = Bienvenue dans Delphi. Vous êtes connecté·e.
accounts-invite-legend = Inviter un animateur
accounts-invite-help = La personne reçoit un e-mail avec un lien pour choisir son nom et son mot de passe ; le lien fonctionne pendant { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}. Vous pouvez lui donner des rôles dans les études dès maintenant.
accounts-invite-email = Son adresse e-mail
accounts-invite-name = Son nom (elle pourra le changer)
accounts-invite-admin = Administrateur : peut inviter et désactiver des animateurs
accounts-invite-submit = Envoyer l'invitation
accounts-invited = invité·e, n'a pas encore rejoint
accounts-reinvite = Renvoyer l'invitation
accounts-reinvite-who = Renvoyer l'invitation à { $who }
accounts-done-invited = L'invitation a été envoyée.
accounts-done-reinvited = Une nouvelle invitation a été envoyée ; l'ancien lien ne fonctionne plus.

# the audit log as sentences (audit-ACTION, the entry's details as arguments)
audit-actor-cli = la ligne de commande ({ $user })
audit-actor-scheduler = le planificateur
audit-study-create = A créé l'étude « { $slug } » avec { $items ->
    [one] 1 item
   *[other] { $items } items
} et { $experts ->
    [one] 1 expert
   *[other] { $experts } experts
}.
audit-study-grant = A donné à { $facilitator } le rôle { $role }.
audit-study-revoke = A retiré le rôle { $previous } à { $facilitator }.
audit-round-open = A ouvert le tour { $round } avec { $items ->
    [one] 1 item
   *[other] { $items } items
} ; { $invited ->
    [one] 1 expert invité
   *[other] { $invited } experts invités
}.
audit-round-close = A clôturé le tour { $round } : { $in } consensus d’inclusion, { $out } consensus d’exclusion, { $none } sans consensus.
audit-round-extend = A reporté l'échéance du tour { $round } au { $to } (c'était { $from }).
audit-round-remind = A relancé { $reminded ->
    [one] 1 expert
   *[other] { $reminded } experts
} au tour { $round }.
audit-invitation-resend = A envoyé à { $expert } un nouveau lien pour le tour { $round } ; l'ancien ne fonctionne plus.
audit-expert-withdraw = A retiré un expert de l'étude (par { $via }).
audit-expert-erase = A effacé les données personnelles de { $expert } à sa demande.
audit-items-import = A importé des items depuis { $file } : { $added ->
    [one] { $added } ajouté
   *[other] { $added } ajoutés
}, { $updated ->
    [one] { $updated } modifié
   *[other] { $updated } modifiés
}.
audit-panel-import = A importé le panel depuis { $file } : { $added ->
    [one] { $added } ajouté
   *[other] { $added } ajoutés
}, { $updated ->
    [one] { $updated } modifié
   *[other] { $updated } modifiés
}.
audit-responses-import = A importé des réponses au tour { $round } depuis { $file } : { $saved ->
    [one] { $saved } enregistrée
   *[other] { $saved } enregistrées
}, { $cleared ->
    [one] { $cleared } effacée
   *[other] { $cleared } effacées
}.
audit-rule-update = A modifié la règle de consensus.
audit-item-add = A ajouté l'item { $code } à la section { $section }.
audit-item-edit = A modifié l'item { $code }.
audit-item-move = A déplacé l'item { $code } ({ $direction }).
audit-suggestion-accept = A accepté la suggestion { $suggestion } comme nouvel item.
audit-suggestion-reject = A rejeté la suggestion { $suggestion }.
audit-suggestion-merge = A fusionné la suggestion { $suggestion } avec un item existant.
audit-export-identified = A exporté les données avec l'identité des experts ({ $format }).
audit-email-template-set = A modifié le texte de l'e-mail { $name } ({ $language }).
audit-email-template-clear = A rétabli le texte standard de l'e-mail { $name } ({ $language }).

# finishing a study, and its final list
finish-title = Terminer l'étude — { $study }
finish-help = Terminer met fin à l'étude après son dernier tour clôturé : aucun tour ne peut plus être ouvert, et les résultats du dernier tour de chaque item forment la liste finale. C'est définitif.
finish-reason = Pourquoi l'étude se termine maintenant
finish-reason-hint = Enregistré avec l'étude et dans le journal d'audit, pour le rapport (au plus { $max } caractères).
finish-submit = Terminer l'étude
finish-cancel = Annuler
final-title = Liste finale — { $study }
final-done-finished = L'étude est terminée. Voici sa liste finale.
final-finished = Terminée { $at } : { $reason }
final-provisional = L'étude est encore en cours : cette liste reflète les tours clôturés jusqu'ici.
final-tally = { $in } consensus d’inclusion, { $out } consensus d’exclusion, { $none } sans consensus.
final-status = Consensus
final-round = Tour
final-empty = Aucun tour n'est encore clôturé : il n'y a pas encore de liste.
final-print-hint = Pour imprimer cette liste ou l'enregistrer en PDF, utilisez la commande Imprimer du navigateur : les menus de la console sont laissés de côté.
audit-study-finish = A terminé l'étude après le tour { $after_round } : { $reason }
final-nav = Liste finale
finish-offer = Assez de tours ? Terminer met fin à l'étude ici et établit sa liste finale.

## Pages of issue 14: empty states and the way on.
pages-study-finished = Cette étude est terminée : aucun nouveau tour ne peut être ouvert.
pages-see-final-list = Voir la liste finale
pages-no-results-yet = Aucun tour n’est encore clôturé. Les résultats, la figure pour votre article et les téléchargements apparaîtront ici à la clôture du premier tour.
pages-go-to-round-control = Aller au pilotage des tours de l’étude
pages-report = Rapport
pages-report-help = Toute l’étude sur une page — question, panel, règle, tours, graphiques et la liste finale en tableau d’annexe — prête à imprimer ou à enregistrer en PDF depuis le navigateur.
pages-report-open = Ouvrir le rapport

## A ranking round in the console (study page, results)
console2-ranking-open = Ouvrir un tour de classement
console2-ranking-open-help = Un tour de classement demande au panel de choisir et d’ordonner ses éléments prioritaires parmi ceux en consensus. C’est le dernier tour de l’étude.
console2-ranking-round-kind = classement
console2-ranking-results-title = Classement, tour { $n }
console2-ranking-summary-equal_groups = { $responded } experts ont classé jusqu’à { $choose } éléments chacun. Chaque groupe de parties prenantes pèse autant dans le score, quelle que soit sa taille.
console2-ranking-summary-pooled = { $responded } experts ont classé jusqu’à { $choose } éléments chacun. Le score additionne les points de tous les experts.
console2-ranking-chart-label = Scores du classement, tour { $n }
console2-ranking-chart-caption = Chaque barre est le score d’un élément ; celle de l’élément en tête est la plus longue.
console2-ranking-table-caption = Éléments par rang ; des scores égaux partagent un rang
console2-ranking-col-rank = Rang
console2-ranking-col-score = Score
console2-ranking-col-points = Points
console2-ranking-col-chosen = Choisi par
console2-ranking-col-first = En tête pour
console2-ranking-col-group-rank = Rang ({ $group })
## Le tour des idées avant le tour 1 (console)
ideas-nav = Idées
ideas-title = Idées avant le tour 1 — { $study }
ideas-help = Au tour des idées, les experts proposent des items avant toute notation. Traitez chaque proposition : fusionnez-la avec un nouvel item ou un item existant (l'item garde les propositions dont il vient), ou écartez-la avec une raison. Le tour 1 s'ouvre quand il n'en reste plus.
ideas-not-opened = Le tour des idées n'a pas été ouvert.
ideas-round-state = Le tour des idées est { $state }.
ideas-summary = { $received ->
    [one] 1 proposition reçue
   *[other] { $received } propositions reçues
}, { $pending } pas encore traitées.
ideas-open = Ouvrir un tour des idées
ideas-open-help = Chaque expert du panel reçoit une invitation à proposer des items. Ce tour précède le tour 1 et ne compte pas dans le nombre de tours.
ideas-close = Clore le tour des idées
ideas-close-help = Les experts ne peuvent plus ajouter ni modifier de propositions ; vous traitez ensuite chacune d'elles.
ideas-decision = Que devient cette proposition
ideas-merge-new = Fusionner avec un nouvel item
ideas-merge-existing = Fusionner avec un item existant
ideas-set-aside = Écarter
ideas-reason = Raison
ideas-reason-out_of_scope = Écartée : hors sujet
ideas-reason-duplicate = Écartée : doublon
ideas-reason-already_answered = Écartée : déjà résolue
ideas-reason-unclear = Écartée : peu claire
ideas-source = Source qui y répond déjà (requise pour « déjà résolue »)
ideas-link = Lien (facultatif)
ideas-citation = Référence
ideas-evidence-title = Notes de preuves
ideas-evidence-help = Une note (une référence et un lien facultatif) est montrée aux experts comme contexte de l'item lorsqu'ils le notent.
ideas-evidence-add = Ajouter la note
ideas-none = Cette étude n'a pas de table [ideas] : elle n'a pas de tour des idées.
ideas-outcome-pending = pas encore traitée
ideas-outcome-merged = fusionnée avec { $item }
ideas-done-opened = Le tour des idées est ouvert ; les invitations sont dans la boîte d'envoi.
ideas-done-closed = Le tour des idées est clos.
ideas-done-processed = La proposition a été traitée.
ideas-done-evidence = La note de preuves a été ajoutée.
ideas-from = issu des propositions { $codes }
console2-chnri-caption = Items classés par score de priorité de recherche pondéré (wRPS), avec le score de chaque critère (0–100), le RPS et l’accord moyen des experts (AEA)
console2-chnri-rank = Rang
console2-chnri-below = Sous le seuil
console2-chnri-chart = Scores par critère
console2-chnri-chart-label = Scores par critère de { $item }, de 0 à 100
