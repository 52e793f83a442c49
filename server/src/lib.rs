//! apigw-lsp: checks Amazon API Gateway HTTP API first-class AWS service integrations
//! in CloudFormation, SAM and OpenAPI templates, as a language server and a CLI.
//!
//! The analysis layer (`document`, `syntax`, `model`, `catalog`, `suggest`, `expr`,
//! `rules`, `analysis`) knows nothing about LSP; `lsp` converts, and `cli` formats for CI.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod document;
pub mod expr;
#[doc(hidden)]
pub mod fuzzing;
pub mod lsp;
pub mod model;
pub mod position;
pub mod rules;
pub mod suggest;
pub mod syntax;
pub mod workspace;
