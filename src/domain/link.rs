//! The personal links Delphi sends: an expert's questionnaire (`/r/{token}`), their
//! unsubscribe page (`/u/{token}`), a facilitator's password reset (`/password/reset/{token}`)
//! and an invitation to join (`/join/{token}`), all under the public address the server is
//! reached at.

/// The public address links start with (`server.public_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBase(pub String);

/// The paths that carry a personal token, in the order `scrub` looks for them.
const PERSONAL: [&str; 4] = ["/r/", "/u/", "/password/reset/", "/join/"];

impl LinkBase {
    fn base(&self) -> &str {
        self.0.trim_end_matches('/')
    }

    /// An expert's questionnaire.
    pub fn expert_link(&self, token: &str) -> String {
        format!("{}/r/{token}", self.base())
    }

    /// An expert's read-only results page, sent when the study closes.
    pub fn results_link(&self, token: &str) -> String {
        format!("{}/r/{token}/results", self.base())
    }

    /// The page where an expert leaves the study.
    pub fn unsubscribe_link(&self, token: &str) -> String {
        format!("{}/u/{token}", self.base())
    }

    /// A facilitator's password reset.
    pub fn password_reset_link(&self, token: &str) -> String {
        format!("{}/password/reset/{token}", self.base())
    }

    /// An invited facilitator's way in.
    pub fn join_link(&self, token: &str) -> String {
        format!("{}/join/{token}", self.base())
    }

    /// `text` with every personal link replaced by a note: once an email is sent, its tokens
    /// must not sit in the database in clear.
    pub fn scrub(&self, text: &str) -> String {
        let base = self.base();
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        loop {
            let found = PERSONAL
                .iter()
                .filter_map(|p| rest.find(&format!("{base}{p}")).map(|i| (i, p.len())))
                .min();
            let Some((start, plen)) = found else {
                out.push_str(rest);
                return out;
            };
            let token_start = start + base.len() + plen;
            let token_len = rest[token_start..]
                .bytes()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            out.push_str(&rest[..start]);
            if token_len == 64 {
                out.push_str("[personal link removed after sending]");
            } else {
                out.push_str(&rest[start..token_start + token_len]);
            }
            rest = &rest[token_start + token_len..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LinkBase;

    #[test]
    fn links_are_built_under_the_base() {
        let links = LinkBase("https://delphi.example.org/".into());
        assert_eq!(links.expert_link("ab"), "https://delphi.example.org/r/ab");
        assert_eq!(links.unsubscribe_link("ab"), "https://delphi.example.org/u/ab");
        assert_eq!(
            links.password_reset_link("ab"),
            "https://delphi.example.org/password/reset/ab"
        );
        assert_eq!(links.join_link("ab"), "https://delphi.example.org/join/ab");
        assert_eq!(
            links.results_link("ab"),
            "https://delphi.example.org/r/ab/results"
        );
    }

    #[test]
    fn links_are_scrubbed() {
        let token = "ab".repeat(32);
        let text = format!(
            "Open http://x/r/{token} now; stop: http://x/u/{token}; join http://x/join/{token}. Home http://x/r/short"
        );
        let scrubbed = LinkBase("http://x/".into()).scrub(&text);
        assert!(!scrubbed.contains(&token), "{scrubbed}");
        assert!(scrubbed.contains("Open [personal link removed after sending] now"));
        assert!(scrubbed.ends_with("Home http://x/r/short"));
    }
}
