//! vCard 4.0 (RFC 6350) address cards, so that address books import contacts with their
//! organisation, job title, roles, email and telephone.
//!
//! Written here rather than with a crate: the one maintained vCard 4.0 writer (`vcard` 0.5)
//! validates emails and telephone numbers with a phone-number database and regular expressions,
//! some thirty crates for the dozen lines of text a card is. What RFC 6350 asks of a writer is
//! small and tested below: CRLF line ends (3.2); content lines folded at 75 octets, never inside
//! a UTF-8 character, each continuation starting with one space (3.2); text values with
//! backslash, comma and newline escaped, and semicolon too in the components of compound values
//! (`N`, `ORG`) (3.4); UTF-8 throughout (3.1). The integration tests read cards back with an
//! independent parser.

use super::store::StoredContact;
use super::validate::global_number;

/// The longest content line, in octets, not counting the line break (RFC 6350 3.2).
const MAX_LINE_OCTETS: usize = 75;

/// A text value escaped as RFC 6350 3.4 says; `compound` escapes semicolons too, for one
/// component of a structured value.
pub fn escape(text: &str, compound: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' if compound => out.push_str("\\;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line folded at [`MAX_LINE_OCTETS`] octets on character boundaries, with its
/// CRLF: each continuation line is a space and at most 74 more octets.
pub fn fold_line(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// Name particles that start a family name: Welsh (ap, ab, ferch), Irish and Scots Gaelic (Ní,
/// Nic, Mac, Ó, Ua), and a few others.
const PARTICLES: [&str; 15] = [
    "ap", "ab", "ferch", "verch", "ní", "nic", "mac", "mc", "ó", "ua", "van", "von", "de", "du",
    "da",
];

/// A full name split into family name and given names for `N`: the family name starts at the
/// first particle after the first word ("Dafydd ap Gruffydd", "Siobhán Ní Bhriain"), else it is
/// the last word.
pub fn split_name(full: &str) -> (String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.len() {
        0 => (String::new(), String::new()),
        1 => (words[0].to_owned(), String::new()),
        n => {
            let start = (1..n - 1)
                .find(|&i| PARTICLES.contains(&words[i].to_lowercase().as_str()))
                .unwrap_or(n - 1);
            (words[start..].join(" "), words[..start].join(" "))
        }
    }
}

/// A stored timestamp (`2026-03-01T10:00:00Z`) as a vCard timestamp (`20260301T100000Z`).
fn timestamp(stored: &str) -> String {
    stored.chars().filter(|c| *c != '-' && *c != ':').collect()
}

/// One contact's card; `public_url` makes its `UID` and `SOURCE`.
pub fn card(contact: &StoredContact, public_url: &str) -> String {
    let f = &contact.fields;
    let address = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        super::model::contact_href(&contact.slug)
    );
    let (family, given) = split_name(&f.name);
    let mut lines = vec![
        "BEGIN:VCARD".to_owned(),
        "VERSION:4.0".to_owned(),
        "PRODID:-//Trustshare//Contacts//EN".to_owned(),
        "KIND:individual".to_owned(),
        format!("UID:{address}"),
        format!("FN:{}", escape(&f.name, false)),
        format!("N:{};{};;;", escape(&family, true), escape(&given, true)),
    ];
    let mut org = escape(&contact.org.name, true);
    if !f.team.is_empty() {
        org.push(';');
        org.push_str(&escape(&f.team, true));
    }
    lines.push(format!("ORG:{org}"));
    if !f.job_title.is_empty() {
        lines.push(format!("TITLE:{}", escape(&f.job_title, false)));
    }
    if !f.roles.is_empty() {
        let roles: Vec<&str> = f.roles.iter().map(|r| r.label()).collect();
        lines.push(format!("ROLE:{}", escape(&roles.join(", "), false)));
    }
    lines.push(format!("EMAIL;TYPE=work:{}", escape(&f.email, false)));
    if !f.phone.is_empty() {
        lines.push(format!(
            "TEL;VALUE=uri;TYPE=\"work,voice\":tel:{}",
            global_number(&f.phone)
        ));
    }
    if !f.initiatives.is_empty() {
        lines.push(format!(
            "NOTE:{}",
            escape(&format!("Initiatives: {}", f.initiatives.join(", ")), false)
        ));
    }
    lines.push(format!("REV:{}", timestamp(&contact.updated_at)));
    lines.push("END:VCARD".to_owned());
    let mut out = String::new();
    for line in lines {
        fold_line(&line, &mut out);
    }
    out
}

/// Several contacts' cards, one after another in one file.
pub fn cards(contacts: &[StoredContact], public_url: &str) -> String {
    contacts.iter().map(|c| card(c, public_url)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::store::ContactFields;
    use crate::contacts::{ContactRole, ContactVisibility};
    use crate::orgs::{Nation, OrgRef};

    fn contact(name: &str, team: &str) -> StoredContact {
        StoredContact {
            id: 1,
            slug: "sian-ni-bhriain".into(),
            org: OrgRef {
                slug: "betsi".into(),
                name: "Betsi Cadwaladr University Health Board".into(),
            },
            nation: Nation::Wales,
            archived_at: None,
            version: 0,
            updated_at: "2026-03-01T10:00:00Z".into(),
            fields: ContactFields {
                org_id: 1,
                name: name.into(),
                job_title: "Clinical lead, digital; nursing".into(),
                team: team.into(),
                roles: vec![ContactRole::ClinicalLead, ContactRole::ItLead],
                email: "sian@example.org".into(),
                phone: "01632 960123".into(),
                initiatives: vec!["Single sign-on".into()],
                last_verified: crate::dates::Date::parse("2026-01-01").unwrap(),
                visibility: ContactVisibility::Network,
            },
        }
    }

    #[test]
    fn text_values_escape_backslash_comma_newline_and_semicolons_in_components() {
        assert_eq!(escape("a,b;c\\d\r\ne\nf", false), "a\\,b;c\\\\d\\ne\\nf");
        assert_eq!(escape("a;b", true), "a\\;b");
        assert_eq!(escape("Siân O'Brien", false), "Siân O'Brien");
        assert_eq!(escape("bell\u{7}", false), "bell");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("FN:{}", "Siân Ŵyn ".repeat(20));
        let mut out = String::new();
        fold_line(&line, &mut out);
        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 2);
        for (i, p) in physical.iter().enumerate() {
            assert!(p.len() <= 75, "line {i} has {} octets", p.len());
            if i > 0 {
                assert!(p.starts_with(' '), "continuation {i} starts with a space");
            }
        }
        // Unfolding gives back the line exactly.
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn family_names_start_at_a_welsh_or_irish_particle() {
        assert_eq!(
            split_name("Siobhán Ní Bhriain"),
            ("Ní Bhriain".into(), "Siobhán".into())
        );
        assert_eq!(
            split_name("Dafydd ap Gruffydd"),
            ("ap Gruffydd".into(), "Dafydd".into())
        );
        assert_eq!(
            split_name("Mary Anne O'Neill"),
            ("O'Neill".into(), "Mary Anne".into())
        );
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }

    #[test]
    fn a_card_has_the_fields_address_books_import_with_crlf_lines() {
        let text = card(
            &contact("Siân Ní Bhriain", "Digital, nursing"),
            "https://ts.example/",
        );
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
        assert!(text.ends_with("END:VCARD\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        for expected in [
            "FN:Siân Ní Bhriain\r\n",
            "N:Ní Bhriain;Siân;;;\r\n",
            "ORG:Betsi Cadwaladr University Health Board;Digital\\, nursing\r\n",
            "TITLE:Clinical lead\\, digital; nursing\r\n",
            "ROLE:Clinical lead\\, IT lead\r\n",
            "EMAIL;TYPE=work:sian@example.org\r\n",
            "TEL;VALUE=uri;TYPE=\"work,voice\":tel:+441632960123\r\n",
            "UID:https://ts.example/contacts/sian-ni-bhriain\r\n",
            "REV:20260301T100000Z\r\n",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from {text}");
        }
        let two = cards(
            &[contact("A B", ""), contact("C D", "")],
            "https://ts.example",
        );
        assert_eq!(two.matches("BEGIN:VCARD").count(), 2);
        assert!(!two.contains("ORG:Betsi Cadwaladr University Health Board;"));
    }
}
