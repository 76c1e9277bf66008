//! The runtime every generated client is built on, as a crate of its own so that it is
//! compiled, linted and unit-tested where it is written.
//!
//! A generated crate does not depend on this crate: the generator copies the module
//! files next to this one into it, verbatim (the "inlineable runtime" pattern), so a
//! generated crate stays self-contained. That is why the modules are declared here with
//! the same names and paths they have there (`crate::error`, `crate::request`, ...), and
//! why nothing in them names a generated item: what is particular to a spec (its
//! request-id header, its secret query parameters) reaches them through
//! `transport::Config`.

// Every generated crate uses a different part of the runtime (a spec without query
// parameters never calls `request::query_pairs`), so nothing here is used by every
// crate, and this crate itself uses none of it but in its tests.
#![allow(dead_code)]

mod base64_bytes;
mod call;
#[cfg(feature = "cli")]
mod cli;
#[cfg(feature = "cli")]
mod cli_wait;
mod date_header;
// Used by the enums a generated crate has, if any.
#[allow(unused_macros, unused_imports)]
mod enum_impls;
mod error;
mod file_part;
#[cfg(feature = "mock")]
mod mock;
#[cfg(all(test, feature = "mock"))]
mod mock_tests;
mod observe;
mod pagination;
mod pattern;
mod redact;
mod request;
mod response;
mod retry;
mod sse;
mod transport;
mod validation;
mod wait;

pub use base64_bytes::Base64Bytes;
pub use call::{Call, Operation, Request};
pub use error::{BuildError, Error, InvalidRequest, RawResponse};
pub use file_part::FilePart;
pub use observe::{ObservedRequest, ObservedResponse, Observer};
pub use response::{HeaderError, Response, ResponseHeaders};
pub use retry::RetryPolicy;
pub use sse::{Event, EventStream, StreamError, StreamingOperation};
pub use validation::{Limit, Rule, Validate, ValidationError};
pub use wait::{WaitError, WaitOptions, Waiter};

#[cfg(test)]
mod tests;
