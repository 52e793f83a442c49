//! The Zed extension: tells Zed how to start `apigw-lsp` for YAML, JSON and Terraform
//! files (the languages and their LSP ids are in `extension.toml`).
//!
//! The binary is, in this order: the user's `lsp.apigw-lsp.binary.path`, `apigw-lsp` on
//! the worktree's `PATH`, or the release binary for this platform, downloaded from the
//! project's GitHub releases into the extension's working directory (and reused, offline
//! too, until a newer release appears). Settings under
//! `lsp.apigw-lsp.initialization_options` and `lsp.apigw-lsp.settings` reach the server as
//! they are (for example `{"apigwLsp": {"severity": {"missing-credentials": "warning"}}}`).

use std::fs;

use zed_extension_api::{
    self as zed, settings::LspSettings, Architecture, DownloadedFileType, GithubReleaseOptions,
    LanguageServerId, LanguageServerInstallationStatus, Os, Result,
};

const SERVER: &str = "apigw-lsp";
/// The GitHub repository whose releases carry the binaries (see the repository's
/// ARCHITECTURE.md, "Where the project lives").
const REPO: &str = "apigw-lsp/apigw-lsp";

/// The release asset for a platform, as `.github/release/archive.sh` names it: the
/// archive, how it is packed, and the binary at its top level. Linux gets the static musl
/// build, which runs on any distribution.
fn release_asset(os: Os, arch: Architecture) -> Result<(String, DownloadedFileType, &'static str)> {
    let target = match (os, arch) {
        (Os::Mac, Architecture::Aarch64) => "aarch64-apple-darwin",
        (Os::Mac, Architecture::X8664) => "x86_64-apple-darwin",
        (Os::Linux, Architecture::Aarch64) => "aarch64-unknown-linux-musl",
        (Os::Linux, Architecture::X8664) => "x86_64-unknown-linux-musl",
        (Os::Windows, Architecture::X8664) => "x86_64-pc-windows-msvc",
        (os, arch) => {
            return Err(format!(
                "{SERVER} publishes no binary for {os:?} {arch:?}: install it with `pipx install {SERVER}` \
                 or `cargo install`, or set lsp.{SERVER}.binary.path in your settings."
            ))
        }
    };
    Ok(match os {
        Os::Windows => (
            format!("{SERVER}-{target}.zip"),
            DownloadedFileType::Zip,
            "apigw-lsp.exe",
        ),
        _ => (
            format!("{SERVER}-{target}.tar.gz"),
            DownloadedFileType::GzipTar,
            "apigw-lsp",
        ),
    })
}

/// The folder a release version is unpacked into, inside the extension's working directory.
fn version_dir(version: &str) -> String {
    format!("{SERVER}-{version}")
}

fn is_file(path: &str) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file())
}

#[derive(Default)]
struct ApigwLsp {
    /// The downloaded binary found or fetched earlier in this session.
    cached_binary_path: Option<String>,
}

impl ApigwLsp {
    /// The release binary for this platform: the cached one, else the latest release's
    /// (downloaded when it is not here yet), else, when GitHub cannot be reached, the newest
    /// one downloaded before.
    fn release_binary(&mut self, id: &LanguageServerId) -> Result<String> {
        if let Some(path) = &self.cached_binary_path {
            if is_file(path) {
                return Ok(path.clone());
            }
        }
        let (os, arch) = zed::current_platform();
        let (asset_name, file_type, exe) = release_asset(os, arch)?;
        zed::set_language_server_installation_status(
            id,
            &LanguageServerInstallationStatus::CheckingForUpdate,
        );
        let release = match zed::latest_github_release(
            REPO,
            GithubReleaseOptions {
                require_assets: true,
                pre_release: false,
            },
        ) {
            Ok(release) => release,
            Err(err) => {
                if let Some(path) = previously_downloaded(exe) {
                    zed::set_language_server_installation_status(
                        id,
                        &LanguageServerInstallationStatus::None,
                    );
                    self.cached_binary_path = Some(path.clone());
                    return Ok(path);
                }
                return Err(format!(
                    "{SERVER} is not on PATH and its latest release could not be fetched from {REPO}: {err}"
                ));
            }
        };
        let asset = release
            .assets
            .iter()
            .find(|asset| asset.name == asset_name)
            .ok_or_else(|| {
                format!(
                    "release {} of {REPO} has no asset {asset_name}",
                    release.version
                )
            })?;
        let dir = version_dir(&release.version);
        let binary_path = format!("{dir}/{exe}");
        if !is_file(&binary_path) {
            zed::set_language_server_installation_status(
                id,
                &LanguageServerInstallationStatus::Downloading,
            );
            zed::download_file(&asset.download_url, &dir, file_type)
                .map_err(|err| format!("downloading {asset_name}: {err}"))?;
            zed::make_file_executable(&binary_path)?;
            // Older versions go once the new one is in place.
            if let Ok(entries) = fs::read_dir(".") {
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.starts_with(&format!("{SERVER}-")) && name != dir {
                        let _ = fs::remove_dir_all(entry.path());
                    }
                }
            }
        }
        zed::set_language_server_installation_status(id, &LanguageServerInstallationStatus::None);
        self.cached_binary_path = Some(binary_path.clone());
        Ok(binary_path)
    }
}

/// A binary unpacked by an earlier download (for working offline).
fn previously_downloaded(exe: &str) -> Option<String> {
    let mut dirs: Vec<String> = fs::read_dir(".")
        .ok()?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&format!("{SERVER}-")))
        .collect();
    dirs.sort();
    dirs.into_iter()
        .rev()
        .map(|dir| format!("{dir}/{exe}"))
        .find(|path| is_file(path))
}

impl zed::Extension for ApigwLsp {
    fn new() -> Self {
        ApigwLsp::default()
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_default();
        // The user's setting and PATH come first; the release download only when neither has it.
        let command = match binary.and_then(|b| b.path).or_else(|| worktree.which(SERVER)) {
            Some(path) => path,
            None => self.release_binary(id).map_err(|err| {
                zed::set_language_server_installation_status(
                    id,
                    &LanguageServerInstallationStatus::Failed(err.clone()),
                );
                format!(
                    "{err}. Install {SERVER} (`pipx install {SERVER}`, or a release binary on PATH), \
                     or set lsp.{SERVER}.binary.path in your settings."
                )
            })?,
        };
        Ok(zed::Command {
            command,
            args,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_platform_has_the_release_workflow_archive() {
        let workflow = include_str!("../../../.github/workflows/release.yml");
        let platforms = [
            (Os::Mac, Architecture::Aarch64),
            (Os::Mac, Architecture::X8664),
            (Os::Linux, Architecture::Aarch64),
            (Os::Linux, Architecture::X8664),
            (Os::Windows, Architecture::X8664),
        ];
        for (os, arch) in platforms {
            let (name, file_type, exe) = release_asset(os, arch).expect("supported");
            let target = name
                .strip_prefix("apigw-lsp-")
                .and_then(|n| n.strip_suffix(".tar.gz").or_else(|| n.strip_suffix(".zip")))
                .expect("archive name");
            assert!(
                workflow.contains(&format!("target: {target},")),
                "release.yml builds no {target}"
            );
            let windows = matches!(os, Os::Windows);
            assert_eq!(
                windows,
                matches!(file_type, DownloadedFileType::Zip),
                "{name}"
            );
            assert_eq!(
                exe,
                if windows {
                    "apigw-lsp.exe"
                } else {
                    "apigw-lsp"
                }
            );
        }
    }

    #[test]
    fn unsupported_platforms_say_what_to_do() {
        let err = release_asset(Os::Windows, Architecture::Aarch64).expect_err("unsupported");
        assert!(err.contains("pipx install apigw-lsp"), "{err}");
        assert!(release_asset(Os::Linux, Architecture::X86).is_err());
    }

    #[test]
    fn versions_unpack_into_their_own_folder() {
        assert_eq!(version_dir("v0.2.0"), "apigw-lsp-v0.2.0");
    }
}
