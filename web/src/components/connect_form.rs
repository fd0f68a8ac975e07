//! [`ConnectForm`]: base URL and token for live mode. The token lives in
//! memory; it is stored in local storage only when "remember on this
//! device" is ticked, and "forget" removes it. It never goes into the URL,
//! the console or a message.

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::model_reader::{flat_object, FlatValue};
use neo_usage::model_writer::ApiJson;
use neo_usage::DEFAULT_BASE_URL;
use neo_usage_client::Credentials;

use crate::app::{AppState, SourceProgress};
use crate::browser;
use crate::messages;
use crate::source;
use crate::url_state::SourceKind;

/// The token typed in, and how it is sent.
#[derive(Clone, PartialEq)]
struct Login {
    base_url: String,
    api_key: bool,
    token: String,
}

impl Login {
    fn credentials(&self) -> Credentials {
        let token = self.token.trim().to_owned();
        if self.api_key {
            Credentials::ApiKey(token)
        } else {
            Credentials::Bearer(token)
        }
    }

    fn remembered() -> Option<Login> {
        let text = browser::stored(browser::REMEMBERED_TOKEN_KEY)?;
        let members = flat_object(&text)?;
        let text_of = |name: &str| match members.get(name)? {
            FlatValue::Text(text) => Some(text.clone()),
            FlatValue::Flag(_) => None,
        };
        Some(Login {
            base_url: text_of("base_url")?,
            api_key: match members.get("api_key")? {
                FlatValue::Flag(flag) => *flag,
                FlatValue::Text(_) => return None,
            },
            token: text_of("token")?,
        })
    }

    fn remember(&self) {
        let mut json = String::from("{\"base_url\":");
        self.base_url.write_json(&mut json);
        json.push_str(",\"api_key\":");
        self.api_key.write_json(&mut json);
        json.push_str(",\"token\":");
        self.token.write_json(&mut json);
        json.push('}');
        browser::store(browser::REMEMBERED_TOKEN_KEY, &json);
    }
}

/// What is wrong with the form, before anything is sent.
fn check(login: &Login) -> Option<String> {
    let base = login.base_url.trim();
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return Some(format!(
            "The base URL must start with https:// (or http:// for a local server), e.g. {DEFAULT_BASE_URL}."
        ));
    }
    if login.token.trim().is_empty() {
        return Some("Enter your Neo API token or key.".into());
    }
    None
}

/// Connects with `login`; on success live rows replace what is shown, on
/// failure the message says why and the previous data stays. A source
/// asked for after it (another connection, an import, the demo) wins.
fn connect(state: AppState, login: Login) {
    if let Some(problem) = check(&login) {
        state.source_error.set(Some(problem));
        return;
    }
    state.source_error.set(None);
    let request = state.begin_source_request();
    state.source_progress.set(Some(SourceProgress {
        message: format!("Connecting to {}…", login.base_url.trim()),
        done: None,
        in_bytes: false,
    }));
    spawn_local(async move {
        let base = login.base_url.trim().trim_end_matches('/').to_owned();
        let result = source::connect(&base, login.credentials()).await;
        if !request.is_current() {
            return;
        }
        state.source_progress.set(None);
        match result {
            Ok(live) => {
                let shown_base = (base != DEFAULT_BASE_URL).then_some(base);
                state.set_source(live, shown_base);
            }
            Err(error) => {
                let (title, body) = messages::explain(&error);
                state.source_error.set(Some(format!("{title}. {body}")));
            }
        }
    });
}

/// Connects with the remembered token when there is one (a reload in live
/// mode); otherwise opens the form.
pub fn reconnect_remembered(state: AppState) {
    match Login::remembered() {
        Some(login) => connect(state, login),
        None => {
            state.panel.set(Some(SourceKind::Live));
            state.source_error.set(Some(
                "Enter your token to load live usage: tokens are never put in links, so a shared or reloaded link asks again.".into(),
            ));
        }
    }
}

/// What the connect form holds as it is typed: filled from the remembered
/// login, else the URL's base URL and the default.
#[derive(Clone, Copy)]
struct LoginFields {
    base_url: RwSignal<String>,
    api_key: RwSignal<bool>,
    token: RwSignal<String>,
    remember: RwSignal<bool>,
    /// Whether a token is stored on this device.
    has_stored: RwSignal<bool>,
}

impl LoginFields {
    fn new(state: AppState) -> Self {
        let remembered = Login::remembered();
        let base_url = remembered
            .as_ref()
            .map(|l| l.base_url.clone())
            .or_else(|| state.view.get_untracked().base_url)
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        LoginFields {
            base_url: RwSignal::new(base_url),
            api_key: RwSignal::new(remembered.as_ref().is_some_and(|l| l.api_key)),
            token: RwSignal::new(
                remembered
                    .as_ref()
                    .map(|l| l.token.clone())
                    .unwrap_or_default(),
            ),
            remember: RwSignal::new(remembered.is_some()),
            has_stored: RwSignal::new(remembered.is_some()),
        }
    }

    /// Connects with what is typed, remembering it (when asked and it is
    /// well formed) or forgetting what was stored.
    fn submit(self, state: AppState) {
        let login = Login {
            base_url: self.base_url.get_untracked(),
            api_key: self.api_key.get_untracked(),
            token: self.token.get_untracked(),
        };
        if self.remember.get_untracked() && check(&login).is_none() {
            login.remember();
            self.has_stored.set(true);
        } else if !self.remember.get_untracked() {
            browser::forget(browser::REMEMBERED_TOKEN_KEY);
            self.has_stored.set(false);
        }
        connect(state, login);
    }

    /// Clears the token, here and in this browser's storage.
    fn forget(self) {
        browser::forget(browser::REMEMBERED_TOKEN_KEY);
        self.token.set(String::new());
        self.remember.set(false);
        self.has_stored.set(false);
    }
}

/// The live-mode form.
#[component]
pub fn ConnectForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let fields = LoginFields::new(state);
    let LoginFields {
        base_url,
        api_key,
        token,
        remember,
        has_stored,
    } = fields;
    let open = move || state.panel.get() == Some(SourceKind::Live);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        fields.submit(state);
    };
    let forget = move |_| fields.forget();

    view! {
        <section class="panel" data-testid="connect-panel" hidden=move || !open() aria-label="Connect to the live API">
            <form class="connect-form" on:submit=submit>
                <label>
                    "API base URL"
                    <input
                        data-testid="live-base-url"
                        type="url"
                        required
                        prop:value=move || base_url.get()
                        on:input=move |ev| base_url.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Token type"
                    <select
                        data-testid="live-token-kind"
                        on:change=move |ev| api_key.set(event_target_value(&ev) == "api_key")
                    >
                        <option value="bearer" prop:selected=move || !api_key.get()>"Bearer token (JWT)"</option>
                        <option value="api_key" prop:selected=move || api_key.get()>"API key (X-API-Key)"</option>
                    </select>
                </label>
                <label>
                    "Token"
                    <input
                        data-testid="live-token"
                        type="password"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || token.get()
                        on:input=move |ev| token.set(event_target_value(&ev))
                    />
                </label>
                <label class="check">
                    <input
                        data-testid="live-remember"
                        type="checkbox"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    "Remember on this device (stores the token in this browser's local storage)"
                </label>
                <div class="actions">
                    <button data-testid="live-connect" type="submit" class="primary">"Connect"</button>
                    <button
                        data-testid="live-forget"
                        type="button"
                        on:click=forget
                        disabled=move || !has_stored.get() && token.get().is_empty()
                    >
                        "Forget token"
                    </button>
                </div>
                <p class="hint">
                    "From another origin the API must allow this page (CORS); or run "
                    <code>{messages::SAME_ORIGIN_COMMAND}</code>
                    " to serve the viewer and the API together."
                </p>
            </form>
        </section>
    }
}
