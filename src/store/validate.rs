//! Checking and tidying what a caller wants to change on an action item,
//! before anything is touched.

use super::{ActionChanges, ActionStatus, StoreError};

const MAX_OWNER: usize = 200;
const MAX_NOTE: usize = 4000;
const MAX_WHO: usize = 200;

/// Check and tidy the caller's values before touching anything.
pub(crate) fn validate(
    changes: &ActionChanges,
    who: &str,
    note: Option<&str>,
) -> Result<(ActionChanges, String, Option<String>), StoreError> {
    let invalid = |m: String| Err(StoreError::InvalidInput(m));
    if changes.status == Some(ActionStatus::Removed) {
        return invalid(
            "status `removed` is set by ingest when an item disappears from the markdown; \
             use `wont_do` to drop an item"
                .into(),
        );
    }
    let who = who.trim();
    if who.is_empty() || who.chars().count() > MAX_WHO || who.chars().any(char::is_control) {
        return invalid(format!(
            "`who` must be a name of 1 to {MAX_WHO} printable characters"
        ));
    }
    let owner = match &changes.owner {
        Some(Some(o)) => {
            let o = o.trim();
            if o.chars().count() > MAX_OWNER || o.chars().any(char::is_control) {
                return invalid(format!(
                    "owner must be at most {MAX_OWNER} printable characters"
                ));
            }
            Some((!o.is_empty()).then(|| o.to_string()))
        }
        other => other.clone(),
    };
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return invalid(format!("note must be at most {MAX_NOTE} characters"));
    }
    let changes = ActionChanges {
        owner,
        ..changes.clone()
    };
    if changes.is_empty() && note.is_none() {
        return invalid("nothing to change: give a status, an owner, a due date or a note".into());
    }
    Ok((changes, who.to_string(), note.map(str::to_string)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_rejects_bad_values_and_tidies_good_ones() {
        let none = ActionChanges::default();
        assert!(matches!(
            validate(&none, "a", None),
            Err(StoreError::InvalidInput(_))
        ));
        let removed = ActionChanges {
            status: Some(ActionStatus::Removed),
            ..none.clone()
        };
        assert!(matches!(
            validate(&removed, "a", None),
            Err(StoreError::InvalidInput(_))
        ));
        assert!(validate(&none, "  ", Some("hi")).is_err());
        let blank_owner = ActionChanges {
            owner: Some(Some("  ".into())),
            ..none.clone()
        };
        let (tidy, who, _) = validate(&blank_owner, " bob ", None).expect("ok");
        assert_eq!(tidy.owner, Some(None));
        assert_eq!(who, "bob");
        let (_, _, note) = validate(&none, "bob", Some(" looked at it ")).expect("ok");
        assert_eq!(note.as_deref(), Some("looked at it"));
    }
}
