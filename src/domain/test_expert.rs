//! Test experts: people a facilitator invites to rehearse the questionnaire (themself,
//! colleagues). They answer through real personal links, but nothing they answer is ever
//! counted, and their pseudonyms (T001, T002, …) say so wherever they appear.

use super::account::{self, Problem};
use super::panel_file::EmailAddress;

/// `T001`: distinct from the panel's `E001`, so a test expert is recognisable at a glance.
pub fn pseudonym(n: i64) -> String {
    format!("T{n:03}")
}

/// The number of a test expert's pseudonym (`T012` → 12); None for anything else, so a
/// pseudonym read from a request can be shown once it passes.
pub fn number(pseudonym: &str) -> Option<i64> {
    let digits = pseudonym.strip_prefix('T')?;
    if digits.len() < 3 || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A test expert as the facilitator typed them in, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTestExpert {
    pub email: EmailAddress,
    pub name: String,
}

/// The typed email and name, or every problem with them at once. The email must be one the
/// panel file would take, since the test expert's invitation goes out like a panel member's.
pub fn check(email: &str, name: &str) -> Result<NewTestExpert, Vec<Problem>> {
    let mut problems = Vec::new();
    let email = match account::check_email(email) {
        Err(problem) => {
            problems.push(problem);
            None
        }
        Ok(_) => match EmailAddress::parse(email) {
            Ok(address) => Some(address),
            Err(_) => {
                problems.push(Problem::EmailInvalid);
                None
            }
        },
    };
    let name = match account::check_name(name) {
        Ok(name) => Some(name.to_string()),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    match (email, name) {
        (Some(email), Some(name)) if problems.is_empty() => Ok(NewTestExpert { email, name }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_read_back_and_nothing_else_does() {
        for n in [1, 42, 999, 1234] {
            assert_eq!(number(&pseudonym(n)), Some(n));
        }
        assert_eq!(pseudonym(7), "T007");
        for other in [
            "E001",
            "T",
            "T01",
            "T00a",
            "t001",
            "T001 ",
            "<T001>",
            "T1234567890",
        ] {
            assert_eq!(number(other), None, "{other}");
        }
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        assert_eq!(
            check("", "  "),
            Err(vec![Problem::EmailMissing, Problem::NameMissing])
        );
        assert_eq!(check("ada@", "Ada"), Err(vec![Problem::EmailInvalid]));
        // The panel's rule: the domain needs a dot.
        assert_eq!(check("ada@localhost", "Ada"), Err(vec![Problem::EmailInvalid]));
        assert_eq!(
            check("ada@example.org", &"x".repeat(account::MAX_NAME_CHARS + 1)),
            Err(vec![Problem::NameTooLong])
        );
        let ok = check(" Ada@Example.ORG ", " Ada Lovelace ").unwrap();
        assert_eq!(ok.email.as_str(), "Ada@example.org");
        assert_eq!(ok.name, "Ada Lovelace");
    }
}
