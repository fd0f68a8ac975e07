//! Who is calling: the four kinds of Neo account the usage API knows.

/// The caller's role, decided by the server from the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A team admin: sees every member's rows with `email`, may filter by
    /// `email`, gets `by_email` in the summary.
    Admin,
    /// A solo user (not in a team): sees only their own rows, without
    /// `email`.
    Solo,
    /// A team member: 403 on every usage endpoint.
    Member,
    /// A team viewer: 403 on every usage endpoint.
    Viewer,
}

impl Role {
    /// Every role, in the order above.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Solo, Role::Member, Role::Viewer];

    /// The role's name in messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "team admin",
            Role::Solo => "solo user",
            Role::Member => "team member",
            Role::Viewer => "team viewer",
        }
    }

    /// Whether the role may read usage at all.
    pub fn may_read_usage(self) -> bool {
        matches!(self, Role::Admin | Role::Solo)
    }
}
