-- apigw-lsp for Neovim 0.7+: starts the server for YAML and JSON buffers (the server
-- itself decides which files are CloudFormation/SAM/OpenAPI templates).
--
--   require("apigw_lsp").setup({
--     cmd = { "apigw-lsp" },                       -- or an absolute path
--     severity = { ["missing-credentials"] = "warning", ["value-length"] = "off" },
--   })
--
-- On Neovim 0.11+ you can instead use `vim.lsp.enable("apigw_lsp")` (see lsp/apigw_lsp.lua).
local M = {}

M.defaults = {
  cmd = { "apigw-lsp" },
  filetypes = { "yaml", "json", "jsonc" },
  root_markers = { ".apigw-lsp.toml", ".git" },
  -- Per-code severity: error, warning, information, hint or off.
  severity = {},
}

local client_id -- Neovim 0.7: one client shared by every buffer

local function root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.fs and vim.fs.find then
    local found = vim.fs.find(markers, { path = vim.fs.dirname(name), upward = true })[1]
    if found then
      return vim.fs.dirname(found)
    end
  end
  return vim.fn.getcwd()
end

--- The client configuration for `vim.lsp.start` / `vim.lsp.start_client`.
function M.client_config(opts, bufnr)
  local settings = { apigwLsp = { severity = opts.severity or {} } }
  return {
    name = "apigw_lsp",
    cmd = opts.cmd,
    root_dir = root_dir(bufnr or 0, opts.root_markers),
    init_options = settings,
    settings = settings,
  }
end

--- Starts (or reuses) the server for `bufnr`.
function M.attach(bufnr, opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  local config = M.client_config(opts, bufnr)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  -- Neovim 0.7 has no vim.lsp.start.
  if not client_id or not vim.lsp.get_client_by_id(client_id) then
    client_id = vim.lsp.start_client(config)
  end
  if client_id then
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  return client_id
end

function M.setup(opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup("apigw_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
  -- Buffers already open when setup runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr, opts)
    end
  end
end

return M
