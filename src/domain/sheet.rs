//! Tables as the items, panel and responses files come: CSV text or the first sheet of an XLSX
//! workbook, read into trimmed rows with the line each came from, and a header mapped to the
//! columns a file kind knows.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

use super::file_error::{or_list, FileError, FileErrors};

/// One non-blank row of a table, with trimmed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SheetRow {
    /// 1-based line of a CSV file where the record starts, or the spreadsheet's row number.
    pub line: u64,
    pub cells: Vec<String>,
}

/// The rows of a file of fixed columns that parsed, keeping the file's name so that the checks
/// against the study can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRows<R> {
    pub file: String,
    pub rows: Vec<R>,
}

/// A table read from a file: its header, the rows that could be read, and the problems of the
/// rows that could not (which are left out of `rows`, as their cells cannot be trusted).
#[derive(Debug, Clone)]
pub(super) struct Sheet {
    pub header: SheetRow,
    pub rows: Vec<SheetRow>,
    pub errors: FileErrors,
}

impl Sheet {
    /// A table typed into a form rather than read from a file: the columns `header` names, and
    /// rows that keep the line they were typed on.
    pub(super) fn typed(header: &[&str], rows: Vec<SheetRow>) -> Sheet {
        Sheet {
            header: SheetRow {
                line: 0,
                cells: header.iter().map(|name| (*name).to_owned()).collect(),
            },
            rows,
            errors: FileErrors::new(),
        }
    }

    /// Maps the header to column kinds (see [`map_header`]). `None` when it cannot be mapped,
    /// which ends the reading: the header's problems are then added to the rows'.
    pub(super) fn columns<K: Clone + PartialEq>(
        &mut self,
        file: &str,
        classify: impl Fn(&str) -> Result<K, String>,
        required: &[K],
        name_of: impl Fn(&K) -> String,
    ) -> Option<Columns<K>> {
        match map_header(file, &self.header, classify, required, name_of) {
            Ok(columns) => Some(columns),
            Err(header_errors) => {
                self.errors.extend(header_errors);
                None
            }
        }
    }
}

/// The fixed columns of a kind of table (the panel file, the responses file).
pub(super) trait Column: Copy + PartialEq + 'static {
    /// Every column, as an unknown header cell is told them.
    const ALL: &'static [Self];
    /// The columns a header must have, which is also what an empty file is told to start with.
    const REQUIRED: &'static [Self];

    fn name(self) -> &'static str;
}

/// Declares an enum of the fixed columns of a kind of table and its `Column` impl, each column
/// named once with its header text; `required` before a column marks it as one the header
/// must have. Every entry ends with a comma.
macro_rules! columns {
    (enum $name:ident { $($entries:tt)* }) => {
        $crate::domain::sheet::columns!(@entry $name [] [] $($entries)*);
    };
    (@entry $name:ident [$($all:tt)*] [$($req:tt)*] required $variant:ident = $text:literal, $($rest:tt)*) => {
        $crate::domain::sheet::columns!(@entry $name [$($all)* $variant = $text,] [$($req)* $variant,] $($rest)*);
    };
    (@entry $name:ident [$($all:tt)*] [$($req:tt)*] $variant:ident = $text:literal, $($rest:tt)*) => {
        $crate::domain::sheet::columns!(@entry $name [$($all)* $variant = $text,] [$($req)*] $($rest)*);
    };
    (@entry $name:ident [$($variant:ident = $text:literal,)*] [$($required:ident,)*]) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum $name {
            $($variant),*
        }

        impl $crate::domain::sheet::Column for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),*];
            const REQUIRED: &'static [Self] = &[$(Self::$required),*];

            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),*
                }
            }
        }
    };
}

pub(super) use columns;

/// The header an empty file of columns `C` is told to start with: the required columns.
pub(super) fn required_header<C: Column>() -> String {
    C::REQUIRED.iter().map(|c| c.name()).collect::<Vec<_>>().join(",")
}

/// Reads a CSV file of fixed columns, handing each row's cells to `read` in file order, and
/// returns every problem found: the rows' (values under an empty header first), or what ended
/// the reading (an empty file, a header that cannot be mapped).
pub(super) fn read_csv_rows<C: Column>(
    file: &str,
    content: &str,
    read: impl FnMut(&mut Cells<'_, C>),
) -> FileErrors {
    match read_csv(file, content, &required_header::<C>()) {
        Ok(sheet) => read_rows(file, sheet, read),
        Err(errors) => errors,
    }
}

/// `read_csv_rows` for a table already read: a CSV file, a workbook's first sheet, or lines
/// typed into a form (`Sheet::typed`).
pub(super) fn read_rows<C: Column>(
    file: &str,
    mut sheet: Sheet,
    mut read: impl FnMut(&mut Cells<'_, C>),
) -> FileErrors {
    let all: Vec<&str> = C::ALL.iter().map(|c| c.name()).collect();
    let expected = or_list(&all);
    let classify = |name: &str| {
        C::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name)
            .ok_or_else(|| format!("unknown column (expected {expected})"))
    };
    let Some(columns) = sheet.columns(file, classify, C::REQUIRED, |c| c.name().to_owned()) else {
        return sheet.errors;
    };
    let Sheet { rows, mut errors, .. } = sheet;
    for row in &rows {
        errors.extend(columns.unheaded_values(file, row));
        read(&mut Cells {
            file,
            row,
            columns: &columns,
            errors: &mut errors,
        });
    }
    errors
}

/// One row of a table of fixed columns: its cells, and its problems, which are named by line
/// and column and go to the file's list.
pub(super) struct Cells<'a, C> {
    file: &'a str,
    row: &'a SheetRow,
    columns: &'a Columns<C>,
    errors: &'a mut FileErrors,
}

impl<'a, C: Column> Cells<'a, C> {
    pub(super) fn line(&self) -> u64 {
        self.row.line
    }

    /// The trimmed cell under `column`, or "" if the file has no such column.
    pub(super) fn get(&self, column: C) -> &'a str {
        self.columns.value(self.row, &column)
    }

    /// Whether the file has a column `column` (an optional one may be left out).
    pub(super) fn has(&self, column: C) -> bool {
        self.columns.has(&column)
    }

    /// The cell under `column`, which must not be empty.
    pub(super) fn required(&mut self, column: C) -> Option<&'a str> {
        let text = self.get(column);
        if text.is_empty() {
            self.problem(column, "must not be empty");
            return None;
        }
        Some(text)
    }

    pub(super) fn problem(&mut self, column: C, reason: impl Into<String>) {
        self.errors
            .push(FileError::field(self.file, self.row.line, column.name(), reason));
    }

    /// A problem of the row as a whole.
    pub(super) fn row_problem(&mut self, reason: impl Into<String>) {
        self.errors
            .push(FileError::line(self.file, self.row.line, reason));
    }
}

/// The line each key of a file (an expert's address, an expert's answer to an item) was first
/// seen on, so that a row repeating a key is refused with the line it repeats.
pub(super) struct FirstLines<K>(BTreeMap<K, u64>);

impl<K> Default for FirstLines<K> {
    fn default() -> Self {
        FirstLines(BTreeMap::new())
    }
}

impl<K: Ord + Clone> FirstLines<K> {
    /// The line `key` was first seen on; `None` when it is new, and `line` is noted as its first.
    pub(super) fn repeats(&mut self, key: &K, line: u64) -> Option<u64> {
        if let Some(&first) = self.0.get(key) {
            return Some(first);
        }
        self.0.insert(key.clone(), line);
        None
    }
}

/// An uploaded file as UTF-8 text, or an error naming the line where it stops being UTF-8.
pub fn utf8_text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, FileErrors> {
    std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
        FileError::line(file, line, "is not valid UTF-8 text (save the file as UTF-8)").into()
    })
}

/// Reads a CSV file. A UTF-8 byte-order mark (as Excel writes) is ignored, quoted fields may hold
/// commas and line breaks, LF and CRLF line ends are both accepted, and blank rows are skipped.
/// `expected_header` is only used to say what an empty file should have held.
pub(super) fn read_csv(file: &str, content: &str, expected_header: &str) -> Result<Sheet, FileErrors> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // Ragged rows are reported below with their line, rather than as the reader's first error.
        .flexible(true)
        .from_reader(content.as_bytes());
    let mut header: Option<SheetRow> = None;
    let mut rows = Vec::new();
    let mut errors = FileErrors::new();
    let mut lines = LineCounter::new(content);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                errors.push(FileError::line(file, line, format!("unreadable CSV: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let row = SheetRow { line, cells };
        match &header {
            None => header = Some(row),
            Some(h) if h.cells.len() != row.cells.len() => errors.push(FileError::line(
                file,
                line,
                format!(
                    "expected {} fields as in the header, found {} (is a comma or a quote \
                     missing or extra?)",
                    h.cells.len(),
                    row.cells.len()
                ),
            )),
            Some(_) => rows.push(row),
        }
    }
    finish_sheet(file, header, rows, errors, expected_header)
}

/// The 1-based line of the record starting at byte `offset`. The csv reader's own line count
/// is off by one after each CRLF (it starts the next record on the `\n`), so lines are counted
/// here: past the line ends a record starts on, then LF, CRLF and lone CR each end a line.
/// Records arrive in file order, so counting resumes where the previous record left off: a
/// file of 600,000 answers is read in one pass, not 600,000.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Bytes before `scanned` have been counted; `ends` line ends lie before it.
    scanned: usize,
    ends: u64,
}

impl<'a> LineCounter<'a> {
    fn new(content: &'a str) -> Self {
        LineCounter {
            bytes: content.as_bytes(),
            scanned: 0,
            ends: 0,
        }
    }

    fn line_at(&mut self, offset: u64) -> u64 {
        let bytes = self.bytes;
        let mut start = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.scanned {
            // Never happens for records in order; recount from the beginning to stay correct.
            self.scanned = 0;
            self.ends = 0;
        }
        let before = &bytes[..start];
        for (i, &b) in before.iter().enumerate().skip(self.scanned) {
            if b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')) {
                self.ends += 1;
            }
        }
        self.scanned = start;
        self.ends + 1
    }
}

/// The first sheet's cells, as calamine reads them.
fn first_sheet(file: &str, content: &[u8]) -> Result<Range<Data>, FileError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(content))
        .map_err(|e| FileError::whole(file, format!("is not a readable .xlsx workbook: {e}")))?;
    match workbook.worksheet_range_at(0) {
        None => Err(FileError::whole(file, "the workbook has no sheet")),
        Some(Err(e)) => Err(FileError::whole(
            file,
            format!("cannot read the first sheet: {e}"),
        )),
        Some(Ok(range)) => Ok(range),
    }
}

/// Reads the first sheet of an XLSX workbook. Numbers are read back as written (`12`, not
/// `12.0`); dates and formula errors are refused, since a code or score Excel turned into a
/// date would otherwise be imported silently changed.
pub(super) fn read_xlsx(file: &str, content: &[u8], expected_header: &str) -> Result<Sheet, FileErrors> {
    // calamine panics on some malformed workbooks (found by fuzzing: an integer overflow while
    // reading an absurd cell reference, with overflow checks on as in debug builds). A workbook
    // the reader cannot get through is a bad file, reported as such, not a crash.
    let read = std::panic::catch_unwind(|| first_sheet(file, content)).unwrap_or_else(|_| {
        Err(FileError::whole(
            file,
            "is not a readable .xlsx workbook: its cells could not be read",
        ))
    });
    let range = read?;
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let mut header: Option<SheetRow> = None;
    let mut rows = Vec::new();
    let mut errors = FileErrors::new();
    for (index, cells) in range.rows().enumerate() {
        let line = first_row + index as u64 + 1;
        let mut texts = Vec::with_capacity(cells.len());
        let mut row_ok = true;
        for (column, cell) in cells.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => texts.push(text),
                Err(reason) => {
                    row_ok = false;
                    let field = header
                        .as_ref()
                        .and_then(|h| h.cells.get(column))
                        .filter(|name| !name.is_empty())
                        .map_or_else(|| format!("column {}", column + 1), |n| n.to_lowercase());
                    errors.push(FileError::field(file, line, field, reason));
                    texts.push(String::new());
                }
            }
        }
        if row_ok && texts.iter().all(String::is_empty) {
            continue;
        }
        let row = SheetRow { line, cells: texts };
        if header.is_none() {
            header = Some(row);
        } else if row_ok {
            rows.push(row);
        }
    }
    finish_sheet(file, header, rows, errors, expected_header)
}

fn cell_text(cell: &Data) -> Result<String, String> {
    match cell {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.trim().to_owned()),
        Data::Int(i) => Ok(i.to_string()),
        // `Display` for f64 writes integral values without a fraction, as typed.
        Data::Float(f) => Ok(f.to_string()),
        Data::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err("the cell holds a date or time; format the column as text and retype it".into())
        }
        Data::Error(e) => Err(format!("the cell holds a formula error ({e})")),
    }
}

fn finish_sheet(
    file: &str,
    header: Option<SheetRow>,
    rows: Vec<SheetRow>,
    mut errors: FileErrors,
    expected_header: &str,
) -> Result<Sheet, FileErrors> {
    let Some(header) = header else {
        errors.push(FileError::whole(
            file,
            format!("the file is empty; it needs a header row `{expected_header}` and one row per entry"),
        ));
        return Err(errors);
    };
    if rows.is_empty() && errors.is_empty() {
        return Err(FileError::whole(file, "the file has a header row but no rows below it").into());
    }
    Ok(Sheet { header, rows, errors })
}

/// The meaning of each column of a table; `None` for a column with an empty header.
#[derive(Debug, Clone)]
pub(super) struct Columns<K> {
    pub kinds: Vec<Option<K>>,
}

impl<K: PartialEq> Columns<K> {
    pub(super) fn has(&self, kind: &K) -> bool {
        self.kinds.iter().any(|k| k.as_ref() == Some(kind))
    }

    /// The trimmed cell of `row` in the column of `kind`, or "" if the file has no such column.
    pub(super) fn value<'r>(&self, row: &'r SheetRow, kind: &K) -> &'r str {
        self.kinds
            .iter()
            .position(|k| k.as_ref() == Some(kind))
            .and_then(|index| row.cells.get(index))
            .map_or("", String::as_str)
    }

    /// Values under an empty header would be dropped without anyone noticing.
    pub(super) fn unheaded_values<'a>(
        &'a self,
        file: &'a str,
        row: &'a SheetRow,
    ) -> impl Iterator<Item = FileError> + 'a {
        self.kinds
            .iter()
            .enumerate()
            .filter(|(index, kind)| kind.is_none() && row.cells.get(*index).is_some_and(|c| !c.is_empty()))
            .map(move |(index, _)| {
                FileError::field(
                    file,
                    row.line,
                    format!("column {}", index + 1),
                    "has a value but the column has no header",
                )
            })
    }
}

/// Maps header cells to column kinds. Names are trimmed and compared case-insensitively; an
/// unknown name is an error (so a typo such as `secton` does not silently drop a column), as are
/// a column given twice and a missing required one.
pub(super) fn map_header<K: Clone + PartialEq>(
    file: &str,
    header: &SheetRow,
    classify: impl Fn(&str) -> Result<K, String>,
    required: &[K],
    name_of: impl Fn(&K) -> String,
) -> Result<Columns<K>, FileErrors> {
    let mut errors = FileErrors::new();
    let mut kinds: Vec<Option<K>> = Vec::with_capacity(header.cells.len());
    let names: Vec<String> = header.cells.iter().map(|c| c.trim().to_lowercase()).collect();
    for (index, name) in names.iter().enumerate() {
        if name.is_empty() {
            kinds.push(None);
            continue;
        }
        match classify(name) {
            Ok(kind) => {
                if let Some(first) = kinds.iter().position(|k| k.as_ref() == Some(&kind)) {
                    errors.push(FileError::field(
                        file,
                        header.line,
                        name.clone(),
                        format!(
                            "column `{}` appears twice (columns {} and {})",
                            name_of(&kind),
                            first + 1,
                            index + 1
                        ),
                    ));
                    kinds.push(None);
                } else {
                    kinds.push(Some(kind));
                }
            }
            Err(reason) => {
                errors.push(FileError::field(file, header.line, name.clone(), reason));
                kinds.push(None);
            }
        }
    }
    for kind in required {
        if !kinds.iter().any(|k| k.as_ref() == Some(kind)) {
            errors.push(FileError::line(
                file,
                header.line,
                format!(
                    "missing required column `{}` (the header row has: {})",
                    name_of(kind),
                    names
                        .iter()
                        .filter(|n| !n.is_empty())
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    errors.into_result(Columns { kinds })
}
