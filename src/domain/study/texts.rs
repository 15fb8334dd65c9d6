//! A study's own texts in its other languages: title, welcome text, scale words, section titles and group names (`[translations.LANG]` of the study file). Items carry their
//! translations themselves. A text missing in a language shows in the study's main language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::StudyFile;

/// One language's translations of the study's texts; every part may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Markdown, as the main language's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Scale point (written as text, as in `[scale] labels`) → words.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scale_labels: BTreeMap<String, String>,
    /// Section key → title.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, String>,
    /// Group key → name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, String>,
    /// `[ideas] prompt` in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ideas_prompt: Option<String>,
}

impl StudyTexts {
    pub fn is_empty(&self) -> bool {
        *self == StudyTexts::default()
    }
}

/// The study's texts as a reader of one language sees them.
pub struct TextsIn<'a> {
    file: &'a StudyFile,
    texts: Option<&'a StudyTexts>,
}

impl StudyFile {
    /// The texts for a reader of `lang` (`fr-CA` reads `fr`); the main language's where there
    /// is no translation.
    pub fn texts_in(&self, lang: &str) -> TextsIn<'_> {
        let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let texts = self.translations.get(lang).or_else(|| {
            self.translations
                .iter()
                .find(|(l, _)| primary(l) == primary(lang))
                .map(|(_, t)| t)
        });
        TextsIn { file: self, texts }
    }
}

fn non_empty(text: Option<&String>) -> Option<&str> {
    text.map(String::as_str).filter(|t| !t.trim().is_empty())
}

impl<'a> TextsIn<'a> {
    pub fn title(&self) -> &'a str {
        non_empty(self.texts.and_then(|t| t.title.as_ref())).unwrap_or(&self.file.title)
    }

    pub fn description(&self) -> &'a str {
        non_empty(self.texts.and_then(|t| t.description.as_ref())).unwrap_or(&self.file.description)
    }

    /// The words of scale point `point`, if it has any.
    pub fn scale_label(&self, point: i32) -> Option<&'a str> {
        let key = point.to_string();
        non_empty(self.texts.and_then(|t| t.scale_labels.get(&key)))
            .or_else(|| self.file.scale.labels.get(&key).map(String::as_str))
    }

    /// A band's name in this reader's language, when there is one. Bands have no translations
    /// of their own, but their names are usually the words of one of their points ("Critical"
    /// for 7–9, the words of 9): that point's translated words are then the band's name.
    pub fn band_name(&self, band: &crate::domain::scale::Band) -> Option<&'a str> {
        let texts = self.texts?;
        (band.from..=band.to).find_map(|point| {
            let key = point.to_string();
            (self.file.scale.labels.get(&key) == Some(&band.name))
                .then(|| non_empty(texts.scale_labels.get(&key)))
                .flatten()
        })
    }

    /// The `[ideas]` prompt, when the study has one.
    pub fn ideas_prompt(&self) -> Option<&'a str> {
        let main = self.file.ideas.as_ref()?;
        Some(non_empty(self.texts.and_then(|t| t.ideas_prompt.as_ref())).unwrap_or(&main.prompt))
    }

    pub fn section<'b>(&self, key: &str, main: &'b str) -> &'b str
    where
        'a: 'b,
    {
        non_empty(self.texts.and_then(|t| t.sections.get(key))).unwrap_or(main)
    }

    pub fn group<'b>(&self, key: &str, main: &'b str) -> &'b str
    where
        'a: 'b,
    {
        non_empty(self.texts.and_then(|t| t.groups.get(key))).unwrap_or(main)
    }
}
