//! The arguments editors add when they start a language server.
//!
//! vscode-languageclient starts `podlint lsp` with `--stdio` (its `TransportKind.stdio`) and
//! may add `--clientProcessId=N`; other launchers pass the same flags. podlint speaks LSP on
//! stdin and stdout only, so `--stdio` is accepted, the informational flags are ignored, and a
//! request for another transport is refused with a message that says what to change.

/// Checks the arguments after `podlint lsp`. `Err` carries the message for stderr.
pub fn check_args<I, S>(args: I) -> Result<(), String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        let arg = arg.as_ref().to_string_lossy().into_owned();
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        match name.as_str() {
            "--stdio" => {}
            // Informational: the process to outlive is the client's business here.
            "--clientProcessId" | "--client-process-id" => {
                if inline_value.is_none() {
                    // `--clientProcessId 1234`: the value is the next argument.
                    args.next_if(|next| {
                        next.as_ref()
                            .to_string_lossy()
                            .bytes()
                            .all(|b| b.is_ascii_digit())
                    });
                }
            }
            "--node-ipc" | "--socket" | "--port" | "--pipe" => {
                return Err(format!(
                    "`{name}`: podlint's language server speaks over stdin and stdout only; \
                     start it as `podlint lsp` (or `podlint lsp --stdio`), e.g. with \
                     `TransportKind.stdio` in vscode-languageclient"
                ));
            }
            _ => {
                return Err(format!(
                    "`podlint lsp` does not take `{arg}`; it takes `--stdio` (the default) \
                     and ignores `--clientProcessId=N`"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_args;

    #[test]
    fn launcher_flags_are_accepted() {
        assert!(check_args(["--stdio"]).is_ok());
        assert!(check_args(["--stdio", "--clientProcessId=4242"]).is_ok());
        assert!(check_args(["--clientProcessId", "4242", "--stdio"]).is_ok());
        assert!(check_args(Vec::<String>::new()).is_ok());
    }

    #[test]
    fn other_transports_and_unknown_flags_are_refused() {
        assert!(check_args(["--node-ipc"])
            .unwrap_err()
            .contains("stdin and stdout"));
        assert!(check_args(["--socket=5000"])
            .unwrap_err()
            .contains("stdin and stdout"));
        assert!(check_args(["--verbose"]).unwrap_err().contains("--verbose"));
    }
}
