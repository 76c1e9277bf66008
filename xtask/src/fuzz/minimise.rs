//! Greedy minimisation of a failing input: drop object members and array items, largest
//! first, while the failure stays the same; then replace what is left of each container
//! by an empty one where that keeps the failure.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::mutate::{get_mut, paths, remove};

/// What a minimisation may spend.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub tries: usize,
    pub time: Duration,
}

/// The smallest input found that `still_fails`; `value` itself must fail.
pub fn minimise(
    value: &Value,
    budget: Budget,
    mut still_fails: impl FnMut(&Value) -> bool,
) -> Value {
    let start = Instant::now();
    let mut tries = 0;
    let mut current = value.clone();
    let spent = |tries: &mut usize| {
        *tries += 1;
        *tries > budget.tries || start.elapsed() > budget.time
    };
    loop {
        let mut progress = false;
        // Parents come first: a whole subtree goes in one try when it can.
        for path in paths(&current) {
            if path.is_empty() {
                continue;
            }
            let mut candidate = current.clone();
            // Paths of an earlier pass may have moved; a stale one is skipped.
            if !remove(&mut candidate, &path) {
                continue;
            }
            if spent(&mut tries) {
                return current;
            }
            if still_fails(&candidate) {
                current = candidate;
                progress = true;
            }
        }
        for path in paths(&current) {
            let Some(node) = get_mut(&mut current.clone(), &path).map(|node| node.clone()) else {
                continue;
            };
            let empty = match node {
                Value::Object(map) if !map.is_empty() => Value::Object(serde_json::Map::new()),
                Value::Array(items) if !items.is_empty() => Value::Array(Vec::new()),
                Value::String(text) if text.chars().count() > 1 => Value::String(String::new()),
                _ => continue,
            };
            let mut candidate = current.clone();
            if let Some(slot) = get_mut(&mut candidate, &path) {
                *slot = empty;
            }
            if spent(&mut tries) {
                return current;
            }
            if still_fails(&candidate) {
                current = candidate;
                progress = true;
            }
        }
        if !progress {
            return current;
        }
    }
}
