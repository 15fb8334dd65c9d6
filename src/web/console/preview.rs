//! "Preview as an expert" (`/console/s/SLUG/preview?lang=fr&round=2`): the experts'
//! questionnaire of any round, in any of the study's languages, rendered by the experts' own
//! page builder and template, so that it cannot drift from what they get. Viewers may use it.
//!
//! Nothing can be written from it: its forms are GET requests back to this page (which only
//! says what the button would have done, keeping what was typed), and the autosave script is
//! not loaded.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::access::{StudyAccess, Viewer};
use crate::domain::round::{RoundKind as PageKind, RoundState};
use crate::i18n;
use crate::service::expert::preview::{self, ExpertPreview, RoundChoice, RoundKind};
use crate::web::auth::problems;
use crate::web::error::PageError;
use crate::web::expert::{self, view};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/preview", web::get().to(page));
}

/// The query: `lang`, `round`, and — after a button of the previewed form — `action` with the
/// answers as the form names them (`s_CODE`, `c_CODE`, `r_CODE`).
async fn page(
    access: StudyAccess<Viewer>,
    req: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let pairs = query.into_inner();
    let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let (round, lang, action) = (value("round"), value("lang"), value("action"));
    let cache = access.state.expert_cache.clone();
    let built = access
        .run(move |conn, slug| preview::preview(conn, &cache.data, slug, round.as_deref(), lang.as_deref()))
        .await;
    let found = match built {
        Ok(found) => found,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let ui = access.lang();
    let bar = bar(&access, &found, action.as_deref());
    let ExpertPreview {
        session, data, page, ..
    } = found;
    let around = json!({
        "title": i18n::translate(ui, "preview-title", &[("study", session.study.title.clone().into())]),
        "preview": bar,
    });
    // What the previewed form sent is shown again, as the experts' page shows a refused post;
    // each kind of round on the experts' own page for it.
    let sent = if action.is_some() { pairs } else { Vec::new() };
    match session.round.kind {
        PageKind::Chnri => expert::chnri::preview(&session, &data, sent, around),
        PageKind::Ranking => expert::ranking::preview(&session, data, sent, around),
        PageKind::Rating | PageKind::Ideas => {
            let posted = action.as_ref().map(|_| expert::collect(sent).0);
            let form = view::preview(&session, data, page.as_deref(), posted.as_deref());
            let mut context = json!({
                "lang": session.lang,
                "notice_saved": false,
                "notice_suggested": false,
            });
            expert::extend(&mut context, around);
            expert::form_response(&req, context, form)
        }
    }
}

fn round_label(lang: &str, choice: &RoundChoice) -> String {
    let key = match choice.kind {
        RoundKind::Asked(state) => format!("preview-round-{}", state.as_str()),
        RoundKind::Next => "preview-round-next".into(),
        RoundKind::Planned => "preview-round-planned".into(),
    };
    i18n::translate(lang, &key, &[("n", choice.number.into())])
}

fn language_label(lang: &str, tag: &str, study_language: &str) -> String {
    let key = format!("preview-language-{}", tag.to_ascii_lowercase());
    let mut label = if i18n::has(lang, &key) {
        format!("{} ({tag})", i18n::translate(lang, &key, &[]))
    } else {
        tag.to_string()
    };
    if tag.eq_ignore_ascii_case(study_language) {
        label = format!(
            "{label} — {}",
            i18n::translate(lang, "preview-study-language", &[])
        );
    }
    label
}

/// The bar above the previewed page, in the facilitator's language: the banner, what a button
/// would have done, the choice of language and round, and what to know about this round.
fn bar(access: &StudyAccess<Viewer>, found: &ExpertPreview, action: Option<&str>) -> Value {
    let ui = access.lang();
    let t = |key: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]| i18n::translate(ui, key, args);
    let study = &found.session.study;
    let number = found.round.number;
    let round_list = found
        .rounds
        .iter()
        .map(|c| c.number.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut problems = Vec::new();
    if let Some(value) = &found.unknown_language {
        problems.push((
            "pv-lang",
            t(
                "preview-problem-lang",
                &[
                    ("value", value.clone().into()),
                    ("choices", found.languages.join(", ").into()),
                ],
            ),
        ));
    }
    if let Some(value) = &found.unknown_round {
        problems.push((
            "pv-round",
            t(
                "preview-problem-round",
                &[
                    ("value", value.clone().into()),
                    ("choices", round_list.into()),
                    ("shown", number.into()),
                ],
            ),
        ));
    }
    let (errors, _) = problems::context(&problems);
    let mut notes = Vec::new();
    let page_lang = found.session.lang;
    let primary = found.language.split(['-', '_']).next().unwrap_or_default();
    if !primary.eq_ignore_ascii_case(page_lang) {
        let page_name = t(&format!("preview-language-{page_lang}"), &[]);
        notes.push(t(
            "preview-note-no-catalogue",
            &[("tag", found.language.clone().into()), ("page", page_name.into())],
        ));
    }
    let n = [("n", number.into()), ("before", (number - 1).into())];
    match found.round.kind {
        RoundKind::Asked(RoundState::Closed) => notes.push(t("preview-note-closed", &n)),
        RoundKind::Next => notes.push(t("preview-note-next", &n)),
        RoundKind::Planned => notes.push(t("preview-note-planned", &n)),
        RoundKind::Asked(_) => {}
    }
    if found.sample {
        notes.push(t("preview-note-sample", &n));
    }
    let notice = match action {
        Some("save") => Some(t("preview-did-save", &[])),
        Some("review") => Some(t("preview-did-review", &[])),
        Some("suggest") => Some(t("preview-did-suggest", &[])),
        Some("submit") => Some(t("preview-did-submit", &[])),
        _ => None,
    };
    json!({
        "ui_lang": ui,
        "banner": t("preview-banner", &[]),
        "errors": errors,
        "errors_title": t("preview-errors-title", &[]),
        "notice": notice,
        "action": access.page("preview"),
        "lang": found.language,
        "round": number,
        "lang_label": t("preview-language", &[]),
        "round_label": t("preview-round", &[]),
        "show_label": t("preview-show", &[]),
        "languages": found.languages.iter().map(|tag| json!({
            "value": tag,
            "label": language_label(ui, tag, &study.language),
            "selected": *tag == found.language,
        })).collect::<Vec<_>>(),
        "rounds": found.rounds.iter().map(|c| json!({
            "value": c.number,
            "label": round_label(ui, c),
            "selected": c.number == number,
        })).collect::<Vec<_>>(),
        "notes": notes,
        "back": access.url(),
        "back_label": t("preview-back", &[]),
    })
}
