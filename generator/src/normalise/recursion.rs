//! Recursive types: a type that contains itself by value has no size in Rust.
//!
//! After all types are defined, the "contains by value" graph is built (a struct field
//! or union member of type `T` or `Option<T>`; `Vec` and maps hold their items on the
//! heap and break the chain). Every such edge inside a strongly connected component
//! (including a self-loop) is boxed. Type aliases cannot refer to themselves at all, so a
//! recursive alias (`Tree = Vec<Tree>`) becomes a newtype.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Boxes the by-value edges that close a cycle, and turns recursive aliases into newtypes.
/// An alias that is its own value (`A = allOf [$ref A]`, with nothing around it) describes
/// no data; it becomes `serde_json::Value`, and its pointer is returned for a warning.
pub(super) fn break_cycles(types: &mut [TypeDef]) -> Vec<String> {
    let mut degenerate = Vec::new();
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(position, definition)| (definition.name.clone(), position))
        .collect();

    // Aliases that reach themselves through other aliases (at any depth) become newtypes.
    let recursive_aliases: BTreeSet<usize> = (0..types.len())
        .filter(|&start| alias_reaches(types, &index, start))
        .collect();
    for &position in &recursive_aliases {
        if let TypeKind::Alias(target) = &types[position].kind {
            types[position].kind = if holds_by_value(target) {
                degenerate.push(types[position].origin.clone());
                TypeKind::Alias(TypeRef::Json)
            } else {
                TypeKind::Newtype(target.clone())
            };
        }
    }

    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|definition| {
            let mut targets = Vec::new();
            match &definition.kind {
                TypeKind::Struct(structure) => {
                    for field in &structure.fields {
                        by_value_target(&field.ty, &index, &mut targets);
                    }
                }
                TypeKind::Union(union) => {
                    for variant in &union.variants {
                        by_value_target(&variant.ty, &index, &mut targets);
                    }
                }
                TypeKind::Alias(target) | TypeKind::Newtype(target) => {
                    by_value_target(target, &index, &mut targets)
                }
                TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
            }
            targets
        })
        .collect();
    let component = strongly_connected_components(&edges);

    for position in 0..types.len() {
        let same_component = |ty: &TypeRef| {
            let mut targets = Vec::new();
            by_value_target(ty, &index, &mut targets);
            targets
                .iter()
                .any(|&target| component[target] == component[position])
        };
        match &mut types[position].kind {
            TypeKind::Struct(structure) => {
                for field in &mut structure.fields {
                    field.boxed = same_component(&field.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = same_component(&variant.ty);
                }
            }
            _ => {}
        }
    }
    degenerate
}

/// Whether `ty` is a named type itself (`T` or `Option<T>`), not a container of it.
fn holds_by_value(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Nullable(inner) => holds_by_value(inner),
        _ => false,
    }
}

/// The named type `ty` holds by value, if any (`T` or `Option<T>`).
fn by_value_target(ty: &TypeRef, index: &BTreeMap<String, usize>, targets: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(name) => targets.extend(index.get(name)),
        TypeRef::Nullable(inner) => by_value_target(inner, index, targets),
        // A tuple holds its positions inline, as a struct its fields.
        TypeRef::Tuple(positions) => {
            for position in positions {
                by_value_target(position, index, targets);
            }
        }
        _ => {}
    }
}

/// Every named type `ty` mentions, at any depth.
fn mentioned(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mentioned(inner, out)
        }
        TypeRef::Tuple(positions) => {
            for position in positions {
                mentioned(position, out);
            }
        }
        _ => {}
    }
}

/// Whether the alias at `start` mentions itself through a chain of aliases.
fn alias_reaches(types: &[TypeDef], index: &BTreeMap<String, usize>, start: usize) -> bool {
    let TypeKind::Alias(_) = &types[start].kind else {
        return false;
    };
    let mut seen = BTreeSet::new();
    let mut pending = vec![start];
    while let Some(position) = pending.pop() {
        let TypeKind::Alias(target) = &types[position].kind else {
            continue;
        };
        let mut names = Vec::new();
        mentioned(target, &mut names);
        for name in names {
            let Some(&next) = index.get(&name) else {
                continue;
            };
            if next == start {
                return true;
            }
            if seen.insert(next) {
                pending.push(next);
            }
        }
    }
    false
}

/// Tarjan's algorithm, iterative (a deep spec must not overflow the stack). Returns the
/// component number of each node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = edges.len();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNVISITED; count];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..count {
        if order[root] != UNVISITED {
            continue;
        }
        // (node, index of the next edge to visit)
        let mut work = vec![(root, 0usize)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&target) = edges[node].get(*edge) {
                *edge += 1;
                if order[target] == UNVISITED {
                    order[target] = next_order;
                    low[target] = next_order;
                    next_order += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
