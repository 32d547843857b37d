//! The model picker: a combobox over OpenRouter's model list, searchable by
//! name and id, with prices and context lengths, and a filter for free
//! models. Any model id can be typed, so it works without the list too.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{context, display_name, is_free, per_million, search};
use crate::openrouter::types::Model;

/// The model field with its list of suggestions. It starts from `value`;
/// mount a new one to show another conversation's model.
#[component]
pub fn ModelPicker(
    /// The model list, once loaded (or why it could not be).
    #[prop(into)]
    models: Signal<Option<Result<Vec<Model>, AppError>>>,
    /// The chosen model id.
    #[prop(into)]
    value: Signal<String>,
    /// Called with a model id when the user picks or types one.
    on_change: Callback<String>,
) -> impl IntoView {
    let query = RwSignal::new(value.get_untracked());
    let open = RwSignal::new(false);
    let free_only = RwSignal::new(false);
    let active = RwSignal::new(0usize);

    let options = Memo::new(move |_| {
        let q = query.get();
        let free = free_only.get();
        models.with(|m| match m {
            Some(Ok(list)) => {
                // The current value shows the whole list; typing narrows it.
                let q = if q.trim() == value.get_untracked().trim() {
                    String::new()
                } else {
                    q
                };
                search(list, &q, free).into_iter().cloned().collect()
            }
            _ => Vec::new(),
        })
    });
    let status = move || match models.get() {
        None => "Loading the model list…".to_owned(),
        Some(Err(_)) => "The model list could not be loaded; type a model id.".to_owned(),
        Some(Ok(list)) => format!("{} of {} models", options.with(Vec::len), list.len()),
    };

    // An empty field keeps the model it had: a request always names one.
    let commit = move |id: String| {
        let id = id.trim().to_owned();
        if id.is_empty() {
            query.set(value.get_untracked());
        } else {
            query.set(id.clone());
            on_change.run(id);
        }
        open.set(false);
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = options.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                if open.get_untracked() && count > 0 {
                    active.update(|a| *a = (*a + 1) % count);
                } else {
                    open.set(true);
                    active.set(0);
                }
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" => {
                ev.prevent_default();
                let picked = open
                    .get_untracked()
                    .then(|| options.with(|o| o.get(active.get_untracked()).map(|m| m.id.clone())))
                    .flatten();
                commit(picked.unwrap_or_else(|| query.get_untracked()));
            }
            "Escape" => {
                open.set(false);
                query.set(value.get_untracked());
            }
            _ => {}
        }
    };

    view! {
        <div class="model-picker">
            <label for="model-input">"Model"</label>
            <input
                id="model-input"
                type="text"
                role="combobox"
                aria-autocomplete="list"
                aria-controls="model-options"
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || open.get().then(|| format!("model-option-{}", active.get()))
                spellcheck="false"
                autocomplete="off"
                placeholder="provider/model"
                prop:value=move || query.get()
                on:input:target=move |ev| {
                    query.set(ev.target().value());
                    active.set(0);
                    open.set(true);
                }
                on:focus=move |_| open.set(true)
                on:blur=move |_| {
                    // A pick by pointer commits first (mousedown prevents the blur).
                    if open.get_untracked() {
                        commit(query.get_untracked());
                    }
                }
                on:keydown=keydown
            />
            <Show when=move || open.get()>
                <div class="model-popup">
                    <div class="model-popup-bar">
                        <label class="free-toggle">
                            <input
                                type="checkbox"
                                prop:checked=move || free_only.get()
                                on:mousedown=|ev| ev.prevent_default()
                                on:change:target=move |ev| free_only.set(ev.target().checked())
                            />
                            "Free models only"
                        </label>
                        <span class="model-count" role="status">{status}</span>
                    </div>
                    <ul id="model-options" role="listbox" aria-label="Models">
                        <For
                            each=move || options.get().into_iter().enumerate()
                            key=|(i, m)| (*i, m.id.clone())
                            let:item
                        >
                            {
                                let (index, model) = item;
                                let id = model.id.clone();
                                let pick = id.clone();
                                let free = is_free(&model);
                                let prompt = per_million(model.pricing.as_ref().and_then(|p| p.prompt.as_ref()));
                                let completion = per_million(model.pricing.as_ref().and_then(|p| p.completion.as_ref()));
                                let ctx = context(&model);
                                view! {
                                    <li
                                        role="option"
                                        id=format!("model-option-{index}")
                                        aria-selected=move || (active.get() == index).to_string()
                                        on:mousedown=move |ev| {
                                            ev.prevent_default();
                                            commit(pick.clone());
                                        }
                                    >
                                        <span class="model-name">{display_name(&model).to_owned()}</span>
                                        {free.then(|| view! { <span class="free-badge">"free"</span> })}
                                        <span class="model-id">{id}</span>
                                        <span class="model-facts">
                                            {ctx.map(|c| view! { <span>{c}</span> })}
                                            <span>{format!("in {prompt} · out {completion}")}</span>
                                        </span>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </div>
            </Show>
        </div>
    }
}
