//! The little Markdown study texts use — paragraphs, line breaks, `**strong**`, `*emphasis*` —
//! with everything else escaped: a study file can never inject markup into a page. At the crate
//! root because web pages and the exported report (`export`, which may not use `web`) both
//! render it.

/// `text` as HTML.
pub fn markdown(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        let lines: Vec<&str> = paragraph.lines().map(str::trim).collect();
        out.push_str(&inline(&lines.join("\n")).replace('\n', "<br>"));
        out.push_str("</p>");
    }
    out
}

fn inline(text: &str) -> String {
    let escaped = handlebars::html_escape(text);
    let strong = emphasis(&escaped, "**", "strong");
    emphasis(&strong, "*", "em")
}

/// Replaces balanced `marker`…`marker` pairs; an unpaired marker stays as text.
fn emphasis(text: &str, marker: &str, tag: &str) -> String {
    let parts: Vec<&str> = text.split(marker).collect();
    if parts.len() < 3 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let pairs = (parts.len() - 1) / 2;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let opening = i % 2 == 1;
            if i.div_ceil(2) <= pairs {
                out.push_str(if opening { "<" } else { "</" });
                out.push_str(tag);
                out.push('>');
            } else {
                out.push_str(marker);
            }
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn markdown_is_small_and_safe() {
        assert_eq!(
            markdown("Hello **world** and *you*.\n\n<script>x</script>"),
            "<p>Hello <strong>world</strong> and <em>you</em>.</p><p>&lt;script&gt;x&lt;/script&gt;</p>"
        );
        assert_eq!(markdown("a * b"), "<p>a * b</p>");
        assert_eq!(markdown("line\none"), "<p>line<br>one</p>");
    }
}
