//! HTTP as a browser without JavaScript speaks it: forms, files, redirects, and page text.

use reqwest::multipart::Part;

use crate::support::app::TestApp;

/// A form posted without a session.
pub async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client.post(app.url(path)).form(form).send().await.unwrap()
}

/// The CSRF token in a page's first form.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..start + 64].to_string()
}

/// A file field of a multipart form.
pub fn file_part(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

/// The text of a page as a reader sees it (handlebars escapes backticks and quotes).
pub fn unescape(html: &str) -> String {
    html.replace("&#x60;", "`")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x3D;", "=")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_string()
}

/// The named inputs, checked boxes and radios, selected options and textareas of a page.
pub fn form_fields(page: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    let mut fields = Vec::new();
    for tag in page.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        if let Some(rest) = tag.strip_prefix("input ") {
            let rest = &format!(" {rest}");
            let (Some(name), kind) = (attr(rest, "name"), attr(rest, "type").unwrap_or_default()) else {
                continue;
            };
            let checkable = kind == "checkbox" || kind == "radio";
            if !checkable || rest.contains(" checked") {
                fields.push((name, attr(rest, "value").unwrap_or_else(|| "on".into())));
            }
        }
    }
    for (name, open) in [("select", "<select "), ("textarea", "<textarea ")] {
        for part in page.split(open).skip(1) {
            let tag = part.split('>').next().unwrap_or("");
            let Some(field) = attr(&format!(" {tag}"), "name") else {
                continue;
            };
            let value = if name == "select" {
                part.split("<option ")
                    .find(|o| o.contains(" selected"))
                    .and_then(|o| attr(&format!(" {o}"), "value"))
                    .unwrap_or_default()
            } else {
                part.split_once('>')
                    .map(|(_, v)| v.split("</textarea>").next().unwrap_or("").to_string())
                    .unwrap_or_default()
            };
            fields.push((field, value));
        }
    }
    fields
}
