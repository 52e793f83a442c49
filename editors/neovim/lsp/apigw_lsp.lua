---@brief
---
--- https://github.com/apigw-lsp/apigw-lsp
---
--- Language server for Amazon API Gateway HTTP API first-class AWS service integrations
--- (`IntegrationSubtype` and `RequestParameters`) in CloudFormation, SAM and OpenAPI
--- templates, YAML and JSON, and in Terraform files. It attaches to every YAML, JSON,
--- Terraform and HCL buffer (beside terraform-ls) and stays silent on files that declare
--- no API Gateway integration.
---
--- Install the `apigw-lsp` binary with [mason.nvim](https://github.com/mason-org/mason.nvim)
--- (`:MasonInstall apigw-lsp`), or:
---
--- ```sh
--- pipx install apigw-lsp        # or: uv tool install apigw-lsp
--- ```
---
--- Severities per diagnostic code (`error`, `warning`, `information`, `hint` or `off`) go in
--- `settings`; a `.apigw-lsp.toml` in the root folder works too:
---
--- ```lua
--- vim.lsp.config('apigw_lsp', {
---   settings = { apigwLsp = { severity = { ['missing-credentials'] = 'warning' } } },
--- })
--- ```
---
--- (No empty `settings` table here: Lua's `{}` would reach the server as a JSON array.)

---@type vim.lsp.Config
return {
  cmd = { 'apigw-lsp' },
  filetypes = { 'yaml', 'json', 'jsonc', 'terraform', 'hcl' },
  -- The root folder is where the server reads .apigw-lsp.toml.
  root_markers = { '.apigw-lsp.toml', '.git' },
}
