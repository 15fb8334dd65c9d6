# Every email an expert receives (the console's Emails page is emails.ftl). Facilitators' own
# emails (password reset, account invitation) stay in the main catalogue but share this chrome.

## What every email to an expert shares: greeting, signature, link, unsubscribe, deadline
email-greeting = Dear { $name },
email-signature = Thank you for sharing your expertise. — The study team
email-link-intro = Your personal link (please do not share it):
email-link-button = Open my questionnaire
email-unsubscribe-intro = Do not want to take part any more?
email-unsubscribe-link = Leave the study
email-expected-time = { $minutes ->
    [one] It takes about 1 minute.
   *[other] It takes about { $minutes } minutes.
} You can stop at any time and come back: every answer is saved as you go.
email-deadline = Please answer by { $deadline }.
email-no-deadline = The round stays open until the study team closes it.
test-email-subject-prefix = [Test]

## Invitation to round 1
email-invitation-subject = { $study }: you are invited to round { $round }
email-invitation-intro = Round { $round } of “{ $study }” is open. { $items ->
    [one] We ask you to rate 1 item and, if you wish, to comment on it
   *[other] We ask you to rate { $items } items and, if you wish, to comment on them
} or to suggest items we have missed.

## Invitation to a later round, with the group's results
email-next-round-subject = { $study }: round { $round } is open, with the group's results
email-next-round-intro = Round { $round } of “{ $study }” is open: { $items ->
    [one] 1 item to rate again.
   *[other] { $items } items to rate again.
} For each item you will see, anonymously, how the panel rated it in the previous round, next to your own answer; you may keep your rating or change it.

## Reminder
email-reminder-subject = Reminder: { $study }, round { $round } is waiting for you
email-reminder-intro = This is a friendly reminder that round { $round } of “{ $study }” is open and we have not received your answers yet.
email-reminder-closes = The round closes on { $deadline }.

## A new personal link, asked for on the lost-link page
email-new-link-subject = { $study }: your new personal link
email-new-link-intro = You asked for a new link to round { $round } of “{ $study }”: here it is. Links you received earlier keep working.
email-new-link-not-you = If you did not ask for it, you can ignore this email.

## Thank-you after submitting, with a copy of the answers
email-thank-you-subject = { $study }: thank you for your answers to round { $round }
email-thank-you-intro = Thank you: we have received your answers to round { $round } of “{ $study }”. Here is a copy for your records.
email-thank-you-item = Item
email-thank-you-answer = Your answer
email-thank-you-comment = Comment
email-thank-you-unable = unable to score
email-thank-you-unanswered = not answered
email-thank-you-outro = Until the round closes you can still change your answers with the personal link of your invitation.

## The closing email, with the link to the results
email-study-closed-subject = { $study }: the results, and thank you
email-study-closed-intro = “{ $study }” is finished: round { $round } was its last. Thank you for the time and the expertise you gave it.
email-study-closed-agreed = { $agreed ->
    [0] The panel did not reach consensus on any item; the results page shows where it stood.
    [one] The panel reached consensus on 1 item.
   *[other] The panel reached consensus on { $agreed } items.
}
email-study-closed-chnri = The panel's answers rank { $questions } research questions: the results page lists them with their scores.
email-study-closed-ranking = The panel's final ranking of { $items } items is ready: the results page shows the top of the list.
email-study-closed-button = See the results
email-study-closed-link-intro = The results are on a page of their own, at your personal link (please do not share it):
email-study-closed-anonymous = The page shows the panel's results only: nobody's name, and nobody's answers.
email-study-closed-signature = With our thanks — The study team

## Invitation to a ranking round
email-ranking-subject = { $study }: round { $round } asks you to rank the priorities
email-ranking-intro = Round { $round } of “{ $study }” is open: { $items ->
    [one] 1 item reached consensus.
   *[other] { $items } items reached consensus.
} We ask you to choose up to { $choose } of them and put them in order, the one that matters most first.
## The ideas round, before round 1: experts propose items
email-ideas-subject = { $study }: your ideas, before round 1
email-ideas-intro = Before the panel rates anything, the study team of “{ $study }” asks for your ideas: up to { $per_expert } proposals per topic, each with a reason if you wish. The team will turn them into the items of round 1. The question:
email-ideas-reminder-subject = Reminder: { $study } is waiting for your ideas
email-ideas-reminder-intro = This is a friendly reminder that “{ $study }” is collecting ideas before round 1 and we have not received yours yet.
