//! The rules a contact meets, whether typed into the editor, imported from `content/contacts/`
//! or from a CSV file: each broken rule is a [`Problem`] naming the field, in words an editor can
//! act on.

use serde::Deserialize;

use super::store::ContactFields;
use super::{ContactRole, ContactVisibility};
use crate::dates::Date;
use crate::db::Db;
use crate::error::AppResult;
use crate::kind::Problem;
use crate::limits::{too_long, MAX_EMAIL_CHARS, MAX_LINE_CHARS, MAX_TOPIC_CHARS};

/// Longest telephone number as written.
pub const MAX_PHONE_CHARS: usize = 40;
/// Most initiatives of one contact.
pub const MAX_INITIATIVES: usize = 20;
/// Directory names no contact may have: they are pages of the directory.
pub const RESERVED: [&str; 3] = ["new", "import", "export"];

/// A contact as written, every value as typed: a file of `content/contacts/`, a row of a CSV
/// file, or the editor's form.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub name: String,
    #[serde(default)]
    pub job_title: String,
    /// The slug of the contact's organisation.
    pub organisation: String,
    /// Codes or labels of roles.
    #[serde(default)]
    pub roles: Vec<String>,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub initiatives: Vec<String>,
    /// `YYYY-MM-DD`.
    pub last_verified: String,
    /// `network` or `organisation`.
    pub visibility: String,
}

/// A name folded for searching: lower case, accents taken off the letters Welsh, Irish, Scots
/// Gaelic and other Latin-alphabet names carry, apostrophes dropped, other punctuation a space.
/// "Siân O'Brien-Ní Bhriain" is "sian obrien ni bhriain".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
            'ł' | 'ľ' | 'ĺ' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ŕ' | 'ř' => 'r',
            'ś' | 'š' | 'ş' => 's',
            'ť' | 'ţ' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ŵ' => 'w',
            'ý' | 'ÿ' | 'ŷ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            '\'' | '’' | '‘' | 'ʼ' => continue,
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(base);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A directory name made from a person's name: "Siân Ní Bhriain" is `sian-ni-bhriain`.
pub fn slug_of_name(name: &str) -> String {
    let folded: String = fold(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut slug = folded
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    slug.truncate(80);
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() || RESERVED.contains(&slug.as_str()) {
        format!("contact-{slug}").trim_end_matches('-').to_owned()
    } else {
        slug
    }
}

/// Checks a telephone number as written: digits with spaces, brackets or hyphens, 10 to 15
/// digits, a UK number starting 0 or an international one starting +. Returns it tidied (spaces
/// around kept as typed inside, trimmed outside).
pub fn check_phone(phone: &str) -> Result<String, String> {
    let phone = phone.trim();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let starts_well = phone.starts_with('0') || phone.starts_with('+') || phone.starts_with("(0");
    let plus_only_first = !phone[1.min(phone.len())..].contains('+');
    if allowed && starts_well && plus_only_first && (10..=15).contains(&digits) {
        Ok(phone.to_owned())
    } else {
        Err(format!(
            "{phone:?} is not a telephone number: write it like 01632 960123 or +44 1632 960123"
        ))
    }
}

/// A UK or international number as a `tel:` URI (RFC 3966): `+441632960123`.
pub fn global_number(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if phone.trim_start().starts_with('+') {
        format!("+{digits}")
    } else {
        format!("+44{}", digits.strip_prefix('0').unwrap_or(&digits))
    }
}

/// Checks a contact as written, on `today` (a last check cannot be in the future). The outer
/// error is a fault (the database); the inner, every rule broken, in the order of the fields.
pub async fn check(
    db: &Db,
    input: &ContactInput,
    today: Date,
) -> AppResult<Result<ContactFields, Vec<Problem>>> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(Problem::new("name", "Enter the contact's full name"));
    }
    for (field, label, text, max) in [
        ("name", "Full name", name, MAX_LINE_CHARS),
        (
            "job_title",
            "Job title",
            input.job_title.trim(),
            MAX_LINE_CHARS,
        ),
        ("team", "Team", input.team.trim(), MAX_LINE_CHARS),
    ] {
        if let Some(m) = too_long(label, text, max) {
            problems.push(Problem::new(field, m));
        }
    }
    let org = input.organisation.trim();
    let org_id = if org.is_empty() {
        problems.push(Problem::new(
            "organisation",
            "Choose the contact's organisation",
        ));
        None
    } else {
        let found = if crate::slugs::validate_slug(org).is_ok() {
            crate::orgs::store::id_by_slug(db.pool(), org).await?
        } else {
            None
        };
        if found.is_none() {
            problems.push(Problem::new(
                "organisation",
                format!(
                    "unknown organisation {org:?}: use its short name from /orgs, like nhs-fife"
                ),
            ));
        }
        found
    };
    let mut roles = Vec::new();
    for role in input.roles.iter().filter(|r| !r.trim().is_empty()) {
        match ContactRole::read(role) {
            Ok(r) => roles.push(r),
            Err(m) => {
                problems.push(Problem::new("roles", m));
                break;
            }
        }
    }
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() && !problems.iter().any(|p| p.field == "roles") {
        problems.push(Problem::new(
            "roles",
            "Choose at least one role, like Project manager or IT lead",
        ));
    }
    let email = if input.email.chars().count() > MAX_EMAIL_CHARS {
        problems.push(Problem::new(
            "email",
            format!("the email address must be {MAX_EMAIL_CHARS} characters or fewer"),
        ));
        String::new()
    } else {
        match crate::users::validate_email(&input.email) {
            Ok(e) => e,
            Err(m) => {
                problems.push(Problem::new("email", m));
                String::new()
            }
        }
    };
    let phone = input.phone.trim();
    let phone = if phone.is_empty() {
        String::new()
    } else if phone.chars().count() > MAX_PHONE_CHARS {
        problems.push(Problem::new(
            "phone",
            format!("the telephone number must be {MAX_PHONE_CHARS} characters or fewer"),
        ));
        String::new()
    } else {
        match check_phone(phone) {
            Ok(p) => p,
            Err(m) => {
                problems.push(Problem::new("phone", m));
                String::new()
            }
        }
    };
    let mut initiatives: Vec<String> = input
        .initiatives
        .iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect();
    if initiatives.len() > MAX_INITIATIVES {
        problems.push(Problem::new(
            "initiatives",
            format!("give at most {MAX_INITIATIVES} initiatives"),
        ));
    } else if let Some(m) = initiatives
        .iter()
        .find_map(|i| too_long("Each initiative", i, MAX_TOPIC_CHARS))
    {
        problems.push(Problem::new("initiatives", m));
    }
    initiatives.sort();
    initiatives.dedup();
    let last_verified = match Date::parse(&input.last_verified) {
        Ok(d) if d > today => {
            problems.push(Problem::new(
                "last_verified",
                format!("the day the details were last checked cannot be after today ({today})"),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            problems.push(Problem::new("last_verified", m));
            None
        }
    };
    let visibility = match ContactVisibility::parse(&input.visibility) {
        Ok(v) => Some(v),
        Err(_) => {
            problems.push(Problem::new(
                "visibility",
                format!(
                    "{:?} is not who can see a contact: write network (every signed-in member) or organisation (its own members); contacts are never public",
                    input.visibility.trim()
                ),
            ));
            None
        }
    };
    match (org_id, last_verified, visibility) {
        (Some(org_id), Some(last_verified), Some(visibility)) if problems.is_empty() => {
            Ok(Ok(ContactFields {
                org_id,
                name: name.to_owned(),
                job_title: input.job_title.trim().to_owned(),
                team: input.team.trim().to_owned(),
                roles,
                email,
                phone,
                initiatives,
                last_verified,
                visibility,
            }))
        }
        _ => Ok(Err(problems)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_without_accents_or_apostrophes() {
        assert_eq!(fold("Siân O'Brien-Ní Bhriain"), "sian obrien ni bhriain");
        assert_eq!(fold("  Dafydd   ap Gruffydd "), "dafydd ap gruffydd");
        assert_eq!(fold("Gwenllïan Ŵyn"), "gwenllian wyn");
        assert_eq!(fold("Seán Ó Ceallaigh"), "sean o ceallaigh");
        assert_eq!(fold("O’Neill"), "oneill");
    }

    #[test]
    fn directory_names_are_made_from_names_and_never_name_a_page() {
        assert_eq!(slug_of_name("Siân Ní Bhriain"), "sian-ni-bhriain");
        assert_eq!(slug_of_name("Aoife O'Sullivan"), "aoife-osullivan");
        assert_eq!(slug_of_name("New"), "contact-new");
        assert_eq!(slug_of_name("’"), "contact");
        assert!(crate::slugs::validate_slug(&slug_of_name("Ŷ ŵ ÿ")).is_ok());
    }

    #[test]
    fn telephone_numbers_are_uk_or_international() {
        assert_eq!(check_phone(" 01632 960123 "), Ok("01632 960123".into()));
        assert!(check_phone("+44 (0)1632 960123").is_ok());
        assert!(check_phone("029 2018 0123").is_ok());
        assert!(check_phone("960123").is_err(), "too short");
        assert!(check_phone("01632 96O123").is_err(), "a letter O");
        assert!(check_phone("44+1632960123").is_err());
        assert!(check_phone("=HYPERLINK(1)").is_err());
        assert_eq!(global_number("01632 960123"), "+441632960123");
        assert_eq!(global_number("+353 1 555 0123"), "+35315550123");
    }
}
