//! Shared helpers for the integration tests: the in-process fake of the sandboxes API.

pub mod fake_server;
pub mod raw_server;

/// The README, so that its Rust example is compiled as a doctest.
#[doc = include_str!("../../README.md")]
pub mod readme {}
