# Catalogue français. Toute clé absente retombe sur l'anglais (en.ftl).

language-name = Français
site-tagline = Delphi — études de consensus libres et ouvertes.
skip-to-content = Aller au contenu

# --- email ---
email-greeting = Bonjour { $name },
email-signature = Merci de nous faire profiter de votre expertise. — L'équipe de l'étude
email-link-intro = Votre lien personnel (merci de ne pas le partager) :
email-link-button = Ouvrir mon questionnaire
email-unsubscribe-intro = Vous ne souhaitez plus participer ?
email-unsubscribe-link = Quitter l'étude
email-expected-time = Comptez environ { $minutes } minutes. Vous pouvez vous arrêter à tout moment et reprendre plus tard : chaque réponse est enregistrée au fur et à mesure.
email-deadline = Merci de répondre avant le { $deadline }.
email-no-deadline = Le tour reste ouvert jusqu'à ce que l'équipe de l'étude le clôture.
email-invitation-subject = { $study } : vous êtes invité(e) au tour { $round }
email-invitation-intro = Le tour { $round } de « { $study } » est ouvert. Nous vous demandons de noter { $items } éléments et, si vous le souhaitez, de les commenter ou de proposer des éléments qui nous auraient échappé.
email-next-round-subject = { $study } : le tour { $round } est ouvert, avec les résultats du groupe
email-next-round-intro = Le tour { $round } de « { $study } » est ouvert : { $items } éléments à noter de nouveau. Pour chaque élément, vous verrez, de façon anonyme, comment le panel l'a noté au tour précédent, à côté de votre propre réponse ; vous pouvez maintenir votre note ou la modifier.
email-reminder-subject = Rappel : { $study }, le tour { $round } vous attend
email-reminder-intro = Petit rappel : le tour { $round } de « { $study } » est ouvert et nous n'avons pas encore reçu vos réponses.
email-reminder-closes = Le tour se termine le { $deadline }.
email-new-link-subject = { $study } : votre nouveau lien personnel
email-new-link-intro = Vous avez demandé un nouveau lien pour le tour { $round } de « { $study } » : le voici. Les liens reçus auparavant restent valables.
email-new-link-not-you = Si vous n'avez rien demandé, vous pouvez ignorer ce message.
email-thank-you-subject = { $study } : merci pour vos réponses au tour { $round }
email-thank-you-intro = Merci : nous avons bien reçu vos réponses au tour { $round } de « { $study } ». En voici une copie pour vos archives.
email-thank-you-item = Élément
email-thank-you-answer = Votre réponse
email-thank-you-comment = Commentaire
email-thank-you-unable = ne peut pas se prononcer
email-thank-you-unanswered = sans réponse
email-thank-you-outro = Jusqu'à la clôture du tour, vous pouvez encore modifier vos réponses grâce au lien personnel de votre invitation.
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
