//! `nagare candidates`.

use std::process::ExitCode;

use nagare::syntax::Lang;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let _ = (args, lang);
    anyhow::bail!("`nagare candidates` is not built yet")
}
