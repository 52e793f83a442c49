-- Neovim 0.11+: `vim.lsp.enable("apigw_lsp")` with this plugin folder on 'runtimepath'.
-- Override or extend with vim.lsp.config, for example:
--   vim.lsp.config("apigw_lsp", {
--     cmd = { "/path/to/apigw-lsp" },
--     settings = { apigwLsp = { severity = { ["missing-credentials"] = "warning" } } },
--   })
-- (No empty settings table here: Lua's {} would reach the server as a JSON array.)
return {
  cmd = { "apigw-lsp" },
  filetypes = { "yaml", "json", "jsonc" },
  -- The root folder is where the server reads .apigw-lsp.toml.
  root_markers = { ".apigw-lsp.toml", ".git" },
}
