//! A facilitator's role in one study.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A facilitator's role in one study; later variants include the rights of earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees the study and its results.
    Viewer,
    /// Also changes items and panel, and runs rounds.
    Editor,
    /// Also grants roles.
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    /// Whether this role allows what `needed` allows.
    pub fn includes(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "owner" => Ok(Role::Owner),
            "editor" => Ok(Role::Editor),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!("{other:?} is not a role; use owner, editor or viewer")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Owner.includes(Role::Editor));
        assert!(Role::Editor.includes(Role::Editor));
        assert!(!Role::Viewer.includes(Role::Editor));
        assert_eq!("editor".parse::<Role>(), Ok(Role::Editor));
        assert!("admin"
            .parse::<Role>()
            .unwrap_err()
            .contains("owner, editor or viewer"));
    }
}
