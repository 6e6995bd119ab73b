//! `nagare serve <folder>`: the web viewer on a folder of models, with live reload.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use nagare::syntax::Lang;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of models (`<folder>/<procedure>/<variant>.flow`).
    #[arg(default_value = "models")]
    pub folder: PathBuf,
    /// The address to listen on; the default keeps the viewer private to this computer.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port; 0 picks a free port (the URL is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the viewer in the default browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    if !args.host.is_loopback() {
        let note = match lang {
            Lang::Ja => {
                "注意: ループバック以外のアドレスで待ち受けます。同じネットワークの誰でもモデルを閲覧できます"
            }
            Lang::En => {
                "note: listening on a non-loopback address: anyone on the network can read the models"
            }
        };
        eprintln!("nagare: {note}");
    }
    let config = nagare_web::ServeConfig {
        folder: args.folder.clone(),
        host: args.host,
        port: args.port,
        open: args.open,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(nagare_web::serve(config))?;
    Ok(ExitCode::SUCCESS)
}
