//! [`TaskStatus`]: the outcome of a task, open to values this crate does not
//! know yet (the API has already grown `blocked`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The status of a task.
///
/// The five known values are variants; any other string is kept verbatim in
/// [`TaskStatus::Unknown`] and written back unchanged, so a client built today
/// still reads (and round-trips) rows with statuses the API adds tomorrow.
///
/// ```
/// use neo_usage::TaskStatus;
/// let s: TaskStatus = serde_json::from_str("\"completed\"").unwrap();
/// assert_eq!(s, TaskStatus::Completed);
/// let new: TaskStatus = serde_json::from_str("\"paused\"").unwrap();
/// assert_eq!(new.as_str(), "paused");
/// assert_eq!(serde_json::to_string(&new).unwrap(), "\"paused\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskStatus {
    /// The task finished.
    Completed,
    /// The task stopped on an error (`error_message` says which).
    Error,
    /// The task failed.
    Failed,
    /// The task was aborted.
    Aborted,
    /// The task was blocked (listed by a newer revision of the reference page).
    Blocked,
    /// A status this version does not know, kept as sent.
    Unknown(String),
}

impl TaskStatus {
    /// The known statuses, in the order the documentation lists them.
    pub const KNOWN: [TaskStatus; 5] = [
        TaskStatus::Completed,
        TaskStatus::Error,
        TaskStatus::Failed,
        TaskStatus::Aborted,
        TaskStatus::Blocked,
    ];

    /// The wire form of this status.
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Completed => "completed",
            TaskStatus::Error => "error",
            TaskStatus::Failed => "failed",
            TaskStatus::Aborted => "aborted",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Unknown(other) => other,
        }
    }

    /// Reads a wire value; never fails (unknown values become
    /// [`TaskStatus::Unknown`]).
    pub fn parse(value: &str) -> TaskStatus {
        match value {
            "completed" => TaskStatus::Completed,
            "error" => TaskStatus::Error,
            "failed" => TaskStatus::Failed,
            "aborted" => TaskStatus::Aborted,
            "blocked" => TaskStatus::Blocked,
            other => TaskStatus::Unknown(other.to_owned()),
        }
    }

    /// Whether this is one of the documented values.
    pub fn is_known(&self) -> bool {
        !matches!(self, TaskStatus::Unknown(_))
    }

    /// Whether the task ended badly (error, failed or aborted).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            TaskStatus::Error | TaskStatus::Failed | TaskStatus::Aborted
        )
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaskStatus {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(TaskStatus::parse(s))
    }
}

impl From<&str> for TaskStatus {
    fn from(value: &str) -> Self {
        TaskStatus::parse(value)
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = TaskStatus;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a task status string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TaskStatus, E> {
                Ok(TaskStatus::parse(v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip() {
        for status in TaskStatus::KNOWN {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(serde_json::from_str::<TaskStatus>(&json).unwrap(), status);
            assert!(status.is_known());
        }
    }

    #[test]
    fn unknown_value_survives_round_trip() {
        let s: TaskStatus = serde_json::from_str("\"queued_for_review\"").unwrap();
        assert_eq!(s, TaskStatus::Unknown("queued_for_review".into()));
        assert!(!s.is_known());
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"queued_for_review\"");
    }

    #[test]
    fn non_string_is_rejected() {
        assert!(serde_json::from_str::<TaskStatus>("3").is_err());
    }
}
