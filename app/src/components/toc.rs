//! The contents list of a document, taken from its headings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One heading of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub id: String,
    pub text: String,
    /// 2 or 3.
    pub level: u8,
}

/// "Contents" navigation linking to each heading.
#[component]
pub fn ContentsList(entries: Vec<TocEntry>) -> impl IntoView {
    (entries.len() > 1).then(|| {
        view! {
            <nav class="nhsuk-contents-list ts-toc" aria-label="Contents">
                <h2 class="nhsuk-u-visually-hidden">"Contents"</h2>
                <ol class="nhsuk-contents-list__list">
                    {entries
                        .into_iter()
                        .map(|e| {
                            let class = if e.level == 3 {
                                "nhsuk-contents-list__item ts-toc__sub"
                            } else {
                                "nhsuk-contents-list__item"
                            };
                            view! {
                                <li class=class>
                                    <a class="nhsuk-contents-list__link" href=format!("#{}", e.id)>
                                        {e.text}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </nav>
        }
    })
}
