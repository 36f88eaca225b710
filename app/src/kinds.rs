//! The kinds of document this portal holds. Adding a kind is one module implementing
//! [`crate::kind::Kind`] and one line in [`ALL`].

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::kind::{DocumentKind, KindNames, Registered};

/// Every kind, in the order the home page and navigation show them.
pub static ALL: &[&dyn DocumentKind] = &[
    &Registered::<crate::guides::Guides>::KIND,
    &Registered::<crate::plans::Plans>::KIND,
    &Registered::<crate::lessons::Lessons>::KIND,
    &Registered::<crate::configurations::Configurations>::KIND,
];

/// One of the registered kinds: a small copyable handle, stored and sent as its code.
#[derive(Clone, Copy)]
pub struct DocKind(&'static dyn DocumentKind);

impl DocKind {
    /// Every registered kind.
    pub fn all() -> impl Iterator<Item = DocKind> {
        ALL.iter().map(|k| DocKind(*k))
    }

    /// The kind with this stored code ("plan").
    pub fn from_code(code: &str) -> Option<Self> {
        Self::all().find(|k| k.code() == code)
    }

    /// The kind whose pages live under this path segment ("plans").
    pub fn from_path(path: &str) -> Option<Self> {
        Self::all().find(|k| k.path() == path)
    }

    /// What the kind does, for `documents`.
    pub fn spec(self) -> &'static dyn DocumentKind {
        self.0
    }

    pub fn names(self) -> &'static KindNames {
        self.0.names()
    }

    /// The stored code.
    pub fn code(self) -> &'static str {
        self.names().code
    }

    /// The first path segment of its pages, and its folder in a content tree.
    pub fn path(self) -> &'static str {
        self.names().path
    }

    /// The address of its list.
    pub fn list_path(self) -> String {
        format!("/{}", self.path())
    }

    /// The address of one document of this kind.
    pub fn href(self, slug: &str) -> String {
        format!("/{}/{slug}", self.path())
    }

    pub fn label(self) -> &'static str {
        self.names().label
    }

    /// One of them, at the start of a line: "Deployment plan".
    pub fn label_capitalised(self) -> String {
        let mut letters = self.label().chars();
        letters
            .next()
            .map(|first| first.to_uppercase().chain(letters).collect())
            .unwrap_or_default()
    }

    pub fn plural_title(self) -> &'static str {
        self.names().plural_title
    }

    pub fn short_plural(self) -> &'static str {
        self.names().short_plural
    }
}

impl PartialEq for DocKind {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}

impl Eq for DocKind {}

impl Hash for DocKind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.code().hash(state);
    }
}

impl fmt::Debug for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocKind({})", self.code())
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for DocKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for DocKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DocKind::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown kind of document {code:?}")))
    }
}

#[cfg(feature = "ssr")]
mod sql {
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Any, Database, Decode, Encode, Type};

    use super::DocKind;

    impl Type<Any> for DocKind {
        fn type_info() -> sqlx::any::AnyTypeInfo {
            <str as Type<Any>>::type_info()
        }
    }

    impl<'q> Encode<'q, Any> for DocKind {
        fn encode_by_ref(
            &self,
            buf: &mut <Any as Database>::ArgumentBuffer<'q>,
        ) -> Result<IsNull, BoxDynError> {
            <&str as Encode<'q, Any>>::encode(self.code(), buf)
        }
    }

    impl<'r> Decode<'r, Any> for DocKind {
        fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
            let code = <String as Decode<'r, Any>>::decode(value)?;
            DocKind::from_code(&code).ok_or_else(|| {
                format!("stored kind of document {code:?} is not one this version knows").into()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_and_path() {
        let mut codes: Vec<_> = DocKind::all().map(|k| k.code()).collect();
        let mut paths: Vec<_> = DocKind::all().map(|k| k.path()).collect();
        codes.dedup();
        paths.dedup();
        assert_eq!(codes.len(), ALL.len());
        assert_eq!(paths.len(), ALL.len());
        for kind in DocKind::all() {
            assert_eq!(DocKind::from_code(kind.code()), Some(kind));
            assert_eq!(DocKind::from_path(kind.path()), Some(kind));
            assert_ne!(kind.path(), "new", "reserved by the editor's address");
        }
    }
}
