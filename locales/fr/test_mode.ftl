# --- essai : des experts de test répètent le questionnaire (console/test_run.hbs, le tableau de bord, les pages des experts) ---
test-nav = Essai
test-title = Essai — { $study }
test-offer = Avant d'ouvrir un tour, répondez-y vous-même ou avec des collègues, comme experts de test :
test-intro = Invitez-vous, ou invitez des collègues, comme experts de test pour essayer le questionnaire avant le panel. Chaque expert de test reçoit un courriel avec un lien personnel qui fonctionne exactement comme celui d'un membre du panel.
test-kept-apart = Les réponses de test ne comptent jamais : elles ne figurent ni dans les résultats, ni dans les taux de réponse, ni dans les exports ou le rapport. Les experts de test ne reçoivent aucune relance et ne sont pas invités aux tours suivants, sauf si vous les invitez à nouveau ici. Un essai ne verrouille pas la règle de consensus.
test-next-open = Le tour { $n } est ouvert : un expert de test invité maintenant répond au tour { $n } en même temps que le panel, à part.
test-next-rehearsal = Le tour { $n } n'est pas encore ouvert. Les experts de test y répondent tel qu'il est maintenant et voient les modifications que vous apportez aux items. Quand vous ouvrez le tour { $n }, leurs liens continuent de fonctionner.
test-blocked-finished = L'étude est terminée : il ne reste aucun tour à essayer.
test-blocked-no-rounds-left = Tous les tours permis par l'étude ont eu lieu : il ne reste aucun tour à essayer.
test-blocked-no-items = Aucun tour n'est ouvert et le suivant n'aurait aucun item à poser : ajoutez ou importez d'abord des items.
test-invite-legend = Inviter un expert de test
test-invite-help = Votre propre adresse est déjà saisie ; pour inviter un collègue, tapez la sienne. Inviter de nouveau la même adresse envoie un nouveau lien (les liens précédents restent valables).
test-invite-email = Adresse électronique
test-invite-name = Nom
test-invite-group = Groupe de parties prenantes
test-invite-group-hint = Les pages d'un expert de test sont les mêmes pour tous les groupes ; à partir du tour 2, le groupe décide quels résultats de groupe sont les siens.
test-invite-language = Langue de ses pages et de ses courriels
test-language-study = La langue de l'étude
test-invite-submit = Envoyer l'invitation de test
test-problem-email-missing = Saisissez l'adresse électronique de l'expert de test.
test-problem-name-missing = Saisissez le nom de l'expert de test.
test-problem-group = Choisissez l'un des groupes de parties prenantes de l'étude.
test-problem-language = Choisissez l'une des langues proposées.
test-problem-email-on-panel = Cette adresse appartient à un expert du panel. Un expert de test a besoin de sa propre adresse (par exemple nom+test@example.org, si votre messagerie l'accepte).
test-list-title = Experts de test
test-none = Aucun expert de test pour l'instant.
test-table-caption = Experts de test (leurs réponses sont tenues à part et ne comptent jamais)
test-col-expert = Expert de test
test-col-answered = Réponses
test-col-email = Courriel d'invitation
test-round-rehearsal = { $n } (pas encore ouvert)
test-round-open = { $n }
test-answered-of = { $answered } sur { $items }
test-again = Envoyer un nouveau lien
test-again-who = Envoyer un nouveau lien à { $who }
test-clear = Supprimer les réponses
test-clear-who = Supprimer les réponses de { $who }
test-remove = Retirer
test-remove-who = Retirer { $who }
test-confirm-clear-title = Supprimer les réponses de { $who } ?
test-confirm-clear-body = { $n ->
    [one] Sa réponse sera supprimée
   *[other] Ses { $n } réponses seront supprimées
} (ainsi que ses éventuelles suggestions), pour qu'il puisse recommencer. Son lien continue de fonctionner. Rien ne change pour le panel.
test-confirm-clear-button = Supprimer ses réponses
test-confirm-remove-title = Retirer { $who } ?
test-confirm-remove-body = { $who } sera supprimé avec { $n ->
    [one] sa réponse
   *[other] ses { $n } réponses
}, ses suggestions et ses courriels ; ses liens cesseront de fonctionner. Rien ne change pour le panel.
test-confirm-remove-button = Retirer l'expert de test
test-done-invited-rehearsal = { $who } a été invité à essayer le tour { $round } avant son ouverture : le courriel avec son lien personnel part vers { $email }.
test-done-invited-open = { $who } a été invité au tour { $round } comme expert de test : le courriel avec son lien personnel part vers { $email }.
test-done-again = Un nouveau lien vers le tour { $round } part vers { $who } à { $email } ; ses liens précédents restent valables.
test-done-cleared = { $n ->
    [0] { $who } n'avait aucune réponse à supprimer ; son lien fonctionne toujours.
    [one] La réponse de { $who } a été supprimée ; son lien fonctionne toujours.
   *[other] Les { $n } réponses de { $who } ont été supprimées ; son lien fonctionne toujours.
}
test-done-removed = { $who } a été retiré avec { $n ->
    [one] sa réponse
   *[other] ses { $n } réponses
} ; ses liens ne fonctionnent plus.
test-dashboard-title = Experts de test
test-dashboard-help = À part du panel : aucun chiffre ci-dessus ne les compte.
audit-test-invite = Expert de test { $expert } invité au tour { $round }.
audit-test-clear = Réponses de test de { $expert } supprimées ({ $answers }).
audit-test-remove = Expert de test { $expert } retiré avec ses réponses de test ({ $answers }).
