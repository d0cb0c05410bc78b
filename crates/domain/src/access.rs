//! Who may do what. A customer's user has a role on a customer card and a set of permissions
//! the card's owner can adjust; the provider's staff have a staff role. Every check in the web
//! and API layers asks these functions.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What a user may do on one customer card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Permission {
    ViewInvoices,
    PayInvoices,
    ManageServices,
    UseHelpdesk,
    EditCompany,
    ManageUsers,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::ViewInvoices,
        Permission::PayInvoices,
        Permission::ManageServices,
        Permission::UseHelpdesk,
        Permission::EditCompany,
        Permission::ManageUsers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Permission::ViewInvoices => "invoices.view",
            Permission::PayInvoices => "invoices.pay",
            Permission::ManageServices => "services.manage",
            Permission::UseHelpdesk => "helpdesk.use",
            Permission::EditCompany => "company.edit",
            Permission::ManageUsers => "users.manage",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl FromStr for Permission {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL.into_iter().find(|p| p.name() == s.trim()).ok_or_else(|| {
            let names: Vec<_> = Permission::ALL.iter().map(|p| p.name()).collect();
            format!("unknown permission `{s}`: use {}", names.join(", "))
        })
    }
}

/// A set of permissions, stored as a comma-separated list of names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions(u8);

impl Permissions {
    pub fn all() -> Self {
        Permission::ALL.into_iter().collect()
    }

    pub fn has(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn with(self, p: Permission) -> Self {
        Permissions(self.0 | p.bit())
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.has(*p))
    }
}

impl FromIterator<Permission> for Permissions {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        iter.into_iter().fold(Permissions::default(), Permissions::with)
    }
}

impl FromStr for Permissions {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',').filter(|p| !p.trim().is_empty()).map(str::parse::<Permission>).collect()
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.iter().map(Permission::name).collect();
        f.write_str(&names.join(","))
    }
}

/// A user's role on a customer card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberRole {
    /// Holds the card: every permission, always.
    Owner,
    /// Billing contact.
    Billing,
    /// Technical contact.
    Technical,
    /// Contact person: may not edit the company's data.
    Contact,
}

impl MemberRole {
    pub const ALL: [MemberRole; 4] = [MemberRole::Owner, MemberRole::Billing, MemberRole::Technical, MemberRole::Contact];

    pub fn name(self) -> &'static str {
        match self {
            MemberRole::Owner => "owner",
            MemberRole::Billing => "billing",
            MemberRole::Technical => "technical",
            MemberRole::Contact => "contact",
        }
    }

    /// The permissions a new member with this role gets.
    pub fn default_permissions(self) -> Permissions {
        use Permission::*;
        match self {
            MemberRole::Owner => Permissions::all(),
            MemberRole::Billing => [ViewInvoices, PayInvoices].into_iter().collect(),
            MemberRole::Technical => [ManageServices, UseHelpdesk].into_iter().collect(),
            MemberRole::Contact => [UseHelpdesk].into_iter().collect(),
        }
    }

    /// The permissions this role can hold at most: an owner has all; nobody but an owner may
    /// manage users, and a contact person never edits the company's data.
    pub fn allowed_permissions(self) -> Permissions {
        match self {
            MemberRole::Owner => Permissions::all(),
            MemberRole::Contact => {
                Permission::ALL.into_iter().filter(|p| !matches!(p, Permission::EditCompany | Permission::ManageUsers)).collect()
            }
            _ => Permission::ALL.into_iter().filter(|p| *p != Permission::ManageUsers).collect(),
        }
    }

    /// What a member with this role and these stored permissions may actually do.
    pub fn effective(self, stored: Permissions) -> Permissions {
        if self == MemberRole::Owner { Permissions::all() } else { stored.iter().filter(|p| self.allowed_permissions().has(*p)).collect() }
    }
}

impl FromStr for MemberRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MemberRole::ALL
            .into_iter()
            .find(|r| r.name() == s.trim())
            .ok_or_else(|| format!("unknown role `{s}`: use owner, billing, technical or contact"))
    }
}

/// What a member of the provider's staff may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum StaffAction {
    ViewCustomers,
    EditCustomers,
    /// Approve or reject change requests; make a new customer card.
    ReviewChanges,
    ManageBilling,
    ManageHelpdesk,
    ManageStaff,
    ViewAudit,
    /// Monitors, incidents and their history (issue 14).
    ViewMonitoring,
    /// Create and change monitors.
    ManageMonitoring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    Admin,
    Billing,
    Support,
    Sales,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [StaffRole::Admin, StaffRole::Billing, StaffRole::Support, StaffRole::Sales];

    pub fn name(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Billing => "billing",
            StaffRole::Support => "support",
            StaffRole::Sales => "sales",
        }
    }

    pub fn can(self, action: StaffAction) -> bool {
        use StaffAction::*;
        match self {
            StaffRole::Admin => true,
            StaffRole::Billing => {
                matches!(action, ViewCustomers | EditCustomers | ReviewChanges | ManageBilling | ViewAudit | ViewMonitoring)
            }
            StaffRole::Support => matches!(action, ViewCustomers | ManageHelpdesk | ViewMonitoring | ManageMonitoring),
            StaffRole::Sales => matches!(action, ViewCustomers | EditCustomers),
        }
    }
}

impl FromStr for StaffRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StaffRole::ALL
            .into_iter()
            .find(|r| r.name() == s.trim())
            .ok_or_else(|| format!("unknown staff role `{s}`: use admin, billing, support or sales"))
    }
}

/// What an API token may be used for, on top of what its user may do.
pub const API_SCOPES: [&str; 13] = [
    "customers:read",
    "customers:write",
    "account:read",
    "members:write",
    "changes:review",
    "billing:read",
    "billing:write",
    "usage:write",
    "orders:write",
    "helpdesk:read",
    "helpdesk:write",
    "monitoring:read",
    "monitoring:write",
];

/// Parses a comma-separated scope list; every scope must be known.
pub fn parse_scopes(s: &str) -> Result<Vec<String>, String> {
    let scopes: Vec<String> = s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
    if scopes.is_empty() {
        return Err(format!("give at least one scope: {}", API_SCOPES.join(", ")));
    }
    for scope in &scopes {
        if !API_SCOPES.contains(&scope.as_str()) {
            return Err(format!("unknown scope `{scope}`: use {}", API_SCOPES.join(", ")));
        }
    }
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn permissions_round_trip_as_text() {
        let p: Permissions = "invoices.view, helpdesk.use".parse().unwrap();
        assert_eq!(p.to_string(), "invoices.view,helpdesk.use");
        assert_eq!("".parse::<Permissions>(), Ok(Permissions::default()));
        assert!("invoices.delete".parse::<Permissions>().unwrap_err().contains("unknown permission"));
    }

    #[test]
    fn a_contact_person_never_edits_the_company() {
        let everything = Permissions::all();
        assert!(!MemberRole::Contact.effective(everything).has(Permission::EditCompany));
        assert!(!MemberRole::Billing.effective(everything).has(Permission::ManageUsers));
        assert!(MemberRole::Owner.effective(Permissions::default()).has(Permission::ManageUsers));
    }

    #[test]
    fn scopes() {
        assert_eq!(parse_scopes("customers:read, account:read").unwrap(), ["customers:read", "account:read"]);
        assert!(parse_scopes("").is_err());
        assert!(parse_scopes("customers:delete").unwrap_err().contains("unknown scope"));
    }

    #[test]
    fn staff_matrix() {
        assert!(StaffRole::Admin.can(StaffAction::ManageStaff));
        assert!(!StaffRole::Support.can(StaffAction::EditCustomers));
        assert!(StaffRole::Billing.can(StaffAction::ReviewChanges));
        assert!(!StaffRole::Sales.can(StaffAction::ReviewChanges));
        assert!(StaffRole::ALL.iter().all(|r| r.can(StaffAction::ViewCustomers)));
        // Support and admin look after monitors; billing sees them (credits); sales does not.
        assert!(StaffRole::Support.can(StaffAction::ManageMonitoring) && StaffRole::Admin.can(StaffAction::ManageMonitoring));
        assert!(StaffRole::Billing.can(StaffAction::ViewMonitoring) && !StaffRole::Billing.can(StaffAction::ManageMonitoring));
        assert!(!StaffRole::Sales.can(StaffAction::ViewMonitoring));
    }

    proptest! {
        #[test]
        fn effective_is_within_allowed(bits in 0u8..64, role in 0usize..4) {
            let role = MemberRole::ALL[role];
            let stored = Permissions(bits);
            let eff = role.effective(stored);
            prop_assert!(eff.iter().all(|p| role.allowed_permissions().has(p)));
            prop_assert_eq!(eff.to_string().parse::<Permissions>().unwrap(), eff);
        }
    }
}
