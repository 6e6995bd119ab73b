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
    if !args.folder.is_dir() {
        let shown = args.folder.display();
        anyhow::bail!(match (lang, args.folder.exists()) {
            (Lang::Ja, false) =>
                format!("フォルダ `{shown}` が見つかりません（例: nagare serve models）"),
            (Lang::En, false) =>
                format!("the folder `{shown}` does not exist (e.g. nagare serve models)"),
            (Lang::Ja, true) => format!(
                "`{shown}` はフォルダではありません。モデルのフォルダを指定してください（例: nagare serve models）"
            ),
            (Lang::En, true) => format!(
                "`{shown}` is not a folder: give the folder of models (e.g. nagare serve models)"
            ),
        });
    }
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
    check_port(args, lang)?;
    let config = nagare_web::ServeConfig {
        folder: args.folder.clone(),
        host: args.host,
        port: args.port,
        open: args.open,
        lang,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(nagare_web::serve(config))?;
    Ok(ExitCode::SUCCESS)
}

/// Fails with a message in `lang` when the port cannot be listened on (taken by another program,
/// or reserved), before the models are loaded; the viewer's own message is English only.
fn check_port(args: &Args, lang: Lang) -> anyhow::Result<()> {
    if args.port == 0 {
        return Ok(());
    }
    // Bound and released at once: the viewer binds the same address a moment later.
    let Err(error) = std::net::TcpListener::bind((args.host, args.port)) else {
        return Ok(());
    };
    let port = args.port;
    let text = match (error.kind(), lang) {
        (std::io::ErrorKind::AddrInUse, Lang::Ja) => format!(
            "ポート {port} は別のプログラムが使っています。--port で別の番号を指定するか、--port 0 で空いているポートを選んでください"
        ),
        (std::io::ErrorKind::AddrInUse, Lang::En) => format!(
            "port {port} is in use by another program: give another with --port, or --port 0 to pick a free one"
        ),
        (std::io::ErrorKind::PermissionDenied, Lang::Ja) => format!(
            "ポート {port} で待ち受ける権限がありません（1024 未満のポートは管理者権限が必要です）。8080 などを --port で指定してください"
        ),
        (std::io::ErrorKind::PermissionDenied, Lang::En) => format!(
            "no permission to listen on port {port} (ports below 1024 need administrator rights): give e.g. --port 8080"
        ),
        (_, Lang::Ja) => format!("{}:{port} で待ち受けできません: {error}", args.host),
        (_, Lang::En) => format!("cannot listen on {}:{port}: {error}", args.host),
    };
    anyhow::bail!(text)
}
