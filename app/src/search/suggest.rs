//! The header's search field. Without JavaScript it is a plain field of the header's GET form
//! to `/search`. With JavaScript it becomes a combobox (the WAI-ARIA "list autocomplete"
//! pattern): a short list of documents matching what has been typed so far, read from the
//! `search/preview` server function, chosen with the arrow keys and Enter or the pointer, and
//! announced to screen readers through a status message. Enter with no suggestion chosen still
//! submits the form, so the full results page is always one key away.

use leptos::prelude::*;

use super::model::PreviewHit;

/// How long typing must pause before suggestions are asked for, so that a fast typist sends
/// one request, not one per key.
const DEBOUNCE_MS: u64 = 250;
/// Fewer characters than this ask for no suggestions: a single letter matches too much to help.
const MIN_CHARS: usize = 2;
/// The id of the suggestion list, which the field names as the list it controls.
const LIST_ID: &str = "search-suggestions";

/// The id of the suggestion at `index`, which the field names as its active descendant.
fn option_id(index: usize) -> String {
    format!("search-suggestion-{index}")
}

/// What the status region says after suggestions arrive for a query.
fn announcement(count: usize) -> String {
    match count {
        0 => "No suggestions. Press Enter to search everything.".to_owned(),
        1 => "1 suggestion. Use the up and down arrows to choose it, then press Enter.".to_owned(),
        n => {
            format!("{n} suggestions. Use the up and down arrows to choose one, then press Enter.")
        }
    }
}

/// The next active suggestion when moving by `step` (+1 down, -1 up) from `active` in a list
/// of `count`: wraps at both ends; moving up from nothing chooses the last.
fn moved(active: Option<usize>, step: isize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    let next = match (active, step >= 0) {
        (None, true) => 0,
        (None, false) => count - 1,
        (Some(i), true) => (i + 1) % count,
        (Some(i), false) => (i + count - 1) % count,
    };
    Some(next)
}

/// Opens a suggestion's document.
fn open(href: &str) {
    #[cfg(feature = "hydrate")]
    if let Err(e) = window().location().set_href(href) {
        leptos::logging::warn!("could not open {href}: {e:?}");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

/// The header's search field: see the module documentation.
#[island]
pub fn SearchBox() -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    let (hits, set_hits) = signal(Vec::<PreviewHit>::new());
    let (expanded, set_expanded) = signal(false);
    let (active, set_active) = signal(None::<usize>);
    let (status, set_status) = signal(String::new());
    // Each keystroke's request carries a number; only the latest one's answer is shown, so a
    // slow answer to an earlier prefix never replaces a later one.
    let generation = StoredValue::new(0_u64);
    // Effects run only in the browser: the combobox roles appear once the script can honour them.
    Effect::new(move |_| set_hydrated.set(true));

    let close = move || {
        set_expanded.set(false);
        set_active.set(None);
    };
    let ask = move |text: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if text.trim().chars().count() < MIN_CHARS {
            set_hits.set(Vec::new());
            set_status.set(String::new());
            close();
            return;
        }
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = super::api::search_preview(text).await;
                    if generation.get_value() != mine {
                        return;
                    }
                    // A failed preview only means no suggestions: the form still searches.
                    let found = found.unwrap_or_default();
                    set_status.set(announcement(found.len()));
                    set_expanded.set(!found.is_empty());
                    set_active.set(None);
                    set_hits.set(found);
                });
            },
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = hits.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" { 1 } else { -1 };
                set_expanded.set(true);
                set_active.set(moved(active.get_untracked(), step, count));
            }
            "Enter" => {
                let chosen = active.get_untracked().filter(|_| expanded.get_untracked());
                if let Some(href) =
                    chosen.and_then(|i| hits.with_untracked(|h| h.get(i).map(|h| h.href.clone())))
                {
                    ev.prevent_default();
                    open(&href);
                }
            }
            "Escape" if expanded.get_untracked() => {
                ev.prevent_default();
                close();
            }
            "Tab" => close(),
            _ => {}
        }
    };

    view! {
        <div class="ts-search-box">
            <input
                class="nhsuk-input nhsuk-header__search-input"
                id="search-field"
                name="q"
                type="search"
                placeholder="Search Trustshare"
                autocomplete="off"
                role=move || hydrated.get().then_some("combobox")
                aria-autocomplete=move || hydrated.get().then_some("list")
                aria-controls=move || hydrated.get().then_some(LIST_ID)
                aria-expanded=move || hydrated.get().then(|| expanded.get().to_string())
                aria-activedescendant=move || {
                    active.get().filter(|_| expanded.get()).map(option_id)
                }
                on:input=move |ev| ask(event_target_value(&ev))
                on:keydown=on_keydown
                on:blur=move |_| close()
            />
            <ul
                class="ts-search-suggestions"
                id=LIST_ID
                role="listbox"
                aria-label="Suggestions"
                hidden=move || !expanded.get()
            >
                // Eight items at most, redrawn whole when new suggestions arrive: a keyed list
                // would add to the bundle for nothing.
                {move || hits.get().into_iter().enumerate().map(|(index, hit)| view! {
                    <li
                        class=move || {
                            if active.get() == Some(index) {
                                "ts-search-suggestion ts-search-suggestion--active"
                            } else {
                                "ts-search-suggestion"
                            }
                        }
                        id=option_id(index)
                        role="option"
                        aria-selected=move || (active.get() == Some(index)).to_string()
                        // Keeps the focus in the field, so the list is not closed by its blur.
                        on:mousedown=|ev| ev.prevent_default()
                        on:click={
                            let href = hit.href.clone();
                            move |_| open(&href)
                        }
                    >
                        <span class="ts-search-suggestion__title">{hit.title}</span>
                        <span class="ts-search-suggestion__meta">{hit.kind}" · "{hit.org_name}</span>
                    </li>
                }).collect_view()}
            </ul>
            <div class="nhsuk-u-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
                {move || status.get()}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arrow_keys_wrap_around_the_suggestions() {
        assert_eq!(moved(None, 1, 3), Some(0));
        assert_eq!(moved(None, -1, 3), Some(2));
        assert_eq!(moved(Some(2), 1, 3), Some(0));
        assert_eq!(moved(Some(0), -1, 3), Some(2));
        assert_eq!(moved(Some(1), 1, 3), Some(2));
        assert_eq!(moved(Some(0), 1, 0), None);
    }

    #[test]
    fn the_announcement_counts_the_suggestions() {
        assert!(announcement(0).starts_with("No suggestions"));
        assert!(announcement(1).starts_with("1 suggestion."));
        assert!(announcement(5).starts_with("5 suggestions."));
    }
}
