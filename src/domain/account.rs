//! Facilitator accounts as people fill them in: the rules for an email, a name and a new
//! password, checked all at once so that a form can list every problem in one answer.

use crate::domain::named::named;

/// Shorter passwords are refused: length is what makes a password hard to guess.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer ones too: argon2 would happily hash a megabyte, which is a cheap way to burn our CPU.
pub const MAX_PASSWORD_CHARS: usize = 1024;
/// Names are shown in page headers and the audit log; a paragraph is not a name.
pub const MAX_NAME_CHARS: usize = 200;

named! {
    /// What an emailed link that sets a password is for: a forgotten password, or an
    /// administrator's invitation to join (which also asks for the invitee's name).
    pub enum LinkPurpose {
        Reset = "reset",
        Invitation = "invitation",
    }
}

/// One thing wrong with an account form, tied to the field that has to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    EmailMissing,
    EmailInvalid,
    NameMissing,
    NameTooLong,
    PasswordTooShort,
    PasswordTooLong,
    PasswordsDiffer,
    /// The current password, asked before a change, is wrong.
    CurrentPasswordWrong,
}

impl Problem {
    /// The form field (its `name` and `id`) the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Problem::EmailMissing | Problem::EmailInvalid => "email",
            Problem::NameMissing | Problem::NameTooLong => "name",
            Problem::PasswordTooShort | Problem::PasswordTooLong => "password",
            Problem::PasswordsDiffer => "confirm",
            Problem::CurrentPasswordWrong => "current",
        }
    }

    /// The translation key of the message (`account-problem-…`).
    pub fn key(self) -> &'static str {
        match self {
            Problem::EmailMissing => "account-problem-email-missing",
            Problem::EmailInvalid => "account-problem-email-invalid",
            Problem::NameMissing => "account-problem-name-missing",
            Problem::NameTooLong => "account-problem-name-too-long",
            Problem::PasswordTooShort => "account-problem-password-too-short",
            Problem::PasswordTooLong => "account-problem-password-too-long",
            Problem::PasswordsDiffer => "account-problem-passwords-differ",
            Problem::CurrentPasswordWrong => "account-problem-current-wrong",
        }
    }
}

/// The email as stored and looked up: trimmed and lowercased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The normalised email, or why it is not one. Deliberately loose (one `@`, something either
/// side, no spaces): the invitation email is the real test of an address.
pub fn check_email(email: &str) -> Result<String, Problem> {
    let email = normalise_email(email);
    if email.is_empty() {
        return Err(Problem::EmailMissing);
    }
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if valid {
        Ok(email)
    } else {
        Err(Problem::EmailInvalid)
    }
}

/// The trimmed name, or why it cannot be one.
pub fn check_name(name: &str) -> Result<&str, Problem> {
    let name = name.trim();
    if name.is_empty() {
        Err(Problem::NameMissing)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(Problem::NameTooLong)
    } else {
        Ok(name)
    }
}

/// The length policy alone; counts characters, not bytes.
pub fn check_password(password: &str) -> Result<(), Problem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(Problem::PasswordTooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(Problem::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// A new password typed twice: every problem with it.
pub fn check_new_password(password: &str, confirm: &str) -> Vec<Problem> {
    let mut problems: Vec<Problem> = check_password(password).err().into_iter().collect();
    if password != confirm {
        problems.push(Problem::PasswordsDiffer);
    }
    problems
}

/// A whole new account (the set-up form, the invitation's join form without the email):
/// every problem, in the order of the fields.
pub fn check_new_account(email: Option<&str>, name: &str, password: &str, confirm: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(email) = email {
        problems.extend(check_email(email).err());
    }
    problems.extend(check_name(name).err());
    problems.extend(check_new_password(password, confirm));
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_normalised() {
        assert_eq!(check_email("  Ada@Example.ORG ").unwrap(), "ada@example.org");
        assert!(check_email("ada@localhost").is_ok());
        assert_eq!(check_email("  "), Err(Problem::EmailMissing));
        for bad in ["ada", "ada@", "@example.org", "a b@example.org", "a@b@c"] {
            assert_eq!(check_email(bad), Err(Problem::EmailInvalid), "{bad}");
        }
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert_eq!(check_password("ééééééééééé"), Err(Problem::PasswordTooShort));
        assert_eq!(check_password("éééééééééééé"), Ok(()));
        assert_eq!(
            check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)),
            Err(Problem::PasswordTooLong)
        );
    }

    #[test]
    fn every_problem_of_a_form_is_listed_at_once() {
        let problems = check_new_account(Some("nope"), " ", "short", "shorter");
        assert_eq!(
            problems,
            vec![
                Problem::EmailInvalid,
                Problem::NameMissing,
                Problem::PasswordTooShort,
                Problem::PasswordsDiffer
            ]
        );
        let fields: Vec<&str> = problems.iter().map(|p| p.field()).collect();
        assert_eq!(fields, ["email", "name", "password", "confirm"]);
        assert!(check_new_account(None, "Ada", "correct horse battery", "correct horse battery").is_empty());
        assert_eq!(
            check_name(&"n".repeat(MAX_NAME_CHARS + 1)),
            Err(Problem::NameTooLong)
        );
    }
}
