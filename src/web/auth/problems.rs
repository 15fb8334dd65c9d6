//! What an account form shows when it is refused: an error summary listing every problem at
//! once, each a link to its field, and the same message next to the field (GOV.UK pattern).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::web::html::titled_page;

use crate::domain::account::{Problem, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::i18n;
use crate::service::accounts;
use crate::web::console_language_of;
use crate::web::error::{AppError, PageError};

/// The form fields an account page may mark; each is in `problems` (empty when fine), so that
/// templates in strict mode can test any of them.
const FIELDS: &[&str] = &["email", "name", "password", "confirm", "current"];

/// The message of one problem in `lang`.
pub fn message(lang: &str, problem: Problem) -> String {
    i18n::translate(
        lang,
        problem.key(),
        &[
            ("min", (MIN_PASSWORD_CHARS as i64).into()),
            ("max", (MAX_PASSWORD_CHARS as i64).into()),
        ],
    )
}

/// `errors` (the summary's list) and `problems` (field → message) for a page's context.
pub fn context(problems: &[(&'static str, String)]) -> (Value, Value) {
    let mut by_field: Map<String, Value> = FIELDS.iter().map(|f| (f.to_string(), json!(""))).collect();
    let mut errors = Vec::new();
    for (field, text) in problems {
        by_field.entry(field.to_string()).or_insert(json!(""));
        if by_field[*field] == json!("") {
            by_field.insert(field.to_string(), json!(text));
        }
        errors.push(json!({ "field": field, "message": text }));
    }
    (json!(errors), Value::Object(by_field))
}

/// Each problem with its field, in `lang`: what `context` takes.
pub fn listed(lang: &str, problems: &[Problem]) -> Vec<(&'static str, String)> {
    problems.iter().map(|p| (p.field(), message(lang, *p))).collect()
}

/// `context` for problems of the account rules.
pub fn of(lang: &str, problems: &[Problem]) -> (Value, Value) {
    context(&listed(lang, problems))
}

/// Puts `errors` and `problems` into a page context.
pub fn insert(context: &mut Value, (errors, problems): (Value, Value)) {
    if let Some(map) = context.as_object_mut() {
        map.insert("errors".into(), errors);
        map.insert("problems".into(), problems);
    }
}

/// An account page with a form (`pages/join`, `pages/setup`) in the console's language:
/// `context` plus the language, the title (message `title`), the password's minimum length
/// and the problems of a refused form (`problems`, empty when none).
pub fn form_page(
    req: &HttpRequest,
    status: StatusCode,
    template: &str,
    title: &str,
    mut context: Value,
    problems: &[(&'static str, String)],
) -> Result<HttpResponse, PageError> {
    if let Some(map) = context.as_object_mut() {
        map.insert("min".into(), json!(MIN_PASSWORD_CHARS));
    }
    insert(&mut context, self::context(problems));
    titled_page(status, template, console_language_of(req), title, context)
}

/// The hash of a new password, computed off the async executor (it is slow on purpose).
pub async fn hashed(password: String) -> Result<String, PageError> {
    Ok(web::block(move || accounts::hash_password(&password))
        .await
        .map_err(AppError::internal)??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_present_and_the_first_message_of_a_field_wins() {
        let (errors, problems) = of("en", &[Problem::PasswordTooShort, Problem::PasswordsDiffer]);
        assert_eq!(errors.as_array().unwrap().len(), 2);
        assert_eq!(errors[0]["field"], "password");
        assert!(
            problems["password"].as_str().unwrap().contains("12"),
            "{problems}"
        );
        assert_eq!(problems["email"], "");
        assert_eq!(problems["confirm"], "The two passwords are not the same.");
    }
}
