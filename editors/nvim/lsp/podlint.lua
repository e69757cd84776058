-- podlint's language server for Neovim 0.11+: put this directory on 'runtimepath' (or copy
-- this file to ~/.config/nvim/lsp/podlint.lua) and call `vim.lsp.enable('podlint')`.
---@type vim.lsp.Config
return {
  cmd = { 'podlint', 'lsp' },
  filetypes = { 'yaml' },
  root_markers = { '.podlint.yaml', '.git' },
}
