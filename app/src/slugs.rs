//! The names that appear in addresses: slugs (`/guides/{slug}`) and tags (`/guides?tag=`).

/// Slugs taken by pages of the portal beside the documents: `/{kind}/new` (the editor),
/// `/access/compare` and the rule catalogue `/access/rules`. A configuration's slug is its
/// organisation's, so no organisation may be called so either.
pub const RESERVED: &[&str] = &["new", "compare", "rules"];

/// Checks a slug: the part of an address after its kind or section.
pub fn validate_slug(slug: &str) -> Result<(), String> {
    if RESERVED.contains(&slug) {
        return Err(format!(
            "{slug:?} is reserved for a page of the portal (like /guides/{slug}); choose another"
        ));
    }
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{slug:?} is not a valid slug: use 1 to 100 lower-case letters, digits and hyphens, like \"fast-user-switching\""
        ))
    }
}

/// Checks a tag: lower-case letters, digits and single hyphens, as used in `/guides?tag=`.
pub fn normalise_tag(tag: &str) -> Result<String, String> {
    let t = tag.trim().to_ascii_lowercase();
    let ok = !t.is_empty()
        && t.len() <= 40
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !t.starts_with('-')
        && !t.ends_with('-')
        && !t.contains("--");
    if ok {
        Ok(t)
    } else {
        Err(format!(
            "tag {tag:?} must be 1 to 40 lower-case letters, digits and single hyphens, like \"smart-cards\""
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_slugs_are_checked() {
        assert_eq!(normalise_tag(" Smart-Cards ").unwrap(), "smart-cards");
        assert!(normalise_tag("smart cards").is_err());
        assert!(validate_slug("fast-user-switching").is_ok());
        assert!(validate_slug("Fast_User").is_err());
    }

    #[test]
    fn the_addresses_of_the_portals_own_pages_are_no_ones_slug() {
        // `/access/new` is the editor, `/access/compare` the comparison and `/access/rules`
        // the rule catalogue, so none may be a configuration's (an organisation's) slug, nor
        // any document's.
        for reserved in ["new", "compare", "rules"] {
            let e = validate_slug(reserved).unwrap_err();
            assert!(e.contains("is reserved"), "{e}");
        }
        assert!(validate_slug("compare-notes").is_ok());
    }
}
