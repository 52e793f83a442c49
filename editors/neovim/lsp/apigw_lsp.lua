-- Neovim 0.11+: `vim.lsp.enable("apigw_lsp")` with this directory on 'runtimepath'.
-- Override with vim.lsp.config("apigw_lsp", { cmd = { "/path/to/apigw-lsp" } }).
local settings = { apigwLsp = { severity = {} } }
return {
  cmd = { "apigw-lsp" },
  filetypes = { "yaml", "json", "jsonc" },
  root_markers = { ".apigw-lsp.toml", ".git" },
  init_options = settings,
  settings = settings,
}
