//! What a rule set means, as deterministic JSON and its hash: stored with each round so that
//! results can always be traced to the exact rules they were computed under.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::condition::Condition;
use super::model::{Rule, RuleSet};

impl Rule {
    fn canonical(&self) -> Value {
        // Keys inserted in sorted order so the output is the same whether serde_json's map
        // keeps insertion order (feature `preserve_order`) or sorts.
        let mut map = Map::new();
        map.insert("groups".into(), Value::from(self.groups.as_str()));
        map.insert("in".into(), canonical_list(&self.in_));
        map.insert("out".into(), canonical_list(&self.out));
        map.insert("quantiles".into(), Value::from(self.quantiles.number()));
        map.insert("unable".into(), Value::from(self.unable.as_str()));
        Value::Object(map)
    }
}

/// A list is a conjunction, so its order and repetitions carry no meaning.
fn canonical_list(list: &[Condition]) -> Value {
    let mut rendered: Vec<(String, Value)> = list
        .iter()
        .map(|c| {
            let value = c.canonical();
            (value.to_string(), value)
        })
        .collect();
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    rendered.dedup_by(|a, b| a.0 == b.0);
    Value::Array(rendered.into_iter().map(|(_, v)| v).collect())
}

impl RuleSet {
    /// Deterministic JSON of what the rules mean: expanded condition lists (sorted, since order
    /// within a list is meaningless), modifiers and alternative names. Preset names are left
    /// out, so `preset = "comet"` and its written-out lists hash alike.
    pub fn canonical_json(&self) -> String {
        let mut alternatives = Map::new();
        let mut sorted: Vec<&(String, Rule)> = self.alternatives.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, rule) in sorted {
            alternatives.insert(name.clone(), rule.canonical());
        }
        let mut map = Map::new();
        map.insert("alternatives".into(), Value::Object(alternatives));
        map.insert("format".into(), Value::from("delphi.consensus-rules.v1"));
        map.insert("primary".into(), self.primary.canonical());
        Value::Object(map).to_string()
    }

    /// Lowercase hex SHA-256 of [`RuleSet::canonical_json`].
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical_json().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::condition::Op;
    use super::super::testing::{compile, lists, median_iqr, nine, preset, share};
    use crate::domain::spec::ConsensusSpec;

    #[test]
    fn same_meaning_same_hash() {
        let from_preset = compile(&preset("comet"), &nine());
        let written_out = compile(
            &lists(
                vec![share(1, 3, Op::Below, 15.0), share(7, 9, Op::AtLeast, 70.0)],
                vec![share(7, 9, Op::Below, 15.0), share(1, 3, Op::AtLeast, 70.0)],
            ),
            &nine(),
        );
        assert_eq!(from_preset.canonical_json(), written_out.canonical_json());
        assert_eq!(from_preset.hash(), written_out.hash());
        let hash = from_preset.hash();
        assert_eq!(hash.len(), 64);
        assert!(hash
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));

        let stricter = compile(
            &lists(
                vec![share(1, 3, Op::Below, 15.0), share(7, 9, Op::AtLeast, 75.0)],
                vec![share(7, 9, Op::Below, 15.0), share(1, 3, Op::AtLeast, 70.0)],
            ),
            &nine(),
        );
        assert_ne!(stricter.hash(), hash);
        let six = compile(
            &ConsensusSpec {
                quantiles: Some(6),
                ..preset("comet")
            },
            &nine(),
        );
        assert_ne!(six.hash(), hash);
        let explicit_defaults = compile(
            &ConsensusSpec {
                quantiles: Some(7),
                unable: Some("exclude".into()),
                groups: Some("pooled".into()),
                ..preset("comet")
            },
            &nine(),
        );
        assert_eq!(explicit_defaults.hash(), hash);
        let mut named = preset("comet");
        named.alternatives.insert("x".into(), median_iqr());
        assert_ne!(compile(&named, &nine()).hash(), hash);
    }

    #[test]
    fn canonical_json_is_pinned() {
        // Stored hashes depend on this exact text: changing it needs a new `format` version.
        let rules = compile(&preset("comet"), &nine());
        assert_eq!(
            rules.canonical_json(),
            concat!(
                r#"{"alternatives":{},"format":"delphi.consensus-rules.v1","primary":{"#,
                r#""groups":"pooled","#,
                r#""in":[{"at_least":70.0,"share":[7,9],"with_unable":false},"#,
                r#"{"below":15.0,"share":[1,3],"with_unable":false}],"#,
                r#""out":[{"at_least":70.0,"share":[1,3],"with_unable":false},"#,
                r#"{"below":15.0,"share":[7,9],"with_unable":false}],"#,
                r#""quantiles":7,"unable":"exclude"}}"#
            )
        );
    }
}
