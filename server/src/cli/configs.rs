//! Which `.apigw-lsp.toml` applies to a checked file: the nearest one walking up from
//! the file's folder, stopping at the repository root (the folder holding `.git`, a
//! folder or a worktree's file) or the filesystem root. `--config FILE` replaces the
//! search; `--ignore`/`--severity` flags go on top of either.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};

/// Finds, reads and caches configuration files.
pub struct Configs {
    flags: Config,
    /// `--config FILE`, read and merged with the flags.
    explicit: Option<Config>,
    /// Folder → the configuration file found walking up from it.
    found: HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration file → its settings merged with the flags.
    loaded: HashMap<PathBuf, Config>,
    /// Configuration file → its `[files]` globs, compiled.
    globs: HashMap<PathBuf, config::FileGlobs>,
    explicit_path: Option<PathBuf>,
}

/// Reads a configuration file; its warnings go to `warn`, prefixed with its path.
fn load(path: &Path, flags: &Config, warn: &mut dyn FnMut(String)) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("{}: cannot read: {err}", path.display()))?;
    let (mut config, warnings) = Config::from_toml(&text);
    for w in warnings {
        warn(format!("{}: {w}", path.display()));
    }
    config.merge(flags);
    Ok(config)
}

impl Configs {
    /// With `--config FILE`, that file is read now (an error if it cannot be).
    pub fn new(
        flags: Config,
        explicit: Option<&Path>,
        warn: &mut dyn FnMut(String),
    ) -> Result<Self, String> {
        let explicit_path = explicit;
        let explicit = match explicit {
            Some(path) => Some(load(path, &flags, warn)?),
            None => None,
        };
        Ok(Configs {
            flags,
            explicit,
            found: HashMap::new(),
            loaded: HashMap::new(),
            globs: HashMap::new(),
            explicit_path: explicit_path.map(Path::to_path_buf),
        })
    }

    /// The settings for `file`: `--config`, else the nearest `.apigw-lsp.toml`, with the
    /// flags on top. An error when a configuration file exists but cannot be read.
    pub fn for_file(
        &mut self,
        file: &Path,
        warn: &mut dyn FnMut(String),
    ) -> Result<Config, String> {
        if let Some(config) = &self.explicit {
            return Ok(config.clone());
        }
        let Some(path) = self.find(file)? else {
            return Ok(self.flags.clone());
        };
        if let Some(config) = self.loaded.get(&path) {
            return Ok(config.clone());
        }
        let config = load(&path, &self.flags, warn)?;
        self.loaded.insert(path, config.clone());
        Ok(config)
    }

    /// Whether a file found by walking a folder is one to check: the `[files]` globs of
    /// the configuration that applies to it, matched against its path relative to that
    /// configuration file's folder. Bad patterns go to `warn` once.
    pub fn allows(&mut self, file: &Path, warn: &mut dyn FnMut(String)) -> bool {
        let path = match &self.explicit_path {
            Some(path) => Some(path.clone()),
            None => self.find(file).ok().flatten(),
        };
        let Some(path) = path else {
            return true;
        };
        let Ok(config) = self.for_file(file, warn) else {
            return true;
        };
        let globs = self.globs.entry(path.clone()).or_insert_with(|| {
            let (globs, warnings) = config.file_globs();
            for w in warnings {
                warn(format!("{}: {w}", path.display()));
            }
            globs
        });
        let base = path.parent().unwrap_or(Path::new("."));
        let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
        match absolute.strip_prefix(&base) {
            Ok(relative) => globs.allows(&relative.to_string_lossy().replace('\\', "/")),
            Err(_) => true,
        }
    }

    /// The nearest configuration file above `file`, within its repository.
    fn find(&mut self, file: &Path) -> Result<Option<PathBuf>, String> {
        let absolute = if file.is_absolute() {
            file.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| format!("cannot read the current directory: {e}"))?
                .join(file)
        };
        let Some(parent) = absolute.parent() else {
            return Ok(None);
        };
        // Resolves `..` (and links) so the walk goes through the real parents.
        let start = parent
            .canonicalize()
            .unwrap_or_else(|_| parent.to_path_buf());
        let mut visited = Vec::new();
        let mut dir = Some(start.as_path());
        let mut result = None;
        while let Some(d) = dir {
            if let Some(known) = self.found.get(d) {
                result = known.clone();
                break;
            }
            visited.push(d.to_path_buf());
            let candidate = d.join(config::FILE_NAME);
            match std::fs::symlink_metadata(&candidate) {
                Ok(_) => {
                    result = Some(candidate);
                    break;
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(format!("{}: {err}", candidate.display())),
            }
            if std::fs::symlink_metadata(d.join(".git")).is_ok() {
                break;
            }
            dir = d.parent();
        }
        for d in visited {
            self.found.insert(d, result.clone());
        }
        Ok(result)
    }
}
