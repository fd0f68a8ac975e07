//! What the viewer tells a person when something fails: for each error
//! kind, what happened and what to do next. Never the token.

use neo_usage::NeoUsageError;

/// The command that serves the viewer and the API from one origin, so a
/// browser never needs the API's CORS permission.
pub const SAME_ORIGIN_COMMAND: &str =
    "neo-usage-mock --upstream https://neo.api.projectdiscovery.io --serve-dir dist";

/// A message for a failed request, as a title and an explanation.
pub fn explain(error: &NeoUsageError) -> (String, String) {
    match error {
        NeoUsageError::Unauthorized { .. } => (
            "The token was refused (401)".into(),
            "It is invalid, mistyped or expired. Check the token (and whether it is a Bearer token or an API key), or create a new one in Neo, then connect again.".into(),
        ),
        NeoUsageError::Forbidden { .. } => (
            "This account cannot see usage (403)".into(),
            "Usage data is visible to solo users and team admins only: team members and viewers have no access. Ask a team admin for access, or connect with an admin's token.".into(),
        ),
        NeoUsageError::NotFound { message } => (
            "Not found (404)".into(),
            format!("{message}. Check the task id, and that the task belongs to you or your team."),
        ),
        NeoUsageError::Validation { status, message } => (
            format!("The API refused the request ({status})"),
            format!("{message}. Change the filter it names and try again."),
        ),
        NeoUsageError::InvalidQuery { .. } => (
            "A filter is not valid".into(),
            format!("{error}. Change that filter; nothing was sent."),
        ),
        NeoUsageError::RateLimited { retry_after, .. } => (
            "Too many requests (429)".into(),
            match retry_after {
                Some(wait) => format!("The API asked to wait {} s; the viewer retries by itself then.", wait.as_secs().max(1)),
                None => "The API asked to slow down. Wait a moment and retry.".into(),
            },
        ),
        NeoUsageError::Network { .. } => (
            "The API could not be reached".into(),
            format!(
                "Check the base URL and your connection. Browsers also report a CORS refusal this way: the API must allow this page's origin, or serve the viewer and the API from one origin with `{SAME_ORIGIN_COMMAND}`."
            ),
        ),
        NeoUsageError::Timeout { after } => (
            "The API did not answer in time".into(),
            format!("No answer within {} s. The server is slow or unreachable; retry, or narrow the date range.", after.as_secs()),
        ),
        NeoUsageError::Server { status, .. } => (
            format!("The API failed ({status})"),
            "The Neo API had an error; this is not caused by your filters. Retry in a moment.".into(),
        ),
        NeoUsageError::Decode { .. } => (
            "The API sent data the viewer cannot read".into(),
            format!("{error}"),
        ),
        NeoUsageError::Aborted => ("Cancelled".into(), "The request was cancelled.".into()),
        other => ("Something went wrong".into(), other.to_string()),
    }
}
