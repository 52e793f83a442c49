//! The Zed extension: tells Zed how to start `apigw-lsp` for YAML and JSON files.
//!
//! The binary is the user's configured `lsp.apigw-lsp.binary.path`, else `apigw-lsp`
//! on the worktree's `PATH`. Settings under `lsp.apigw-lsp.initialization_options`
//! and `lsp.apigw-lsp.settings` reach the server as they are (for example
//! `{"apigwLsp": {"severity": {"missing-credentials": "warning"}}}`).

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "apigw-lsp";

struct ApigwLsp;

impl zed::Extension for ApigwLsp {
    fn new() -> Self {
        ApigwLsp
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let configured = binary.as_ref().and_then(|b| b.path.clone());
        let command = configured
            .or_else(|| worktree.which(SERVER))
            .ok_or_else(|| {
                format!(
                    "{SERVER} was not found on PATH. Install it with `cargo install --locked --path server` \
                     from the apigw-lsp repository, or set lsp.{SERVER}.binary.path in your settings."
                )
            })?;
        Ok(zed::Command {
            command,
            args: binary.and_then(|b| b.arguments).unwrap_or_default(),
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.settings))
    }
}

zed::register_extension!(ApigwLsp);
