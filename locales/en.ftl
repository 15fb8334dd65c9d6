# English catalogue (the fallback for every other language). Fluent syntax:
# https://projectfluent.org — `key = text`, variables as { $name }.

language-name = English
site-tagline = Delphi — open-source consensus studies.
skip-to-content = Skip to content

# --- email ---
email-greeting = Dear { $name },
email-signature = Thank you for sharing your expertise. — The study team
email-link-intro = Your personal link (please do not share it):
email-link-button = Open my questionnaire
email-unsubscribe-intro = Do not want to take part any more?
email-unsubscribe-link = Leave the study
email-expected-time = It takes about { $minutes } minutes. You can stop at any time and come back: every answer is saved as you go.
email-deadline = Please answer by { $deadline }.
email-no-deadline = The round stays open until the study team closes it.
email-invitation-subject = { $study }: you are invited to round { $round }
email-invitation-intro = Round { $round } of “{ $study }” is open. We ask you to rate { $items } items and, if you wish, to comment on them or to suggest items we have missed.
email-next-round-subject = { $study }: round { $round } is open, with the group's results
email-next-round-intro = Round { $round } of “{ $study }” is open: { $items } items to rate again. For each item you will see, anonymously, how the panel rated it in the previous round, next to your own answer; you may keep your rating or change it.
email-reminder-subject = Reminder: { $study }, round { $round } is waiting for you
email-reminder-intro = This is a friendly reminder that round { $round } of “{ $study }” is open and we have not received your answers yet.
email-reminder-closes = The round closes on { $deadline }.
email-new-link-subject = { $study }: your new personal link
email-new-link-intro = You asked for a new link to round { $round } of “{ $study }”: here it is. Links you received earlier keep working.
email-new-link-not-you = If you did not ask for it, you can ignore this email.
email-thank-you-subject = { $study }: thank you for your answers to round { $round }
email-thank-you-intro = Thank you: we have received your answers to round { $round } of “{ $study }”. Here is a copy for your records.
email-thank-you-item = Item
email-thank-you-answer = Your answer
email-thank-you-comment = Comment
email-thank-you-unable = unable to score
email-thank-you-unanswered = not answered
email-thank-you-outro = Until the round closes you can still change your answers with the personal link of your invitation.
link-page-title = Lost your link?
link-page-intro = Enter the email address at which you were invited and we will send you a new personal link.
link-page-email = Your email address
link-page-submit = Send me a new link
link-page-sent = If this address belongs to an expert of an open round, a new link is on its way. Please check your inbox, and your spam folder, in a few minutes.
link-page-too-many = Too many requests from your connection. Please wait a few minutes, then try again.
unsubscribe-title = Leave the study
unsubscribe-confirm = You are about to leave “{ $study }”. You will receive no further emails about it and will not be invited to later rounds. Answers you have already given remain part of the study's anonymous results.
unsubscribe-button = Yes, withdraw me from the study
unsubscribe-done = You have left “{ $study }”. Thank you for your contributions.
