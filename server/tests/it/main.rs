//! The HTTP integration tests: one test binary, so the whole server links once rather than once per file.
//! Each module is one area of the product; `common` starts real servers on fresh databases.

mod common;

mod access;
mod access_check;
mod auth;
mod compare;
mod contacts;
mod durability;
mod events;
mod guides;
mod headers;
mod import;
mod instances;
mod migrations;
mod permissions_matrix;
mod publishing;
mod references;
mod sanitise;
mod search;
mod security;
mod sign_in_limits;
mod waivers;
