//! Model names: model 0 is `Tenant`; the others are business nouns, then prefixed nouns, then
//! numbered prefixed nouns, so any number of models get distinct, readable names.

/// Single-word singular nouns. None ends in `s` (so no plural or join-table name can equal a table
/// name), none is a prefix below, and none's snake_case is a model-level node name (`policy`,
/// `index`, ...) or one of the generated field names.
const NOUNS: &[&str] = &[
    "Account",
    "Invoice",
    "Order",
    "Product",
    "Shipment",
    "Warehouse",
    "Supplier",
    "Customer",
    "Contract",
    "Project",
    "Task",
    "Ticket",
    "Asset",
    "Vehicle",
    "Driver",
    "Route",
    "Booking",
    "Venue",
    "Event",
    "Speaker",
    "Course",
    "Lesson",
    "Student",
    "Teacher",
    "Device",
    "Sensor",
    "Reading",
    "Alert",
    "Campaign",
    "Coupon",
    "Payment",
    "Refund",
    "Review",
    "Question",
    "Answer",
    "Survey",
    "Document",
    "Folder",
    "Comment",
    "Team",
    "Member",
    "Budget",
    "Expense",
    "Report",
    "Schedule",
    "Shift",
    "Station",
    "Article",
    "Group",
    "User",
];

/// Words put in front of a noun once every noun is taken.
const PREFIXES: &[&str] = &[
    "Sales", "Support", "Partner", "Regional", "Field", "Vendor", "Retail", "Fleet", "Campus",
    "Billing", "Audit",
];

/// The name of model `index`: `Tenant` for 0, then `Account`, `Invoice`, ..., `SalesAccount`, ...,
/// `SalesAccount2`, ...
pub fn model_name(index: usize) -> String {
    if index == 0 {
        return "Tenant".to_owned();
    }
    let i = index - 1;
    let noun = NOUNS[i % NOUNS.len()];
    let round = i / NOUNS.len();
    if round == 0 {
        return noun.to_owned();
    }
    let prefix = PREFIXES[(round - 1) % PREFIXES.len()];
    let lap = (round - 1) / PREFIXES.len();
    if lap == 0 {
        format!("{prefix}{noun}")
    } else {
        format!("{prefix}{noun}{}", lap + 1)
    }
}

pub(crate) use forge_schemas::snake_case;

/// An English-looking plural, used for has-many and many-to-many relation names.
pub(crate) fn plural(word: &str) -> String {
    if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if word.ends_with(['s', 'x']) || word.ends_with("ch") || word.ends_with("sh") {
        return format!("{word}es");
    }
    format!("{word}s")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn names_are_distinct_and_tables_too() {
        let mut names = BTreeSet::new();
        let mut tables = BTreeSet::new();
        for i in 0..5000 {
            let name = model_name(i);
            assert!(
                name.chars().next().is_some_and(char::is_uppercase),
                "{name}"
            );
            assert!(names.insert(name.clone()), "duplicate model name {name}");
            assert!(
                tables.insert(snake_case(&name)),
                "duplicate table for {name}"
            );
        }
    }

    #[test]
    fn first_names() {
        assert_eq!(model_name(0), "Tenant");
        assert_eq!(model_name(1), "Account");
        assert_eq!(model_name(NOUNS.len() + 1), "SalesAccount");
        assert_eq!(
            model_name(NOUNS.len() * (PREFIXES.len() + 1) + 1),
            "SalesAccount2"
        );
        assert_eq!(snake_case("SalesAccount2"), "sales_account2");
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("survey"), "surveys");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("order"), "orders");
    }

    #[test]
    fn word_lists_keep_their_promises() {
        let reserved = [
            "pk", "unique", "index", "check", "policy", "hook", "tenant", "owner",
        ];
        for noun in NOUNS {
            assert!(!noun.ends_with('s'), "{noun}");
            assert!(!PREFIXES.contains(noun), "{noun}");
            assert!(!reserved.contains(&snake_case(noun).as_str()), "{noun}");
        }
    }
}
