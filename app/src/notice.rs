//! One-time messages after an action ("Draft saved", "Published"), shown at the top of the next page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A message for the next page the user sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub success: bool,
    pub message: String,
}

/// Takes the message waiting for this page, if any.
#[server(endpoint = "notice")]
pub async fn take_notice() -> Result<Option<Notice>, AppError> {
    let session = crate::auth::session::request_session().await?;
    crate::flash::take_notice(&session).await
}

/// The waiting message as an NHS.UK inset (success) or error summary (refusal).
#[component]
pub fn NoticeBanner() -> impl IntoView {
    let notice = Resource::new(|| (), |_| take_notice());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                notice.await.ok().flatten().map(|n| {
                    if n.success {
                        view! {
                            <div class="nhsuk-inset-text ts-notice ts-notice--success" role="status">
                                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                                <p>{n.message}</p>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <div class="nhsuk-error-summary" role="alert" tabindex="-1" aria-labelledby="notice-title">
                                <h2 class="nhsuk-error-summary__title" id="notice-title">"There is a problem"</h2>
                                <div class="nhsuk-error-summary__body"><p>{n.message}</p></div>
                            </div>
                        }
                        .into_any()
                    }
                })
            })}
        </Suspense>
    }
}
