//! Shared helpers for the integration tests: the in-process fake of the sandboxes API,
//! raw-TCP servers, and the request values the tests share.

pub mod fake_server;
pub mod raw_server;
pub mod sample;

/// The README, so that its Rust example is compiled as a doctest.
#[doc = include_str!("../../README.md")]
pub mod readme {}
