# Todo lo que un experto puede leer en una página (las mismas claves que en/expert.ftl).
# Registro formal (usted): los expertos son investigadores y profesionales clínicos.

## Site chrome (layouts/base.hbs), and the language's own name wherever one is chosen
language-name = Español
site-tagline = Delphi: estudios de consenso de código abierto.
skip-to-content = Saltar al contenido

## The questionnaire, its review, done and closed pages, and the page of a link that does not work
expert-round = Ronda { $round }
expert-deadline = responda antes del { $deadline }
expert-about = Acerca de este estudio
expert-how-to = Elija una puntuación para cada ítem; el comentario es opcional. Pulse Guardar para conservar sus respuestas y retomarlas más tarde, desde cualquier dispositivo, con el mismo enlace.
expert-progress = { $total ->
    [one] { $answered } de 1 ítem respondido
   *[other] { $answered } de { $total } ítems respondidos
}
expert-error-title = Sus respuestas no se han guardado
expert-error-help = Corrija este ítem y vuelva a guardar. No se ha guardado nada de esta página.
expert-error-prefix = Error:
expert-saved-notice = Sus respuestas se han guardado. Puede modificarlas con el mismo enlace hasta que se cierre la ronda.
expert-suggested-notice = Gracias: su sugerencia se ha enviado al equipo del estudio.
expert-already-submitted = Ya ha enviado sus respuestas. Puede seguir modificándolas hasta que se cierre la ronda.
expert-feedback-title = Debajo de cada ítem verá cómo lo puntuó el panel en la ronda anterior; su propia puntuación aparece resaltada y marcada con un triángulo.
expert-your-previous = Su puntuación anterior: { $score }
expert-feedback-title-after = Puntúe primero cada ítem. Después verá cómo lo puntuó el panel en la ronda anterior (su propia puntuación resaltada y marcada con un triángulo) y podrá cambiar su respuesta.
expert-feedback-held = Puntúe primero este ítem: después verá cómo lo puntuó el panel en la ronda anterior.
expert-feedback-revealed = Ahora se muestran las respuestas del panel en la ronda anterior. Puede cambiar su respuesta.
expert-groups-hidden = { $min ->
    [one] No se muestran los grupos con menos de 1 participante que haya respondido, para proteger el anonimato.
   *[other] No se muestran los grupos con menos de { $min } participantes que hayan respondido, para proteger el anonimato.
}
expert-comments = Comentarios de la ronda anterior (anónimos)
expert-unable = No puedo puntuarlo
expert-comment = Comentario (opcional)
expert-reason = ¿Por qué ha cambiado su puntuación? (opcional)
expert-save = Guardar
expert-review = Revisar y enviar
expert-suggest-title = Sugerir un ítem
expert-suggest-help = ¿Falta algo? Proponga un nuevo ítem; el equipo del estudio examinará todas las sugerencias.
expert-suggest-text = El ítem que sugiere
expert-suggest-rationale = Por qué es importante (opcional)
expert-suggest-section = Sección
expert-suggest-send = Enviar la sugerencia
expert-review-title = Revisar y enviar
expert-unanswered-title = Ítems sin respuesta
expert-unanswered-help = Puede enviar ahora y dejar estos ítems en blanco, o volver atrás y responderlos.
expert-all-answered = Ha respondido a todos los ítems.
expert-submit = Enviar mis respuestas
expert-back = Volver al cuestionario
expert-done-title = ¡Muchas gracias!
expert-done-body = Sus respuestas a la ronda { $round } se han enviado. Le hemos enviado una confirmación por correo electrónico.
expert-done-next = Puede seguir modificando sus respuestas con el mismo enlace hasta que se cierre la ronda. Después, el equipo del estudio calculará los resultados; si hay otra ronda, recibirá un nuevo enlace y verá cómo puntuó el panel cada ítem.
expert-change = Modificar mis respuestas
expert-closed-title = La ronda { $round } está cerrada
expert-closed-body = Gracias por su participación. Las respuestas a esta ronda ya no pueden modificarse.
expert-closed-next = El equipo del estudio está analizando los resultados. Si hay otra ronda, recibirá un correo electrónico con un nuevo enlace personal y los resultados del panel.
expert-closed-finished = El estudio ha finalizado. El equipo del estudio compartirá los resultados con el panel.
expert-unknown-title = Este enlace no funciona
expert-unknown-body = Compruebe que ha copiado el enlace completo de su correo electrónico. Si sigue sin funcionar, solicite un nuevo enlace al equipo del estudio.
expert-too-many = Demasiados intentos con enlaces que no funcionan. Espere unos minutos y vuelva a intentarlo.
expert-chart-summary = Ronda { $round }: { $count } de { $total } { $count ->
    [one] puntuó
   *[other] puntuaron
} { $range }
expert-chart-summary-plain = Ronda { $round }: { $total ->
    [one] 1 respuesta
   *[other] { $total } respuestas
}
expert-status-saving = Guardando…
expert-status-saved = Guardado
expert-status-failed = No guardado
expert-retry = Reintentar
expert-error-not-in-round = este ítem no forma parte de esta ronda
expert-error-not-on-page = este ítem no está en su página: cada experto puntúa solo los ítems que se le asignaron
expert-error-unknown-criterion = «{ $criterion }» no es un criterio de este estudio (uno de: { $criteria })
expert-error-no-criterion = indique el criterio de esta respuesta (uno de: { $criteria })
expert-error-not-a-score = «{ $value }» no es una puntuación
expert-error-off-scale = { $score } no está en la escala { $min }–{ $max }
expert-error-no-unable = este estudio no ofrece la opción «No puedo puntuarlo»
expert-error-too-long = { $max ->
    [one] el texto supera 1 carácter
   *[other] el texto supera los { $max } caracteres
}

## The banner of a test expert's pages (test run)
test-expert-banner = Prueba: sus respuestas se guardan aparte de las del panel y nunca se tienen en cuenta.
test-expert-banner-rehearsal = Prueba: la ronda { $round } todavía no se ha abierto. Sus respuestas se guardan aparte de las del panel y nunca se tienen en cuenta.

## Sample feedback on a facilitator's preview, in the previewed page's language
preview-sample-feedback = Resultados de ejemplo: cifras ficticias para esta vista previa
preview-sample-comment = Un comentario de ejemplo: aquí aparecen, de forma anónima, los comentarios de la ronda anterior.

## The lost-link page (/link) and leaving the study (/u/TOKEN)
link-page-title = ¿Ha perdido su enlace?
link-page-intro = Introduzca la dirección de correo electrónico en la que recibió la invitación y le enviaremos un nuevo enlace personal.
link-page-email = Su dirección de correo electrónico
link-page-submit = Enviarme un nuevo enlace
link-page-sent = Si esta dirección pertenece a un experto de una ronda abierta, le llegará un nuevo enlace. Revise su bandeja de entrada, y también la carpeta de correo no deseado, dentro de unos minutos.
link-page-too-many = Demasiadas solicitudes desde su conexión. Espere unos minutos y vuelva a intentarlo.
unsubscribe-title = Abandonar el estudio
unsubscribe-confirm = Está a punto de abandonar «{ $study }». No recibirá más correos sobre este estudio ni se le invitará a las rondas siguientes. Las respuestas que ya haya dado siguen formando parte de los resultados anónimos del estudio.
unsubscribe-button = Sí, deseo retirarme del estudio
unsubscribe-done = Ha abandonado «{ $study }». Gracias por sus contribuciones.

## The experts' results page (/r/TOKEN/results)
results-title = Resultados del estudio
results-finished = El estudio finalizó el { $at }, tras la ronda { $round }.
results-provisional = El estudio sigue en curso: estos resultados pueden cambiar.
results-tally = { $in } con consenso para incluir, { $out } para excluir, { $none } sin consenso.
results-how-to-read = Para cada ítem: la decisión del panel y, a continuación, la mediana de las puntuaciones y el rango intercuartílico (RIC: la dispersión de las puntuaciones) en la última ronda en que se planteó, con el número de expertos que lo puntuaron (n).
results-status-in = Consenso: incluir
results-status-out = Consenso: excluir
results-status-none = Sin consenso
results-figures = Mediana { $median } · RIC { $iqr } · n = { $n } · ronda { $round }
results-group = { $group } ({ $responders }): mediana { $median }, RIC { $iqr }
results-criterion = { $criterion } ({ $scale }): { $status } · mediana { $median }, RIC { $iqr }, n = { $n }
results-groups-hidden = { $min ->
    [one] No se muestran los grupos de partes interesadas con menos de 1 participante que haya respondido a un ítem, para que nadie pueda deducir la puntuación de otra persona.
   *[other] No se muestran los grupos de partes interesadas con menos de { $min } participantes que hayan respondido a un ítem, para que nadie pueda deducir la puntuación de otra persona.
}
results-anonymous = Esta página muestra solo los resultados del panel, nunca quién respondió qué.
results-chnri-title = Prioridades de investigación
results-chnri-how-to-read = Cada pregunta de investigación tiene una puntuación de prioridad (RPS, de 0 a 100: cuanto más alta, más consideró el panel que merece financiarse) y un acuerdo medio de los expertos (AEA, de 0 a 1: en promedio, la proporción de expertos que dio la respuesta más frecuente). Las preguntas aparecen de mayor a menor prioridad.
results-chnri-weighted = No todos los criterios cuentan lo mismo, así que las preguntas se ordenan por la puntuación ponderada (RPS ponderada).
results-chnri-thresholds = Una pregunta supera los umbrales cuando alcanza el umbral de cada criterio que tiene uno.
results-rank = N.º { $rank }
results-chnri-passed = Supera todos los umbrales
results-chnri-below = Por debajo del umbral en: { $criteria }
results-chnri-unscored = Sin puntuación: muy pocas respuestas
results-chnri-figures = RPS { $rps } · AEA { $aea } · n = { $n }
results-chnri-figures-weighted = RPS ponderada { $wrps } · RPS { $rps } · AEA { $aea } · n = { $n }
results-ranking-title = La clasificación final
results-ranking-intro = La clasificación combinada del panel en la ronda { $round }, a partir de las listas de { $responded } expertos: los { $shown } primeros de { $offered } ítems.
results-ranking-equal-groups = Cada grupo de partes interesadas contó lo mismo, sea cual sea su número de expertos.
results-ranking-item = { $chosen ->
    [one] Elegido por 1 experto
   *[other] Elegido por { $chosen } expertos
}, en primer lugar por { $first }
results-ranking-none = Ningún experto clasificó ningún ítem.
expert-how-to-autosave = Elija una puntuación para cada ítem; el comentario es opcional. Cada respuesta se guarda al instante: puede detenerse en cualquier momento y volver más tarde, desde cualquier dispositivo, con el mismo enlace.
expert-unknown-lost = ¿Ha perdido su enlace? Solicite uno nuevo

## A ranking round's page (templates/expert/ranking.hbs, static/js/ranking.js)
ranking-round = Ronda { $round }: clasificación
ranking-how-to = { $choose ->
    [one] Elija el elemento que considera más importante. Deje los demás en «No elegido».
   *[other] Elija hasta { $choose } elementos y numérelos de 1 (el más importante) a { $choose }. Deje los demás en «No elegido».
}
ranking-not-chosen = No elegido
ranking-position = Posición { $position }
ranking-save = Guardar mi clasificación
ranking-saved-notice = Su clasificación está guardada. Puede cambiarla con el mismo enlace hasta que cierre la ronda.
ranking-already-saved = Ya guardó una clasificación. Aún puede cambiarla hasta que cierre la ronda.
ranking-error-title = Hay un problema
ranking-error-help = Su clasificación no se guardó. Corríjala y guarde de nuevo; sus elecciones siguen en la página.
ranking-error-repeated = La posición { $position } está asignada a más de un elemento: { $items }. Asigne cada posición a un solo elemento.
ranking-error-above-choose = «{ $item }» está en la posición { $position }, pero solo puede elegir el número de elementos pedido.
ranking-error-gap = Ningún elemento está en la posición { $position }. Numere sus elecciones 1, 2, 3… sin saltos.
ranking-error-not-a-position = «{ $value }» no es una posición para «{ $item }».
ranking-error-not-in-round = «{ $item }» no forma parte de esta ronda.
ranking-list-title = Su clasificación
ranking-list-empty = Todavía no ha elegido ningún elemento.
ranking-others-title = Elementos no elegidos
ranking-move-up = Subir
ranking-move-down = Bajar
ranking-add = Añadir a mi clasificación
ranking-remove = Quitar
ranking-moved = { $item } movido a la posición { $position } de { $total }.
ranking-drag-hint = Arrastre un elemento por su asa para reordenarlo, o use sus botones Subir y Bajar.
ranking-added = { $item } añadido en la posición { $position }.
ranking-removed = { $item } quitado de su clasificación.
ranking-full = { $choose ->
    [one] Ha elegido 1 elemento, el máximo. Quítelo para elegir otro.
   *[other] Ha elegido { $choose } elementos, el máximo. Quite uno para añadir otro.
}
## La ronda de ideas (antes de la ronda 1)
expert-ideas-round = Ronda de ideas, antes de la ronda 1
expert-ideas-intro = Proponga hasta { $per_expert } ítems para cada tema, con una justificación si lo desea. Deje un campo vacío si no tiene nada que añadir. Puede cambiar sus propuestas con el mismo enlace hasta que se cierre la ronda.
expert-ideas-section-help = Hasta { $per_expert } propuestas.
expert-ideas-proposal = Propuesta { $n }
expert-ideas-rationale = Por qué es importante (opcional)
expert-ideas-save = Guardar mis propuestas
expert-ideas-saved = Sus propuestas están guardadas. Puede cambiarlas hasta que se cierre la ronda.
expert-ideas-error-title = Sus propuestas no se guardaron
expert-ideas-closed-title = La ronda de ideas está cerrada
expert-chnri-how-to = Para cada pregunta de investigación, responda a todas las preguntas de cada criterio. Elija «No sé» si una pregunta está fuera de su especialidad: no cuenta ni a favor ni en contra. Guarde cuando quiera y envíe sus respuestas al terminar.
expert-chnri-how-to-autosave = Para cada pregunta de investigación, responda a todas las preguntas de cada criterio. Elija «No sé» si una pregunta está fuera de su especialidad: no cuenta ni a favor ni en contra. Cada respuesta se guarda al instante; envíe sus respuestas al terminar.
expert-chnri-progress = { $total ->
    [one] { $answered } de { $total } pregunta respondida
   *[other] { $answered } de { $total } preguntas respondidas
}
expert-chnri-yes = Sí
expert-chnri-undecided = Informado, pero indeciso
expert-chnri-no = No
expert-chnri-dont-know = No sé
expert-chnri-error-help = No se guardó nada de esta página. Revise sus respuestas y vuelva a guardar.
