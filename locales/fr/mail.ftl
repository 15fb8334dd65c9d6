# Tous les courriels qu'un expert reçoit (la page Courriels de la console est emails.ftl).

## What every email to an expert shares: greeting, signature, link, unsubscribe, deadline
email-greeting = Bonjour { $name },
email-signature = Merci de nous faire profiter de votre expertise. — L'équipe de l'étude
email-link-intro = Votre lien personnel (merci de ne pas le partager) :
email-link-button = Ouvrir mon questionnaire
email-unsubscribe-intro = Vous ne souhaitez plus participer ?
email-unsubscribe-link = Quitter l'étude
email-expected-time = { $minutes ->
    [one] Comptez environ { $minutes } minute.
   *[other] Comptez environ { $minutes } minutes.
} Vous pouvez vous arrêter à tout moment et reprendre plus tard : chaque réponse est enregistrée au fur et à mesure.
email-deadline = Merci de répondre avant le { $deadline }.
email-no-deadline = Le tour reste ouvert jusqu'à ce que l'équipe de l'étude le clôture.
test-email-subject-prefix = [Test]

## Invitation to round 1
email-invitation-subject = { $study } : vous êtes invité(e) au tour { $round }
email-invitation-intro = Le tour { $round } de « { $study } » est ouvert. { $items ->
    [one] Nous vous demandons de noter { $items } élément et, si vous le souhaitez, de le commenter
   *[other] Nous vous demandons de noter { $items } éléments et, si vous le souhaitez, de les commenter
} ou de proposer des éléments qui nous auraient échappé.

## Invitation to a later round, with the group's results
email-next-round-subject = { $study } : le tour { $round } est ouvert, avec les résultats du groupe
email-next-round-intro = Le tour { $round } de « { $study } » est ouvert : { $items ->
    [one] { $items } élément à noter de nouveau.
   *[other] { $items } éléments à noter de nouveau.
} Pour chaque élément, vous verrez, de façon anonyme, comment le panel l'a noté au tour précédent, à côté de votre propre réponse ; vous pouvez maintenir votre note ou la modifier.

## Reminder
email-reminder-subject = Rappel : { $study }, le tour { $round } vous attend
email-reminder-intro = Petit rappel : le tour { $round } de « { $study } » est ouvert et nous n'avons pas encore reçu vos réponses.
email-reminder-closes = Le tour se termine le { $deadline }.

## A new personal link, asked for on the lost-link page
email-new-link-subject = { $study } : votre nouveau lien personnel
email-new-link-intro = Vous avez demandé un nouveau lien pour le tour { $round } de « { $study } » : le voici. Les liens reçus auparavant restent valables.
email-new-link-not-you = Si vous n'avez rien demandé, vous pouvez ignorer ce message.

## Thank-you after submitting, with a copy of the answers
email-thank-you-subject = { $study } : merci pour vos réponses au tour { $round }
email-thank-you-intro = Merci : nous avons bien reçu vos réponses au tour { $round } de « { $study } ». En voici une copie pour vos archives.
email-thank-you-item = Élément
email-thank-you-answer = Votre réponse
email-thank-you-comment = Commentaire
email-thank-you-unable = ne peut pas se prononcer
email-thank-you-unanswered = sans réponse
email-thank-you-outro = Jusqu'à la clôture du tour, vous pouvez encore modifier vos réponses grâce au lien personnel de votre invitation.

## The closing email, with the link to the results
email-study-closed-subject = { $study } : les résultats, et merci
email-study-closed-intro = « { $study } » est terminée : le tour { $round } était le dernier. Merci pour le temps et l'expertise que vous lui avez consacrés.
email-study-closed-agreed = { $agreed ->
    [0] Le panel n'a atteint le consensus sur aucun item ; la page des résultats montre où il en est resté.
    [one] Le panel a atteint le consensus sur 1 item.
   *[other] Le panel a atteint le consensus sur { $agreed } items.
}
email-study-closed-chnri = Les réponses du panel classent { $questions } questions de recherche : la page des résultats les présente avec leurs scores.
email-study-closed-ranking = Le classement final de { $items } items par le panel est prêt : la page des résultats en montre la tête.
email-study-closed-button = Voir les résultats
email-study-closed-link-intro = Les résultats sont sur une page à part, à votre lien personnel (merci de ne pas le partager) :
email-study-closed-anonymous = La page ne montre que les résultats du panel : le nom de personne, ni les réponses de personne.
email-study-closed-signature = Avec nos remerciements — L'équipe de l'étude

## Invitation to a ranking round
email-ranking-subject = { $study } : le tour { $round } vous demande de classer les priorités
email-ranking-intro = Le tour { $round } de « { $study } » est ouvert : { $items ->
    [one] 1 élément a atteint le consensus.
   *[other] { $items } éléments ont atteint le consensus.
} Nous vous demandons d’en choisir jusqu’à { $choose } et de les classer, le plus important en premier.
## Le tour des idées, avant le tour 1 : les experts proposent des items
email-ideas-subject = { $study } : vos idées, avant le tour 1
email-ideas-intro = Avant toute notation, l'équipe de « { $study } » vous demande vos idées : jusqu'à { $per_expert } propositions par thème, chacune avec une justification si vous le souhaitez. L'équipe en fera les items du tour 1. La question :
email-ideas-reminder-subject = Rappel : { $study } attend vos idées
email-ideas-reminder-intro = Petit rappel : « { $study } » recueille des idées avant le tour 1 et nous n'avons pas encore reçu les vôtres.
