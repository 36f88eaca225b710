//! Best-practice guides: a document with nothing beyond the common fields and its text.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::form::{Errors, FormError};
use crate::kind::{BodyUse, DocLink, Kind, KindNames};

/// A guide has no fields of its own; any in its front matter are refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideFields {}

/// The guide kind.
pub struct Guides;

impl Kind for Guides {
    type Fields = GuideFields;
    type Form = GuideFields;
    type Page = GuideFields;

    const NAMES: KindNames = KindNames {
        code: "guide",
        path: "guides",
        label: "guide",
        plural_title: "Best-practice guides",
        short_plural: "Guides",
        home_heading: "Recently updated guides",
    };
    const BODY: BodyUse = BodyUse {
        required: true,
        label: "Text",
        heading: None,
        contents_list: true,
    };

    fn to_form(_: &GuideFields) -> GuideFields {
        GuideFields {}
    }

    fn read_form(_: &GuideFields, _: &mut Vec<FormError>) -> GuideFields {
        GuideFields {}
    }

    #[cfg(feature = "ssr")]
    fn check(_: &GuideFields, _: crate::kind::CheckContext<'_>) -> Vec<crate::kind::Problem> {
        Vec::new()
    }

    fn links(_: &GuideFields) -> Vec<DocLink> {
        Vec::new()
    }

    fn diff_text(_: &GuideFields) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    #[cfg(feature = "ssr")]
    fn page(_: GuideFields, _: Vec<crate::kind::LinkedDoc>, _: crate::dates::Date) -> GuideFields {
        GuideFields {}
    }

    #[cfg(feature = "ssr")]
    fn search(_: &GuideFields) -> crate::kind::SearchFields {
        crate::kind::SearchFields::default()
    }

    fn page_view(_: GuideFields) -> AnyView {
        ().into_any()
    }

    fn form_view(_: GuideFields, _: Errors) -> AnyView {
        ().into_any()
    }
}
