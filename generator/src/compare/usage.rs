//! Which named types travel in requests and which in responses.
//!
//! The same change means different things by direction: a value removed from an enum
//! the client sends breaks requests, one removed from an enum it only reads breaks
//! nobody on the wire. A type is in requests when a parameter or request body reaches
//! it, in responses when a response body, header or event reaches it; `readOnly`
//! properties do not carry a type into requests, `writeOnly` ones not into responses.

use std::collections::BTreeSet;

use crate::ir::{Api, Direction, TypeKind, TypeRef};

/// Which ways something travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Travel {
    /// Sent by the client.
    pub request: bool,
    /// Sent by the server.
    pub response: bool,
}

impl Travel {
    /// Both ways.
    pub const BOTH: Travel = Travel {
        request: true,
        response: true,
    };

    /// Either way, when either of the two does.
    pub fn or(self, other: Travel) -> Travel {
        Travel {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    /// Neither way.
    pub fn is_none(self) -> bool {
        !self.request && !self.response
    }

    /// This, narrowed by a property's `readOnly`/`writeOnly` (in either spec).
    pub fn of_field(self, old: Direction, new: Direction) -> Travel {
        let in_requests = |direction| direction != Direction::ReadOnly;
        let in_responses = |direction| direction != Direction::WriteOnly;
        Travel {
            request: self.request && (in_requests(old) || in_requests(new)),
            response: self.response && (in_responses(old) || in_responses(new)),
        }
    }
}

/// The named types each direction reaches.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Usage {
    /// Walks every operation of `api`.
    pub fn new(api: &Api) -> Usage {
        let mut usage = Usage::default();
        for operation in &api.operations {
            for parameter in &operation.parameters {
                reach(api, &parameter.ty, true, &mut usage.request);
            }
            if let Some(body) = &operation.body {
                for ty in body.types() {
                    reach(api, ty, true, &mut usage.request);
                }
            }
            for response in &operation.responses {
                if let Some(body) = &response.body {
                    reach(api, &body.ty, false, &mut usage.response);
                }
                for header in &response.headers {
                    reach(api, &header.ty, false, &mut usage.response);
                }
                if let Some(event) = &response.event_stream {
                    reach(api, event, false, &mut usage.response);
                }
            }
        }
        usage
    }

    /// Which ways the type `name` travels.
    pub fn of(&self, name: &str) -> Travel {
        Travel {
            request: self.request.contains(name),
            response: self.response.contains(name),
        }
    }
}

fn reach(api: &Api, ty: &TypeRef, request: bool, seen: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            reach(api, inner, request, seen);
        }
        TypeRef::Tuple(positions) => {
            for position in positions {
                reach(api, position, request, seen);
            }
        }
        TypeRef::Named(name) => {
            if !seen.insert(name.clone()) {
                return;
            }
            let Some(definition) = api.type_named(name) else {
                return;
            };
            match &definition.kind {
                TypeKind::Struct(structure) => {
                    for field in &structure.fields {
                        let skipped = if request {
                            field.direction == Direction::ReadOnly
                        } else {
                            field.direction == Direction::WriteOnly
                        };
                        if !skipped {
                            reach(api, &field.ty, request, seen);
                        }
                    }
                    if let Some(additional) = &structure.additional {
                        reach(api, &additional.value, request, seen);
                    }
                }
                TypeKind::Union(union) => {
                    for variant in &union.variants {
                        reach(api, &variant.ty, request, seen);
                    }
                }
                TypeKind::Alias(target) | TypeKind::Newtype(target) => {
                    reach(api, target, request, seen);
                }
                TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
            }
        }
        _ => {}
    }
}
