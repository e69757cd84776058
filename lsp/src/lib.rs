//! podlint's language server: [`podlint_lint`] behind LSP 3.17 (tower-lsp-server).
//!
//! `podlint lsp` calls [`run_stdio`]. The modules each do one job: [`documents`] keeps the
//! open texts, [`convert`] maps byte offsets to the client's positions, [`diagnostics`]
//! turns findings into LSP diagnostics, and [`code_actions`], [`hover`], [`completion`] and
//! [`symbols`] answer the requests of the same names.

pub mod code_actions;
pub mod completion;
mod config;
pub mod convert;
pub mod cursor;
pub mod diagnostics;
pub mod documents;
#[doc(hidden)]
pub mod exercise;
pub mod hover;
mod json;
pub mod launch;
mod outbox;
mod pending;
pub mod refactor;
mod server;
pub mod symbols;
pub mod wire;
mod worker;

use tokio::io::{AsyncRead, AsyncWrite, BufReader};
use tower_lsp_server::{LspService, Server};

pub use server::Backend;
pub use wire::Exit;

/// Serves one client over a pair of streams until it sends `exit` or closes its end.
///
/// The client's messages pass through [`wire`] on their way to tower-lsp-server, which
/// answers malformed ones itself, so the server keeps serving after a bad message. Published
/// diagnostics are serialised by us and join the outgoing messages there too.
pub async fn serve(input: impl AsyncRead + Unpin, output: impl AsyncWrite) -> Exit {
    const PIPE: usize = 1 << 16;
    let (messages, outgoing) = tokio::sync::mpsc::channel(64);
    // Diagnostics skip tower-lsp-server's encoder and join the outgoing queue directly.
    let outbox = outbox::Outbox::new(&messages);
    let (service, socket) = LspService::new(|client| Backend::new(client, outbox));
    let (to_server, server_input) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let server = Server::new(server_input, server_output, socket).serve(service);
    let filter = wire::filter_input(BufReader::new(input), to_server, messages.clone());
    let forward = wire::forward_output(BufReader::new(from_server), messages);
    let write = wire::write_output(outgoing, output);
    let (exit, (), (), ()) = tokio::join!(filter, server, forward, write);
    exit
}

/// `podlint lsp`: serves over stdin and stdout with a runtime of its own, so callers need
/// no async runtime. Returns when the client exits, with how it did.
pub fn run_stdio() -> std::io::Result<Exit> {
    let (input, output) = std_streams()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let exit = runtime.block_on(serve(
        tokio::fs::File::from_std(input),
        tokio::fs::File::from_std(output),
    ));
    // Lint jobs still running on the blocking pool are not worth waiting for.
    runtime.shutdown_background();
    Ok(exit)
}

/// Our own handles on the process's stdin and stdout. Going through `std::io::stdin()` would
/// wait for its lock, which the command line may hold for the whole run.
fn std_streams() -> std::io::Result<(std::fs::File, std::fs::File)> {
    #[cfg(unix)]
    use std::os::fd::AsFd as AsOwnable;
    #[cfg(windows)]
    use std::os::windows::io::AsHandle as AsOwnable;
    #[cfg(unix)]
    fn own(stream: &impl AsOwnable) -> std::io::Result<std::fs::File> {
        Ok(stream.as_fd().try_clone_to_owned()?.into())
    }
    #[cfg(windows)]
    fn own(stream: &impl AsOwnable) -> std::io::Result<std::fs::File> {
        Ok(stream.as_handle().try_clone_to_owned()?.into())
    }
    Ok((own(&std::io::stdin())?, own(&std::io::stdout())?))
}
