//! Finding and reading a models folder's `nagare.toml`, the same way for every command.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use nagare::Config;
use nagare::syntax::Lang;

/// Returns the folders whose `nagare.toml` applies to `file`, nearest first: the folder given on
/// the command line that contains it, else the file's folder and the one above (a procedure
/// folder inside a models folder).
pub fn dirs_for(roots: &[PathBuf], file: &Path) -> Vec<PathBuf> {
    if let Some(root) = roots
        .iter()
        .find(|r| r.is_dir() && file.starts_with(r.as_path()))
    {
        return vec![root.clone()];
    }
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let up = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.parent().map(Path::to_path_buf));
    std::iter::once(dir).chain(up).collect()
}

/// Reads the first `nagare.toml` in `dirs` (defaults when none has one).
///
/// # Errors
/// If the file cannot be read or its settings are invalid (message in `lang`, with the path).
pub fn load(dirs: &[PathBuf], lang: Lang) -> anyhow::Result<Config> {
    for dir in dirs {
        let path = dir.join("nagare.toml");
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| match lang {
            Lang::Ja => format!("{} を読めません", path.display()),
            Lang::En => format!("cannot read {}", path.display()),
        })?;
        return Config::from_toml(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message().get(lang)));
    }
    Ok(Config::default())
}
