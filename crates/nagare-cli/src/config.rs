//! Finding and reading a models folder's `nagare.toml`, the same way for every command.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use nagare::Config;
use nagare::syntax::Lang;

/// Returns the folders whose `nagare.toml` applies to `file`, nearest first: the file's folder
/// and every folder above it up to the folder given on the command line that contains it (the
/// file's own folder when none does), then one more above that. So a procedure folder inside a
/// models folder takes the models folder's settings whether the command is given the models
/// folder, the procedure folder or the file.
pub fn dirs_for(roots: &[PathBuf], file: &Path) -> Vec<PathBuf> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let root = roots
        .iter()
        .filter(|r| r.is_dir() && file.starts_with(r.as_path()))
        .max_by_key(|r| r.components().count())
        .cloned()
        .unwrap_or_else(|| dir.clone());
    let mut dirs: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| d.starts_with(&root))
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect();
    if dirs.is_empty() {
        dirs.push(dir);
    }
    // The folder above the root: `..` of a relative `.` needs the real path to have a parent.
    if let Some(above) = root
        .canonicalize()
        .ok()
        .and_then(|r| r.parent().map(Path::to_path_buf))
    {
        dirs.push(above);
    }
    dirs
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
