-- apigw-lsp for Neovim 0.7+: starts the server for YAML, JSON and Terraform buffers
-- (filetypes terraform and hcl; the server itself decides which files are
-- CloudFormation/SAM/OpenAPI templates or declare API Gateway integrations).
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
  filetypes = { "yaml", "json", "jsonc", "terraform", "hcl" },
  -- The nearest folder holding one of these is the workspace root, where the server reads
  -- `.apigw-lsp.toml`; without one, the current directory.
  root_markers = { ".apigw-lsp.toml", ".git" },
  -- Per-code severity: error, warning, information, hint or off. Sent to the server as
  -- initializationOptions and settings, as { apigwLsp = { severity = ... } }.
  severity = {},
  -- Extra settings merged under the above (the server reads `apigwLsp.severity`).
  settings = {},
  -- Passed to the client as they are, when given.
  on_attach = nil,
  capabilities = nil,
}

local clients = {} -- Neovim 0.7: one client per root folder

-- The nearest folder above `bufnr`'s file that holds one of `markers`, else the cwd.
local function root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return vim.fn.getcwd()
  end
  local dir = vim.fn.fnamemodify(name, ":p:h")
  if vim.fs and vim.fs.find then -- 0.8+
    local found = vim.fs.find(markers, { path = dir, upward = true })[1]
    return found and vim.fs.dirname(found) or vim.fn.getcwd()
  end
  -- 0.7: findfile/finddir search upward with a trailing ";". Keep the nearest match.
  local best
  for _, marker in ipairs(markers) do
    for _, find in ipairs({ vim.fn.findfile, vim.fn.finddir }) do
      local found = find(marker, vim.fn.fnameescape(dir) .. ";")
      if found ~= "" then
        -- ":p:h" is the folder holding a file; for a folder (":p" ends in "/"), the folder itself.
        local parent = vim.fn.fnamemodify(found, ":p:h")
        if find == vim.fn.finddir then
          parent = vim.fn.fnamemodify(parent, ":h")
        end
        if not best or #parent > #best then
          best = parent
        end
      end
    end
  end
  return best or vim.fn.getcwd()
end

--- The defaults with `opts` over them. A list given (cmd, filetypes, root_markers) replaces
--- the default one whole.
function M.options(opts)
  return vim.tbl_extend("force", M.defaults, opts or {})
end

--- The client configuration for `vim.lsp.start` / `vim.lsp.start_client`.
function M.client_config(opts, bufnr)
  local settings = vim.deepcopy(opts.settings or {})
  -- Only a non-empty table: an empty Lua table is sent as a JSON array.
  if opts.severity and next(opts.severity) then
    settings = vim.tbl_deep_extend("force", settings, { apigwLsp = { severity = opts.severity } })
  end
  if not next(settings) then
    settings = nil
  end
  return {
    name = "apigw_lsp",
    cmd = opts.cmd,
    root_dir = root_dir(bufnr or 0, opts.root_markers),
    init_options = settings,
    settings = settings,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

--- Starts (or reuses) the server for `bufnr`; returns the client id.
function M.attach(bufnr, opts)
  opts = M.options(opts)
  local config = M.client_config(opts, bufnr)
  if vim.lsp.start then -- 0.8+: reuses a client with the same name and root
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  -- Neovim 0.7 has no vim.lsp.start.
  local id = clients[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

function M.setup(opts)
  opts = M.options(opts)
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
