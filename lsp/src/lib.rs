//! The language server (tower-lsp-server) over `podlint-lint`.
