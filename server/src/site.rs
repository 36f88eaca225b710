//! The built files browsers load (`target/site`): which stylesheet and islands bundle pages
//! name, read once at start-up from `pkg/site.json` (written by `scripts/fingerprint.mjs`), and
//! which of them may be cached for good.
//!
//! Fingerprinted files (`/pkg/trustshare-<16 hex digits>.css`) are named after their content,
//! so a browser may keep them for a year without asking again: a new build has new names.
//! They are served precompressed (Brotli or gzip, as the browser accepts), compressed once at
//! build time. A site folder without `site.json` (a test's, or an older build) is served as
//! built, with the plain names.

use std::path::Path;

use serde::Deserialize;

/// What `pkg/site.json` says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// `trustshare-<hash>`: the islands bundle is `<name>.js` and `<name>_bg.wasm`.
    name: String,
    /// The stylesheet's file name in `pkg/`.
    stylesheet: String,
    /// Whether the islands bundle was built.
    islands: bool,
}

/// The files pages name, as found at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFiles {
    /// The islands bundle's name without its extension, for Leptos (`output_name`).
    pub output_name: String,
    /// The stylesheet's address.
    pub stylesheet: String,
    /// Whether an islands bundle exists, so pages load it.
    pub islands: bool,
}

impl SiteFiles {
    /// The files in `site_root`: as `pkg/site.json` names them, or the plain names of an
    /// unfingerprinted build.
    pub fn find(site_root: &Path) -> Self {
        let pkg = site_root.join("pkg");
        let manifest = std::fs::read_to_string(pkg.join("site.json"))
            .ok()
            .and_then(|text| match serde_json::from_str::<Manifest>(&text) {
                Ok(m) => Some(m),
                Err(e) => {
                    tracing::warn!(site_root = %site_root.display(), "pkg/site.json cannot be read ({e}): serving the plain file names");
                    None
                }
            });
        match manifest {
            Some(m) if is_fingerprinted_name(&m.name) => Self {
                islands: m.islands
                    && pkg.join(format!("{}.js", m.name)).exists()
                    && pkg.join(format!("{}_bg.wasm", m.name)).exists(),
                stylesheet: format!("/pkg/{}", m.stylesheet),
                output_name: m.name,
            },
            _ => Self {
                islands: pkg.join("trustshare.js").exists()
                    && pkg.join("trustshare_bg.wasm").exists(),
                stylesheet: "/pkg/trustshare.css".to_owned(),
                output_name: "trustshare".to_owned(),
            },
        }
    }
}

/// `trustshare-` and 16 lower-case hex digits.
fn is_fingerprinted_name(name: &str) -> bool {
    name.strip_prefix("trustshare-").is_some_and(|hash| {
        hash.len() == 16 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Whether a request path is a fingerprinted built file (`/pkg/trustshare-<hash>.css`,
/// `.js`, `_bg.wasm`), which never changes under its name.
pub fn is_fingerprinted(path: &str) -> bool {
    path.strip_prefix("/pkg/")
        .and_then(|file| file.get(..27))
        .is_some_and(|stem| {
            is_fingerprinted_name(stem) && matches!(&path[5 + 27..], ".css" | ".js" | "_bg.wasm")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_named_files_count_as_fingerprinted() {
        assert!(is_fingerprinted("/pkg/trustshare-0123456789abcdef.css"));
        assert!(is_fingerprinted("/pkg/trustshare-0123456789abcdef.js"));
        assert!(is_fingerprinted("/pkg/trustshare-0123456789abcdef_bg.wasm"));
        assert!(!is_fingerprinted("/pkg/trustshare.css"));
        assert!(!is_fingerprinted("/pkg/trustshare-0123456789ABCDEF.css"));
        assert!(!is_fingerprinted("/pkg/trustshare-0123456789abcde.css"));
        assert!(!is_fingerprinted(
            "/pkg/trustshare-0123456789abcdef.css.map"
        ));
        assert!(!is_fingerprinted("/assets/trustshare-0123456789abcdef.css"));
        assert!(!is_fingerprinted("/pkg/trustshare-0123456789abcdef/x.css"));
    }

    #[test]
    fn a_site_without_a_manifest_is_served_with_its_plain_names() {
        let dir = std::env::temp_dir().join(format!("trustshare-site-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        let plain = SiteFiles::find(&dir);
        assert_eq!(plain.stylesheet, "/pkg/trustshare.css");
        assert!(!plain.islands);
        std::fs::write(
            dir.join("pkg/site.json"),
            r#"{"name":"trustshare-00112233445566ff","stylesheet":"trustshare-00112233445566ff.css","islands":true}"#,
        )
        .unwrap();
        // The manifest names an islands bundle that is not there: pages go without.
        let named = SiteFiles::find(&dir);
        assert_eq!(named.stylesheet, "/pkg/trustshare-00112233445566ff.css");
        assert_eq!(named.output_name, "trustshare-00112233445566ff");
        assert!(!named.islands);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
