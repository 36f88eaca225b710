//! Contacts as CSV (with the `csv` crate): the export, and the import's dry run and
//! confirmation. Both are for administrators and an organisation's publishers, for that
//! organisation's contacts. The dry run lists each row's problems and writes nothing; the
//! confirmation checks the same text again and writes every valid row in one transaction, so a
//! file imports all its valid rows or, when anything goes wrong, nothing.
//!
//! Cells that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, a tab or a
//! carriage return) are written with a leading apostrophe, except telephone numbers like
//! `+44 1632 960123`; the import takes such an apostrophe off again.

use tower_sessions::Session;

use super::editing::form_error;
use super::model::{contact_href, ImportForm, ImportReport, RowReport};
use super::store::{self, ContactFields, StoredContact};
use super::validate::{self, slug_of_name, ContactInput};
use crate::dates::Date;
use crate::db::{Action, Actor, Db, Event};
use crate::error::{AppError, AppResult};
use crate::permissions::Viewer;

/// The columns of a contacts file, in the order the export writes them. `roles` and
/// `initiatives` hold several values separated by semicolons.
pub const COLUMNS: [&str; 10] = [
    "name",
    "job_title",
    "organisation",
    "roles",
    "email",
    "phone",
    "team",
    "initiatives",
    "last_verified",
    "visibility",
];

/// Columns an imported file must have.
const REQUIRED: [&str; 6] = [
    "name",
    "organisation",
    "roles",
    "email",
    "last_verified",
    "visibility",
];

/// Largest file the import reads.
pub const MAX_CSV_BYTES: usize = 256 * 1024;
/// Most rows one import takes.
pub const MAX_CSV_ROWS: usize = 1000;

/// A cell as a spreadsheet will not run it.
fn defuse(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && validate::check_phone(cell).is_err() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A cell as imported: an apostrophe put before a formula character by an export taken off.
fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The contacts as a CSV file with a header row.
pub fn export(contacts: &[StoredContact]) -> Result<String, ::csv::Error> {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for c in contacts {
        let f = &c.fields;
        let roles: Vec<&str> = f.roles.iter().map(|r| r.label()).collect();
        let row = [
            f.name.clone(),
            f.job_title.clone(),
            c.org.slug.clone(),
            roles.join("; "),
            f.email.clone(),
            f.phone.clone(),
            f.team.clone(),
            f.initiatives.join("; "),
            f.last_verified.to_string(),
            f.visibility.as_str().to_owned(),
        ];
        out.write_record(row.iter().map(|cell| defuse(cell)))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ::csv::Error::from(std::io::Error::other(e.to_string())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The line (from 1) where the row read from `offset` of `text` starts: the reader's position
/// is before any blank lines it skipped.
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
        start += 1;
    }
    bytes[..start].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// One row of a file: the line it starts on and the contact it describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub input: ContactInput,
    /// Problems found reading the row itself (its number of cells).
    pub problems: Vec<String>,
}

/// Reads a file into rows; the error lists problems of the whole file.
pub fn parse(text: &str) -> Result<Vec<Row>, Vec<String>> {
    if text.len() > MAX_CSV_BYTES {
        return Err(vec![format!(
            "The file is {} KiB: import at most {} KiB at a time",
            text.len() / 1024,
            MAX_CSV_BYTES / 1024
        )]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![
            "The file is empty: paste the CSV text, starting with its header row".into(),
        ]);
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(vec![format!("The header row cannot be read: {e}")]),
    };
    let mut problems = Vec::new();
    for column in &header {
        if !COLUMNS.contains(&column.as_str()) {
            problems.push(format!(
                "Line 1: unknown column {column:?}: the columns are {}",
                COLUMNS.join(", ")
            ));
        }
    }
    for column in REQUIRED {
        if !header.iter().any(|c| c == column) {
            problems.push(format!("Line 1: the column {column:?} is missing"));
        }
    }
    for (i, column) in header.iter().enumerate() {
        if header[..i].contains(column) {
            problems.push(format!("Line 1: the column {column:?} is there twice"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p.byte()));
                return Err(vec![format!("Line {line}: the row cannot be read: {e}")]);
            }
        };
        if rows.len() == MAX_CSV_ROWS {
            return Err(vec![format!(
                "The file has more than {MAX_CSV_ROWS} rows: import at most {MAX_CSV_ROWS} at a time"
            )]);
        }
        // The line from the byte where the row starts: the reader does not count blank lines.
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row_problems = Vec::new();
        if record.len() != header.len() {
            row_problems.push(format!(
                "has {} cells where the header has {}",
                record.len(),
                header.len()
            ));
        }
        let cell = |name: &str| {
            header
                .iter()
                .position(|c| c == name)
                .and_then(|i| record.get(i))
                .map(|c| restore(c.trim()).to_owned())
                .unwrap_or_default()
        };
        let list = |name: &str| {
            cell(name)
                .split(';')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
        };
        rows.push(Row {
            line,
            input: ContactInput {
                name: cell("name"),
                job_title: cell("job_title"),
                organisation: cell("organisation"),
                roles: list("roles"),
                email: cell("email"),
                phone: cell("phone"),
                team: cell("team"),
                initiatives: list("initiatives"),
                last_verified: cell("last_verified"),
                visibility: cell("visibility"),
            },
            problems: row_problems,
        });
    }
    if rows.is_empty() {
        return Err(vec![
            "The file has a header row but no contacts under it".into()
        ]);
    }
    Ok(rows)
}

/// The fingerprint of a text: what the dry run checked, which the confirmation must match.
pub fn fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The dry run: every row checked as the editor checks a contact, against what the viewer may
/// import, the directory and the rows above it. Writes nothing. Returns the report and the
/// contacts that can be imported.
pub async fn dry_run(
    db: &Db,
    viewer: &Viewer,
    today: Date,
    text: &str,
) -> AppResult<(ImportReport, Vec<ContactFields>)> {
    if viewer.contact_export_scope().is_none() {
        return Err(AppError::Forbidden);
    }
    let rows = match parse(text) {
        Ok(rows) => rows,
        Err(file_problems) => {
            return Ok((
                ImportReport {
                    rows: Vec::new(),
                    file_problems,
                },
                Vec::new(),
            ))
        }
    };
    let mut report = ImportReport::default();
    let mut ready = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for row in rows {
        let mut problems = row.problems.clone();
        match validate::check(db, &row.input, today).await? {
            Ok(fields) => {
                if !viewer.can_export_contacts_of(fields.org_id) {
                    problems.push(
                        "Organisation: you can import contacts only for your own organisation"
                            .into(),
                    );
                }
                if let Some((_, line)) = seen.iter().find(|(e, _)| *e == fields.email) {
                    problems.push(format!(
                        "Duplicate: the same email address as the row on line {line}"
                    ));
                } else if store::slug_of_email(db, &fields.email).await?.is_some() {
                    problems.push(
                        "Duplicate: a contact with this email address is already in the directory"
                            .into(),
                    );
                }
                seen.push((fields.email.clone(), row.line));
                if problems.is_empty() {
                    ready.push(fields);
                }
            }
            Err(found) => problems.extend(found.into_iter().map(|p| form_error(p).message)),
        }
        report.rows.push(RowReport {
            line: row.line,
            name: row.input.name.clone(),
            organisation: row.input.organisation.clone(),
            problems,
        });
    }
    Ok((report, ready))
}

/// Writes the contacts a dry run found valid, in one transaction, each recorded; returns how
/// many. A clash with a change made meanwhile (an email address taken) writes nothing.
pub async fn import(db: &Db, actor: &Actor, contacts: &[ContactFields]) -> AppResult<usize> {
    let mut rec = db.record(actor).await?;
    for fields in contacts {
        let slug = store::free_slug(&mut rec, &slug_of_name(&fields.name)).await?;
        let (_, change) = store::save(&mut rec, &slug, fields, None).await?;
        rec.record(Event {
            action: Action::ContactCreated,
            target: &contact_href(&slug),
            detail: "CSV import",
            change: Some(change),
        })
        .await?;
    }
    rec.record(Event {
        action: Action::ContactsImported,
        target: "/contacts/import",
        detail: &format!("{} contacts", contacts.len()),
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(contacts.len())
}

/// What the import page keeps in the session between a dry run and the page: the text it
/// checked (carried on in the form) and what it found.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Kept {
    form: ImportForm,
    report: ImportReport,
}

const IMPORT_KEY: &str = "contacts/import";

/// The last dry run kept for the import page, if any.
pub async fn take_kept(session: &Session) -> AppResult<Option<(ImportForm, ImportReport)>> {
    let kept: Option<Kept> = crate::flash::take(session, IMPORT_KEY).await?;
    Ok(kept.map(|k| (k.form, k.report)))
}

/// Keeps a problem with an uploaded file for the import page; returns its address.
pub async fn keep_file_problem(session: &Session, problem: String) -> AppResult<String> {
    let kept = Kept {
        form: ImportForm::default(),
        report: ImportReport {
            rows: Vec::new(),
            file_problems: vec![problem],
        },
    };
    crate::flash::keep(session, IMPORT_KEY, &kept).await?;
    Ok("/contacts/import#report".to_owned())
}

/// The import form, typed or uploaded: `check` runs the dry run and keeps it, with the text,
/// for the import page; `import` writes the valid rows of the text the dry run checked, in one
/// transaction, and an `import` of a text changed since its dry run is a new dry run that
/// writes nothing. Returns where the browser goes next.
pub async fn check_or_import(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    today: Date,
    form: ImportForm,
) -> AppResult<String> {
    viewer.require_user()?;
    if viewer.contact_export_scope().is_none() {
        return Err(AppError::Forbidden);
    }
    let text = form.csv.replace("\r\n", "\n");
    let (report, ready) = dry_run(db, viewer, today, &text).await?;
    let checked = fingerprint(&text);
    let confirmed = form.action == "import" && form.checked == checked;
    if confirmed && !ready.is_empty() {
        let n = import(db, actor, &ready).await?;
        let skipped = report.rows.len() - n;
        let contacts = if n == 1 { "contact" } else { "contacts" };
        let message = match skipped {
            0 => format!("Imported {n} {contacts}"),
            1 => format!("Imported {n} {contacts}; 1 row with problems was left out"),
            s => format!("Imported {n} {contacts}; {s} rows with problems were left out"),
        };
        crate::flash::set_notice(session, true, message).await?;
        return Ok("/contacts".to_owned());
    }
    if form.action == "import" && !confirmed {
        crate::flash::set_notice(
            session,
            false,
            "The text changed after it was checked, so nothing was imported: here is the check of the new text",
        )
        .await?;
    }
    let kept = Kept {
        form: ImportForm {
            csv: text,
            action: String::new(),
            checked,
        },
        report,
    };
    crate::flash::keep(session, IMPORT_KEY, &kept).await?;
    Ok("/contacts/import#report".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "name,job_title,organisation,roles,email,phone,team,initiatives,last_verified,visibility\n";

    #[test]
    fn rows_are_read_by_header_with_their_lines() {
        let text = format!(
            "{HEADER}\"Siân Ní Bhriain\",\"Lead, IT\",nhs-fife,IT lead; Trainer,s@example.org,01632 960123,,Single sign-on,2026-01-05,network\n\n\"Aoife O'Neill\",,nhs-fife,trainer,a@example.org,,,,2026-01-05,organisation\n"
        );
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].input.name, "Siân Ní Bhriain");
        assert_eq!(rows[0].input.job_title, "Lead, IT");
        assert_eq!(rows[0].input.roles, ["IT lead", "Trainer"]);
        assert_eq!(rows[1].line, 4, "the blank line is skipped but counted");
        assert_eq!(rows[1].input.name, "Aoife O'Neill");
    }

    #[test]
    fn a_file_without_its_columns_is_refused_as_a_whole() {
        let problems = parse("name,email,colour\nA,a@example.org,red\n").unwrap_err();
        assert!(problems
            .iter()
            .any(|p| p.contains("unknown column \"colour\"")));
        assert!(problems
            .iter()
            .any(|p| p.contains("\"organisation\" is missing")));
        assert!(parse("").is_err());
        assert!(parse(HEADER).unwrap_err()[0].contains("no contacts"));
    }

    #[test]
    fn a_row_with_too_few_cells_says_so() {
        let rows = parse(&format!("{HEADER}A,B\n")).unwrap();
        assert_eq!(rows[0].problems, ["has 2 cells where the header has 10"]);
    }

    #[test]
    fn formulas_are_defused_on_export_and_restored_on_import() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(1)"), "'@SUM(1)");
        assert_eq!(defuse("+44 1632 960123"), "+44 1632 960123");
        assert_eq!(defuse("Siân"), "Siân");
        assert_eq!(restore("'=1+1"), "=1+1");
        assert_eq!(restore("'Neill"), "'Neill");
    }

    #[test]
    fn the_fingerprint_ignores_line_ends_only() {
        assert_eq!(fingerprint("a\r\nb"), fingerprint("a\nb"));
        assert_ne!(fingerprint("a\nb"), fingerprint("a\nc"));
    }
}
