# Todos los correos que recibe un experto (las mismas claves que en/mail.ftl).

## What every email to an expert shares: greeting, signature, link, unsubscribe, deadline
email-greeting = Estimado/a { $name }:
email-signature = Gracias por compartir su experiencia. — El equipo del estudio
email-link-intro = Su enlace personal (le rogamos que no lo comparta):
email-link-button = Abrir mi cuestionario
email-unsubscribe-intro = ¿Ya no desea participar?
email-unsubscribe-link = Abandonar el estudio
email-expected-time = { $minutes ->
    [one] Le llevará alrededor de 1 minuto.
   *[other] Le llevará unos { $minutes } minutos.
} Puede interrumpirlo en cualquier momento y continuar más tarde: cada respuesta se guarda al instante.
email-deadline = Le rogamos que responda antes del { $deadline }.
email-no-deadline = La ronda permanecerá abierta hasta que el equipo del estudio la cierre.
test-email-subject-prefix = [Prueba]

## Invitation to round 1
email-invitation-subject = { $study }: le invitamos a la ronda { $round }
email-invitation-intro = La ronda { $round } de «{ $study }» está abierta. { $items ->
    [one] Le pedimos que puntúe 1 ítem y, si lo desea, que lo comente
   *[other] Le pedimos que puntúe { $items } ítems y, si lo desea, que los comente
} o que sugiera ítems que hayamos pasado por alto.

## Invitation to a later round, with the group's results
email-next-round-subject = { $study }: la ronda { $round } está abierta, con los resultados del grupo
email-next-round-intro = La ronda { $round } de «{ $study }» está abierta: { $items ->
    [one] 1 ítem para volver a puntuar.
   *[other] { $items } ítems para volver a puntuar.
} Para cada ítem verá, de forma anónima, cómo lo puntuó el panel en la ronda anterior, junto a su propia respuesta; puede mantener su puntuación o cambiarla.

## Reminder
email-reminder-subject = Recordatorio: { $study }, la ronda { $round } le espera
email-reminder-intro = Le recordamos que la ronda { $round } de «{ $study }» está abierta y que todavía no hemos recibido sus respuestas.
email-reminder-closes = La ronda se cierra el { $deadline }.

## A new personal link, asked for on the lost-link page
email-new-link-subject = { $study }: su nuevo enlace personal
email-new-link-intro = Ha solicitado un nuevo enlace para la ronda { $round } de «{ $study }»: aquí lo tiene. Los enlaces que recibió anteriormente siguen funcionando.
email-new-link-not-you = Si no lo ha solicitado usted, puede ignorar este correo.

## Thank-you after submitting, with a copy of the answers
email-thank-you-subject = { $study }: gracias por sus respuestas a la ronda { $round }
email-thank-you-intro = Gracias: hemos recibido sus respuestas a la ronda { $round } de «{ $study }». Le enviamos una copia para su archivo.
email-thank-you-item = Ítem
email-thank-you-answer = Su respuesta
email-thank-you-comment = Comentario
email-thank-you-unable = no puedo puntuarlo
email-thank-you-unanswered = sin respuesta
email-thank-you-outro = Hasta que se cierre la ronda, puede seguir modificando sus respuestas con el enlace personal de su invitación.

## The closing email, with the link to the results
email-study-closed-subject = { $study }: los resultados, con nuestro agradecimiento
email-study-closed-intro = «{ $study }» ha finalizado: la ronda { $round } fue la última. Gracias por el tiempo y la experiencia que ha dedicado a este estudio.
email-study-closed-agreed = { $agreed ->
    [0] El panel no alcanzó el consenso en ningún ítem; la página de resultados muestra cuál fue su posición.
    [one] El panel alcanzó el consenso en 1 ítem.
   *[other] El panel alcanzó el consenso en { $agreed } ítems.
}
email-study-closed-chnri = Las respuestas del panel ordenan { $questions } preguntas de investigación: la página de resultados las muestra con sus puntuaciones.
email-study-closed-ranking = La clasificación final del panel de { $items } ítems está lista: la página de resultados muestra los primeros puestos.
email-study-closed-button = Ver los resultados
email-study-closed-link-intro = Los resultados están en una página propia, a la que se accede con su enlace personal (le rogamos que no lo comparta):
email-study-closed-anonymous = La página muestra solo los resultados del panel: ningún nombre ni ninguna respuesta individual.
email-study-closed-signature = Con nuestro agradecimiento — El equipo del estudio

## Invitation to a ranking round
email-ranking-subject = { $study }: la ronda { $round } le pide clasificar las prioridades
email-ranking-intro = La ronda { $round } de «{ $study }» está abierta: { $items ->
    [one] 1 elemento alcanzó el consenso.
   *[other] { $items } elementos alcanzaron el consenso.
} Le pedimos que elija hasta { $choose } y los ordene, el más importante primero.
## La ronda de ideas, antes de la ronda 1: los expertos proponen ítems
email-ideas-subject = { $study }: sus ideas, antes de la ronda 1
email-ideas-intro = Antes de puntuar nada, el equipo de «{ $study }» le pide sus ideas: hasta { $per_expert } propuestas por tema, cada una con una justificación si lo desea. El equipo las convertirá en los ítems de la ronda 1. La pregunta:
email-ideas-reminder-subject = Recordatorio: { $study } espera sus ideas
email-ideas-reminder-intro = Le recordamos que «{ $study }» está recogiendo ideas antes de la ronda 1 y aún no hemos recibido las suyas.
