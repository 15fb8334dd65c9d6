//! Files a test reads back: CSV by header, zip archives by entry.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// A CSV text's header and its rows, each by column name.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header.iter().cloned().zip(r.iter().map(str::to_string)).collect()
        })
        .collect();
    (header, rows)
}

/// A CSV file's rows, each by column name.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    parse_csv(&read(path)).1
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every entry of a zip archive, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        entries.insert(entry.name().to_string(), content);
    }
    entries
}

/// Every file of `slug`'s data package, downloaded by a signed-in `session`, by name.
pub async fn package(
    session: &crate::support::sign_in::Session<'_>,
    slug: &str,
) -> BTreeMap<String, Vec<u8>> {
    let response = session
        .get(&format!("/console/s/{slug}/export/package.zip"))
        .await;
    assert_eq!(response.status(), 200, "the data package of {slug}");
    unzip(&response.bytes().await.unwrap())
}

/// One cell of an XLSX sheet as the file stores it, read from the XML without a spreadsheet
/// library, so that a test sees what a spreadsheet would: a number cell or a string, and the
/// number format that shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct XlsxCell {
    /// Zero-based row and column.
    pub row: u32,
    pub col: u32,
    pub value: XlsxValue,
    /// The cell's number format code (`General` when it has none).
    pub format: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum XlsxValue {
    /// Stored as written in the XML, so a test can see every digit.
    Number(String),
    Text(String),
    Bool(bool),
}

/// Every sheet of a workbook by name, in order, with its cells.
pub fn xlsx_sheets(bytes: &[u8]) -> Vec<(String, Vec<XlsxCell>)> {
    let parts = unzip(bytes);
    let text = |name: &str| String::from_utf8(parts.get(name).cloned().unwrap_or_default()).unwrap();
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(xml_unescape(&tag[start..end]))
    };
    let tags = |xml: &str, name: &str| -> Vec<(String, String)> {
        // (opening tag, content up to the closing tag or "" for an empty element)
        let mut found = Vec::new();
        let open = format!("<{name}");
        let mut rest = xml;
        while let Some(at) = rest.find(&open) {
            rest = &rest[at..];
            let next = rest.as_bytes().get(open.len()).copied();
            if !matches!(next, Some(b' ' | b'>' | b'/')) {
                rest = &rest[open.len()..];
                continue;
            }
            let end_of_tag = rest.find('>').unwrap() + 1;
            let tag = rest[..end_of_tag].to_string();
            if tag.ends_with("/>") {
                found.push((tag, String::new()));
                rest = &rest[end_of_tag..];
            } else {
                let close = format!("</{name}>");
                let end = rest.find(&close).unwrap();
                found.push((tag, rest[end_of_tag..end].to_string()));
                rest = &rest[end + close.len()..];
            }
        }
        found
    };
    let styles = text("xl/styles.xml");
    let mut codes: BTreeMap<u32, String> = [(0, "General"), (1, "0"), (2, "0.00"), (9, "0%"), (10, "0.00%")]
        .into_iter()
        .map(|(id, code)| (id, code.to_string()))
        .collect();
    for (tag, _) in tags(&styles, "numFmt") {
        codes.insert(
            attribute(&tag, "numFmtId").unwrap().parse().unwrap(),
            attribute(&tag, "formatCode").unwrap(),
        );
    }
    let (_, cell_xfs) = tags(&styles, "cellXfs").into_iter().next().unwrap();
    let formats: Vec<String> = tags(&cell_xfs, "xf")
        .iter()
        .map(|(tag, _)| {
            let id: u32 = attribute(tag, "numFmtId")
                .unwrap_or_default()
                .parse()
                .unwrap_or(0);
            codes.get(&id).cloned().unwrap_or_else(|| format!("builtin {id}"))
        })
        .collect();
    let shared: Vec<String> = tags(&text("xl/sharedStrings.xml"), "si")
        .iter()
        .map(|(_, content)| {
            tags(content, "t")
                .iter()
                .map(|(_, t)| xml_unescape(t))
                .collect::<String>()
        })
        .collect();
    let names: Vec<String> = tags(&text("xl/workbook.xml"), "sheet")
        .iter()
        .map(|(tag, _)| attribute(tag, "name").unwrap())
        .collect();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let xml = text(&format!("xl/worksheets/sheet{}.xml", i + 1));
            let cells = tags(&xml, "c")
                .into_iter()
                .filter_map(|(tag, content)| {
                    let reference = attribute(&tag, "r").unwrap();
                    let letters: String = reference.chars().take_while(char::is_ascii_uppercase).collect();
                    let col = letters
                        .bytes()
                        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
                        - 1;
                    let row = reference[letters.len()..].parse::<u32>().unwrap() - 1;
                    let style: usize = attribute(&tag, "s").map_or(0, |s| s.parse().unwrap());
                    let v = tags(&content, "v").into_iter().next().map(|(_, v)| v);
                    let value = match attribute(&tag, "t").as_deref() {
                        Some("s") => XlsxValue::Text(shared[v?.parse::<usize>().unwrap()].clone()),
                        Some("inlineStr") | Some("str") => XlsxValue::Text(
                            tags(&content, "t").iter().map(|(_, t)| xml_unescape(t)).collect(),
                        ),
                        Some("b") => XlsxValue::Bool(v? == "1"),
                        _ => XlsxValue::Number(v?),
                    };
                    Some(XlsxCell {
                        row,
                        col,
                        value,
                        format: formats[style].clone(),
                    })
                })
                .collect();
            (name, cells)
        })
        .collect()
}

fn xml_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
