//! `pattern` checks, in their own module so that only crates whose spec has a `pattern`
//! depend on `regress`, the ECMA-262 regex engine that runs them.

use std::sync::OnceLock;

use crate::validation::{fail, quoted, FieldPath, Rule, ValidationError, Values};

/// `pattern`: `value` must contain a match of the ECMA-262 `pattern`. `compiled` caches
/// the compiled expression; a pattern `regress` cannot compile (the generator already
/// refuses those) accepts every value rather than failing every request.
pub(crate) fn check_pattern<V: Values<str> + ?Sized>(
    value: &V,
    field: &FieldPath<'_>,
    pattern: &'static str,
    compiled: &'static OnceLock<Option<regress::Regex>>,
) -> Result<(), ValidationError> {
    let regex = compiled.get_or_init(|| regress::Regex::new(pattern).ok());
    value.each(&mut |text| match regex {
        Some(regex) if regex.find(text).is_none() => {
            fail(field, Rule::Pattern(pattern), quoted(text))
        }
        _ => Ok(()),
    })
}
