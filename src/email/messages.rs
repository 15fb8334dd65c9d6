//! The emails the platform sends, composed as outbox rows (`NewEmail`) ready to enqueue in the
//! caller's transaction. Each function picks the language, renders the templates and sets the
//! idempotency key that makes queuing the same email twice harmless.

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::message::ExtraHeaders;
use super::render::Overrides;
use crate::domain::link::LinkBase;
use crate::domain::outbox::NewEmail;
use crate::domain::study::Study;
use crate::i18n;

/// Seconds an expert needs per item, for the "about N minutes" estimate.
const SECONDS_PER_ITEM: usize = 20;

/// Who an email goes to: an expert of the panel.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub expert_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    /// The expert's own language, when the panel file gave one.
    pub language: Option<&'a str>,
}

/// A template that did not render (a facilitator's wording with an unknown variable, say).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("email template {template}: {reason}")]
pub struct ComposeError {
    pub template: String,
    pub reason: String,
}

/// One answer as the thank-you email repeats it.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerCopy {
    pub code: String,
    pub text: String,
    /// The score given, if any.
    pub score: Option<i32>,
    /// The scale's label for that score (e.g. "critical"), if the scale names it.
    pub label: Option<String>,
    /// "Unable to score" was chosen.
    pub unable: bool,
    pub comment: Option<String>,
}

/// The expert's language if we have it, else the study's, else English.
pub fn language(study: &Study, to: &Recipient<'_>) -> &'static str {
    i18n::for_reader(&[to.language, Some(&study.file.language)])
}

/// Minutes to answer `items` items, rounded up to 5.
pub fn expected_minutes(items: usize) -> usize {
    let minutes = (items * SECONDS_PER_ITEM).div_ceil(60);
    minutes.div_ceil(5).max(1) * 5
}

/// What an email carrying an expert's personal link is made of: the invitation, the reminder
/// and the new link differ only in their template, their key and a few words of context.
#[derive(Clone, Copy)]
pub struct LinkEmail<'a> {
    pub study: &'a Study,
    pub overrides: &'a Overrides,
    pub to: Recipient<'a>,
    pub round: i32,
    pub deadline: Option<NaiveDateTime>,
    pub links: &'a LinkBase,
    /// The plain token of the link, which only this email carries.
    pub token: &'a str,
    pub invitation_id: i64,
    pub at: NaiveDateTime,
}

impl LinkEmail<'_> {
    fn compose(
        &self,
        template: &str,
        kind: &str,
        idempotency_key: String,
        context: Context,
    ) -> Result<NewEmail, ComposeError> {
        compose(
            self.overrides,
            template,
            kind,
            idempotency_key,
            self.study,
            &self.to,
            &context.0,
            Some(self.links.unsubscribe_link(self.token)),
            self.at,
        )
    }

    fn context(&self) -> Context {
        base_context(
            self.study,
            &self.to,
            self.round,
            self.deadline,
            self.links,
            self.token,
        )
    }
}

/// The invitation to the email's round (the next-round wording from round 2 on, which mentions
/// the group feedback). Key `invitation:{invitation_id}`.
pub fn invitation(
    email: &LinkEmail<'_>,
    kind: crate::domain::round::RoundKind,
    items: usize,
) -> Result<NewEmail, ComposeError> {
    // A ranking round asks for an ordered choice, not ratings: its own wording.
    let name = match kind {
        crate::domain::round::RoundKind::Ranking => "ranking_round",
        _ if email.round >= 2 => "next_round",
        _ => "invitation",
    };
    let choose = email.study.file.ranking.as_ref().map(|r| r.choose).unwrap_or(1);
    let context = email
        .context()
        .with("items", json!(items))
        .with("choose", json!(choose))
        .with("minutes", json!(expected_minutes(items)));
    email.compose(
        name,
        "invitation",
        format!("invitation:{}", email.invitation_id),
        context,
    )
}

/// A reminder with a fresh link; `number` counts this invitation's reminders (1 for the first).
/// Key `reminder:{invitation_id}:{number}`.
pub fn reminder(email: &LinkEmail<'_>, number: i32) -> Result<NewEmail, ComposeError> {
    email.compose(
        "reminder",
        "reminder",
        format!("reminder:{}:{number}", email.invitation_id),
        email.context(),
    )
}

/// Thanks for submitting, with a copy of the answers. Key
/// `thank_you:{invitation_id}:{submitted_at}`, so a later re-submission gets its own copy.
/// No link: the copy must not reopen the answers to whoever reads the mailbox.
#[allow(clippy::too_many_arguments)]
pub fn thank_you(
    study: &Study,
    overrides: &Overrides,
    to: &Recipient<'_>,
    round: i32,
    answers: &[AnswerCopy],
    invitation_id: i64,
    submitted_at: NaiveDateTime,
) -> Result<NewEmail, ComposeError> {
    let lang = language(study, to);
    let context = json!({
        "lang": lang,
        "study": study.title,
        "name": to.name,
        "round": round,
        "answers": answers,
    });
    compose(
        overrides,
        "thank_you",
        "thank_you",
        format!(
            "thank_you:{invitation_id}:{}",
            submitted_at.and_utc().timestamp_micros()
        ),
        study,
        to,
        &context,
        None,
        submitted_at,
    )
}

/// A new personal link, asked for on the lost-link page. Key `new_link:{invitation_id}:{hash
/// prefix of the token}`: one email per fresh token.
pub fn new_link(email: &LinkEmail<'_>) -> Result<NewEmail, ComposeError> {
    let digest = hex::encode(Sha256::digest(email.token.as_bytes()));
    email.compose(
        "new_link",
        "new_link",
        format!("new_link:{}:{}", email.invitation_id, &digest[..16]),
        email.context(),
    )
}

/// What the closing email says the study came to, in one line (the page says the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Rating rounds: the items in consensus in.
    Consensus { agreed: usize },
    /// A CHNRI study: the research questions it scored.
    Chnri { questions: usize },
    /// A ranking round ended it: the items ranked.
    Ranking { items: usize },
}

/// The closing email of a finished study: thanks, and a personal link to the results page.
/// Key `study_closed:{expert_id}`: one per expert, however often it is asked for. No
/// unsubscribe link: it is the last email of the study.
#[allow(clippy::too_many_arguments)]
pub fn study_closed(
    study: &Study,
    overrides: &Overrides,
    to: &Recipient<'_>,
    last_round: i32,
    ending: Ending,
    links: &LinkBase,
    token: &str,
    at: NaiveDateTime,
) -> Result<NewEmail, ComposeError> {
    // Every key is always there (null when it does not apply): a study's own wording may test
    // any of them in strict mode.
    let (agreed, chnri, ranked) = match ending {
        Ending::Consensus { agreed } => (agreed, None, None),
        Ending::Chnri { questions } => (0, Some(questions), None),
        Ending::Ranking { items } => (0, None, Some(items)),
    };
    let context = json!({
        "lang": language(study, to),
        "study": study.title,
        "name": to.name,
        "round": last_round,
        "agreed": agreed,
        "chnri": chnri,
        "ranked": ranked,
        "link": links.results_link(token),
    });
    compose(
        overrides,
        "study_closed",
        "study_closed",
        format!("study_closed:{}", to.expert_id),
        study,
        to,
        &context,
        None,
        at,
    )
}

struct Context(serde_json::Value);

impl Context {
    fn with(mut self, key: &str, value: serde_json::Value) -> Context {
        if let Some(map) = self.0.as_object_mut() {
            map.insert(key.into(), value);
        }
        self
    }
}

fn base_context(
    study: &Study,
    to: &Recipient<'_>,
    round: i32,
    deadline: Option<NaiveDateTime>,
    links: &LinkBase,
    token: &str,
) -> Context {
    let lang = language(study, to);
    // Round 0 is the ideas round: its emails ask for proposals, quoting the study's prompt.
    let ideas = (round == 0)
        .then(|| study.file.texts_in(lang).ideas_prompt().map(str::to_owned))
        .flatten();
    Context(json!({
        "ideas": ideas.is_some(),
        "prompt": ideas,
        "per_expert": study.file.ideas.as_ref().map(|i| i.per_expert),
        "lang": lang,
        "study": study.title,
        "name": to.name,
        "round": round,
        "deadline": deadline.map(|d| study.local_time(d)),
        "link": links.expert_link(token),
        "unsubscribe": links.unsubscribe_link(token),
    }))
}

#[allow(clippy::too_many_arguments)]
fn compose(
    overrides: &Overrides,
    template: &str,
    kind: &str,
    idempotency_key: String,
    study: &Study,
    to: &Recipient<'_>,
    context: &serde_json::Value,
    unsubscribe: Option<String>,
    at: NaiveDateTime,
) -> Result<NewEmail, ComposeError> {
    let rendered = overrides
        .render(template, context)
        .map_err(|reason| ComposeError {
            template: template.to_string(),
            reason,
        })?;
    Ok(NewEmail {
        idempotency_key,
        kind: kind.into(),
        study_id: Some(study.id),
        expert_id: Some(to.expert_id),
        facilitator_id: None,
        recipient: to.email.to_string(),
        subject: rendered.subject,
        body_text: rendered.text,
        body_html: rendered.html,
        headers: ExtraHeaders {
            list_unsubscribe: unsubscribe,
        }
        .to_json(),
        next_attempt_at: at,
        created_at: at,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn expected_time_rounds_up_to_five_minutes() {
        assert_eq!(super::expected_minutes(1), 5);
        assert_eq!(super::expected_minutes(15), 5);
        assert_eq!(super::expected_minutes(16), 10);
        assert_eq!(super::expected_minutes(60), 20);
    }
}
