# Todos os e-mails que um especialista recebe (as mesmas chaves que en/mail.ftl).

## What every email to an expert shares: greeting, signature, link, unsubscribe, deadline
email-greeting = Prezado(a) { $name },
email-signature = Obrigado por compartilhar a sua experiência. — A equipe do estudo
email-link-intro = O seu link pessoal (por favor, não o compartilhe):
email-link-button = Abrir o meu questionário
email-unsubscribe-intro = Não deseja mais participar?
email-unsubscribe-link = Sair do estudo
email-expected-time = { $minutes ->
    [one] Leva cerca de { $minutes } minuto.
   *[other] Leva cerca de { $minutes } minutos.
} Pode interromper a qualquer momento e voltar depois: cada resposta é salva à medida que avança.
email-deadline = Por favor, responda até { $deadline }.
email-no-deadline = A rodada permanece aberta até que a equipe do estudo a encerre.
test-email-subject-prefix = [Teste]

## Invitation to round 1
email-invitation-subject = { $study }: convite para a rodada { $round }
email-invitation-intro = A rodada { $round } de “{ $study }” está aberta. { $items ->
    [one] Pedimos que avalie { $items } item e, se desejar, que o comente
   *[other] Pedimos que avalie { $items } itens e, se desejar, que os comente
} ou que sugira itens que não tenhamos considerado.

## Invitation to a later round, with the group's results
email-next-round-subject = { $study }: a rodada { $round } está aberta, com os resultados do grupo
email-next-round-intro = A rodada { $round } de “{ $study }” está aberta: { $items ->
    [one] { $items } item para avaliar novamente.
   *[other] { $items } itens para avaliar novamente.
} Para cada item, verá, de forma anônima, como o painel o avaliou na rodada anterior, ao lado da sua própria resposta; poderá manter a sua avaliação ou alterá-la.

## Reminder
email-reminder-subject = Lembrete: { $study }, a rodada { $round } aguarda a sua participação
email-reminder-intro = Gostaríamos de lembrar que a rodada { $round } de “{ $study }” está aberta e que ainda não recebemos as suas respostas.
email-reminder-closes = A rodada será encerrada em { $deadline }.

## A new personal link, asked for on the lost-link page
email-new-link-subject = { $study }: o seu novo link pessoal
email-new-link-intro = Solicitou um novo link para a rodada { $round } de “{ $study }”: aqui está. Os links recebidos anteriormente continuam funcionando.
email-new-link-not-you = Se não fez esta solicitação, pode ignorar este e-mail.

## Thank-you after submitting, with a copy of the answers
email-thank-you-subject = { $study }: obrigado pelas suas respostas à rodada { $round }
email-thank-you-intro = Obrigado: recebemos as suas respostas à rodada { $round } de “{ $study }”. Segue uma cópia para os seus registros.
email-thank-you-item = Item
email-thank-you-answer = A sua resposta
email-thank-you-comment = Comentário
email-thank-you-unable = não consigo avaliar
email-thank-you-unanswered = sem resposta
email-thank-you-outro = Até o encerramento da rodada, ainda poderá alterar as suas respostas com o link pessoal do seu convite.

## The closing email, with the link to the results
email-study-closed-subject = { $study }: os resultados, com os nossos agradecimentos
email-study-closed-intro = “{ $study }” foi concluído: a rodada { $round } foi a última. Obrigado pelo tempo e pela experiência que dedicou a este estudo.
email-study-closed-agreed = { $agreed ->
    [0] O painel não chegou a consenso sobre nenhum item; a página de resultados mostra a posição do painel.
    [one] O painel chegou a consenso sobre 1 item.
   *[other] O painel chegou a consenso sobre { $agreed } itens.
}
email-study-closed-chnri = As respostas do painel ordenam { $questions } perguntas de pesquisa: a página de resultados mostra-as com as suas pontuações.
email-study-closed-ranking = A classificação final do painel de { $items } itens está pronta: a página de resultados mostra os primeiros lugares.
email-study-closed-button = Ver os resultados
email-study-closed-link-intro = Os resultados estão numa página própria, acessível pelo seu link pessoal (por favor, não o compartilhe):
email-study-closed-anonymous = A página mostra apenas os resultados do painel: nenhum nome e nenhuma resposta individual.
email-study-closed-signature = Com os nossos agradecimentos — A equipe do estudo

## Invitation to a ranking round
email-ranking-subject = { $study }: a rodada { $round } pede-lhe que classifique as prioridades
email-ranking-intro = A rodada { $round } de “{ $study }” está aberta: { $items ->
    [one] 1 item alcançou consenso.
   *[other] { $items } itens alcançaram consenso.
} Pedimos-lhe que escolha até { $choose } e os ordene, o mais importante primeiro.
## A rodada de ideias, antes da rodada 1: os especialistas propõem itens
email-ideas-subject = { $study }: as suas ideias, antes da rodada 1
email-ideas-intro = Antes de qualquer avaliação, a equipe de “{ $study }” pede as suas ideias: até { $per_expert } propostas por tema, cada uma com uma justificativa se quiser. A equipe as transformará nos itens da rodada 1. A pergunta:
email-ideas-reminder-subject = Lembrete: { $study } aguarda as suas ideias
email-ideas-reminder-intro = Lembramos que “{ $study }” está recolhendo ideias antes da rodada 1 e ainda não recebemos as suas.
