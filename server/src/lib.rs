//! The Trustshare host process: configuration, start-up and router, the routes that are not
//! Leptos pages (exports, JSON API), request guards and background tasks. The binary in
//! `main.rs` is a thin command-line front end over this library.

#![recursion_limit = "512"]

pub mod access_check;
pub mod config;
pub mod error;
pub mod routes;
pub mod security;
pub mod session_store;
pub mod setup;
pub mod site;
pub mod start_lock;
pub mod startup;
pub mod telemetry;
