# Tudo o que um especialista pode ler numa página (as mesmas chaves que en/expert.ftl).
# Registro formal: os especialistas são pesquisadores e profissionais de saúde experientes.

## Site chrome (layouts/base.hbs), and the language's own name wherever one is chosen
language-name = Português
site-tagline = Delphi: estudos de consenso de código aberto.
skip-to-content = Ir para o conteúdo

## The questionnaire, its review, done and closed pages, and the page of a link that does not work
expert-round = Rodada { $round }
expert-deadline = responda até { $deadline }
expert-about = Sobre este estudo
expert-how-to = Escolha uma pontuação para cada item; o comentário é opcional. Clique em Salvar para guardar as suas respostas e retomá-las mais tarde, de qualquer dispositivo, com o mesmo link.
expert-progress = { $total ->
    [one] { $answered } de { $total } item respondido
   *[other] { $answered } de { $total } itens respondidos
}
expert-error-title = As suas respostas não foram salvas
expert-error-help = Corrija este item e salve novamente. Nada desta página foi salvo.
expert-error-prefix = Erro:
expert-saved-notice = As suas respostas foram salvas. Poderá alterá-las com o mesmo link até o encerramento da rodada.
expert-suggested-notice = Obrigado: a sua sugestão foi enviada à equipe do estudo.
expert-already-submitted = As suas respostas já foram enviadas. Ainda poderá alterá-las até o encerramento da rodada.
expert-feedback-title = Abaixo de cada item, verá como o painel o avaliou na rodada anterior; a sua própria pontuação aparece destacada e marcada com um triângulo.
expert-your-previous = A sua pontuação anterior: { $score }
expert-feedback-title-after = Avalie primeiro cada item. Depois verá como o painel o avaliou na rodada anterior (a sua própria pontuação destacada e marcada com um triângulo) e poderá alterar a sua resposta.
expert-feedback-held = Avalie primeiro este item: depois verá como o painel o avaliou na rodada anterior.
expert-feedback-revealed = As respostas do painel na rodada anterior são agora apresentadas. Pode alterar a sua resposta.
expert-groups-hidden = { $min ->
    [one] Grupos com menos de { $min } respondente não são exibidos, para proteger o anonimato.
   *[other] Grupos com menos de { $min } respondentes não são exibidos, para proteger o anonimato.
}
expert-comments = Comentários da rodada anterior (anônimos)
expert-unable = Não consigo avaliar
expert-comment = Comentário (opcional)
expert-reason = Por que alterou a sua pontuação? (opcional)
expert-save = Salvar
expert-review = Revisar e enviar
expert-suggest-title = Sugerir um item
expert-suggest-help = Falta algo? Proponha um novo item; a equipe do estudo examinará todas as sugestões.
expert-suggest-text = O item que sugere
expert-suggest-rationale = Por que é importante (opcional)
expert-suggest-section = Seção
expert-suggest-send = Enviar a sugestão
expert-review-title = Revisar e enviar
expert-unanswered-title = Itens sem resposta
expert-unanswered-help = Pode enviar agora e deixar estes itens em branco, ou voltar e respondê-los.
expert-all-answered = Respondeu a todos os itens.
expert-submit = Enviar as minhas respostas
expert-back = Voltar ao questionário
expert-done-title = Muito obrigado!
expert-done-body = As suas respostas à rodada { $round } foram enviadas. Enviamos uma confirmação para o seu e-mail.
expert-done-next = Ainda poderá alterar as suas respostas com o mesmo link até o encerramento da rodada. Em seguida, a equipe do estudo calculará os resultados; se houver outra rodada, receberá um novo link e verá como o painel avaliou cada item.
expert-change = Alterar as minhas respostas
expert-closed-title = A rodada { $round } está encerrada
expert-closed-body = Agradecemos a sua participação. As respostas a esta rodada já não podem ser alteradas.
expert-closed-next = A equipe do estudo está analisando os resultados. Se houver outra rodada, receberá um e-mail com um novo link pessoal e os resultados do painel.
expert-closed-finished = O estudo foi concluído. A equipe do estudo compartilhará os resultados com o painel.
expert-unknown-title = Este link não funciona
expert-unknown-body = Verifique se copiou o link completo do seu e-mail. Se continuar sem funcionar, solicite um novo link à equipe do estudo.
expert-too-many = Tentativas demais com links que não funcionam. Aguarde alguns minutos e tente novamente.
expert-chart-summary = Rodada { $round }: { $count } de { $total } { $count ->
    [one] atribuiu
   *[other] atribuíram
} { $range }
expert-chart-summary-plain = Rodada { $round }: { $total ->
    [one] { $total } resposta
   *[other] { $total } respostas
}
expert-status-saving = Salvando…
expert-status-saved = Salvo
expert-status-failed = Não salvo
expert-retry = Tentar novamente
expert-error-not-in-round = este item não faz parte desta rodada
expert-error-not-on-page = este item não está na sua página: cada especialista avalia apenas os itens que lhe foram atribuídos
expert-error-unknown-criterion = “{ $criterion }” não é um critério deste estudo (um de: { $criteria })
expert-error-no-criterion = indique o critério desta resposta (um de: { $criteria })
expert-error-not-a-score = “{ $value }” não é uma pontuação
expert-error-off-scale = { $score } não está na escala { $min }–{ $max }
expert-error-no-unable = este estudo não oferece a opção “Não consigo avaliar”
expert-error-too-long = { $max ->
    [one] o texto ultrapassa { $max } caractere
   *[other] o texto ultrapassa { $max } caracteres
}

## The banner of a test expert's pages (test run)
test-expert-banner = Teste: as suas respostas são mantidas à parte das do painel e nunca são contabilizadas.
test-expert-banner-rehearsal = Teste: a rodada { $round } ainda não foi aberta. As suas respostas são mantidas à parte das do painel e nunca são contabilizadas.

## Sample feedback on a facilitator's preview, in the previewed page's language
preview-sample-feedback = Resultados de exemplo: números fictícios para esta pré-visualização
preview-sample-comment = Um comentário de exemplo: os comentários da rodada anterior aparecem aqui, de forma anônima.

## The lost-link page (/link) and leaving the study (/u/TOKEN)
link-page-title = Perdeu o seu link?
link-page-intro = Informe o endereço de e-mail no qual recebeu o convite e enviaremos um novo link pessoal.
link-page-email = O seu endereço de e-mail
link-page-submit = Enviar-me um novo link
link-page-sent = Se este endereço pertencer a um especialista de uma rodada aberta, um novo link está a caminho. Verifique a sua caixa de entrada, e também a pasta de spam, dentro de alguns minutos.
link-page-too-many = Pedidos demais a partir da sua conexão. Aguarde alguns minutos e tente novamente.
unsubscribe-title = Sair do estudo
unsubscribe-confirm = Está prestes a sair de “{ $study }”. Não receberá mais e-mails sobre este estudo e não será convidado para as rodadas seguintes. As respostas que já deu continuam a fazer parte dos resultados anônimos do estudo.
unsubscribe-button = Sim, desejo retirar-me do estudo
unsubscribe-done = Saiu de “{ $study }”. Agradecemos as suas contribuições.

## The experts' results page (/r/TOKEN/results)
results-title = Resultados do estudo
results-finished = O estudo foi concluído em { $at }, após a rodada { $round }.
results-provisional = O estudo ainda está em andamento: estes resultados podem mudar.
results-tally = { $in } com consenso para incluir, { $out } para excluir, { $none } sem consenso.
results-how-to-read = Para cada item: a decisão do painel e, em seguida, a mediana das pontuações e o intervalo interquartil (IIQ: a dispersão das pontuações) na última rodada em que foi apresentado, com o número de especialistas que o pontuaram (n).
results-status-in = Consenso: incluir
results-status-out = Consenso: excluir
results-status-none = Sem consenso
results-figures = Mediana { $median } · IIQ { $iqr } · n = { $n } · rodada { $round }
results-group = { $group } ({ $responders }): mediana { $median }, IIQ { $iqr }
results-criterion = { $criterion } ({ $scale }): { $status } · mediana { $median }, IIQ { $iqr }, n = { $n }
results-groups-hidden = { $min ->
    [one] Grupos de partes interessadas com menos de { $min } respondente a um item não são exibidos, para que ninguém possa deduzir a pontuação de outra pessoa.
   *[other] Grupos de partes interessadas com menos de { $min } respondentes a um item não são exibidos, para que ninguém possa deduzir a pontuação de outra pessoa.
}
results-anonymous = Esta página mostra apenas os resultados do painel, nunca quem respondeu o quê.
results-chnri-title = Prioridades de pesquisa
results-chnri-how-to-read = Cada pergunta de pesquisa tem uma pontuação de prioridade (RPS, de 0 a 100: quanto mais alta, mais o painel considerou que vale a pena financiá-la) e uma concordância média dos especialistas (AEA, de 0 a 1: em média, a proporção de especialistas que deu a resposta mais frequente). As perguntas aparecem da maior para a menor prioridade.
results-chnri-weighted = Nem todos os critérios contam o mesmo, por isso as perguntas são ordenadas pela pontuação ponderada (RPS ponderada).
results-chnri-thresholds = Uma pergunta passa nos limiares quando atinge o limiar de cada critério que tem um.
results-rank = N.º { $rank }
results-chnri-passed = Passou em todos os limiares
results-chnri-below = Abaixo do limiar em: { $criteria }
results-chnri-unscored = Sem pontuação: respostas insuficientes
results-chnri-figures = RPS { $rps } · AEA { $aea } · n = { $n }
results-chnri-figures-weighted = RPS ponderada { $wrps } · RPS { $rps } · AEA { $aea } · n = { $n }
results-ranking-title = A classificação final
results-ranking-intro = A classificação combinada do painel na rodada { $round }, a partir das listas de { $responded } especialistas: os { $shown } primeiros de { $offered } itens.
results-ranking-equal-groups = Cada grupo de partes interessadas contou o mesmo, qualquer que seja o seu número de especialistas.
results-ranking-item = { $chosen ->
    [one] Escolhido por 1 especialista
   *[other] Escolhido por { $chosen } especialistas
}, em primeiro lugar por { $first }
results-ranking-none = Nenhum especialista classificou nenhum item.
expert-how-to-autosave = Escolha uma pontuação para cada item; o comentário é opcional. Cada resposta é guardada à medida que avança: pode parar a qualquer momento e voltar mais tarde, a partir de qualquer dispositivo, com o mesmo link.
expert-unknown-lost = Perdeu o seu link? Peça um novo

## A ranking round's page (templates/expert/ranking.hbs, static/js/ranking.js)
ranking-round = Rodada { $round }: classificação
ranking-how-to = { $choose ->
    [one] Escolha o item que considera mais importante. Deixe os outros como “Não escolhido”.
   *[other] Escolha até { $choose } itens e numere-os de 1 (o mais importante) a { $choose }. Deixe os outros como “Não escolhido”.
}
ranking-not-chosen = Não escolhido
ranking-position = Posição { $position }
ranking-save = Guardar a minha classificação
ranking-saved-notice = A sua classificação foi guardada. Pode alterá-la com o mesmo link até a rodada fechar.
ranking-already-saved = Já guardou uma classificação. Ainda pode alterá-la até a rodada fechar.
ranking-error-title = Há um problema
ranking-error-help = A sua classificação não foi guardada. Corrija-a e guarde de novo; as suas escolhas continuam na página.
ranking-error-repeated = A posição { $position } foi dada a mais de um item: { $items }. Dê cada posição a um só item.
ranking-error-above-choose = “{ $item }” está na posição { $position }, mas só pode escolher o número de itens pedido.
ranking-error-gap = Nenhum item está na posição { $position }. Numere as suas escolhas 1, 2, 3… sem saltos.
ranking-error-not-a-position = “{ $value }” não é uma posição para “{ $item }”.
ranking-error-not-in-round = “{ $item }” não faz parte desta rodada.
ranking-list-title = A sua classificação
ranking-list-empty = Ainda não escolheu nenhum item.
ranking-others-title = Itens não escolhidos
ranking-move-up = Subir
ranking-move-down = Descer
ranking-add = Adicionar à minha classificação
ranking-remove = Retirar
ranking-moved = { $item } movido para a posição { $position } de { $total }.
ranking-drag-hint = Arraste um item pela sua alça para reordenar, ou use os seus botões Subir e Descer.
ranking-added = { $item } adicionado na posição { $position }.
ranking-removed = { $item } retirado da sua classificação.
ranking-full = { $choose ->
    [one] Escolheu 1 item, o máximo. Retire-o para escolher outro.
   *[other] Escolheu { $choose } itens, o máximo. Retire um para adicionar outro.
}
## A rodada de ideias (antes da rodada 1)
expert-ideas-round = Rodada de ideias, antes da rodada 1
expert-ideas-intro = Proponha até { $per_expert } itens para cada tema abaixo, com uma justificativa se quiser. Deixe um campo vazio se não tiver nada a acrescentar. Pode alterar as suas propostas com o mesmo link até a rodada fechar.
expert-ideas-section-help = Até { $per_expert } propostas.
expert-ideas-proposal = Proposta { $n }
expert-ideas-rationale = Por que é importante (opcional)
expert-ideas-save = Salvar as minhas propostas
expert-ideas-saved = As suas propostas estão salvas. Pode alterá-las até a rodada fechar.
expert-ideas-error-title = As suas propostas não foram salvas
expert-ideas-closed-title = A rodada de ideias está fechada
expert-chnri-how-to = Para cada pergunta de investigação, responda a todas as perguntas de cada critério. Escolha «Não sei» se uma pergunta estiver fora da sua área: não conta nem a favor nem contra. Guarde quando quiser e envie as suas respostas no fim.
expert-chnri-how-to-autosave = Para cada pergunta de investigação, responda a todas as perguntas de cada critério. Escolha «Não sei» se uma pergunta estiver fora da sua área: não conta nem a favor nem contra. Cada resposta é guardada à medida que avança; envie as suas respostas no fim.
expert-chnri-progress = { $total ->
    [one] { $answered } de { $total } pergunta respondida
   *[other] { $answered } de { $total } perguntas respondidas
}
expert-chnri-yes = Sim
expert-chnri-undecided = Informado, mas indeciso
expert-chnri-no = Não
expert-chnri-dont-know = Não sei
expert-chnri-error-help = Nada desta página foi guardado. Verifique as suas respostas e guarde de novo.
