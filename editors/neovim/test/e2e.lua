-- Headless end-to-end test: nvim --headless --clean -u test/e2e.lua
-- Env: APIGW_PLUGIN (this folder), APIGW_TEMPLATE (a template to open, in a folder that
--      holds a .apigw-lsp.toml making missing-required-parameter a warning),
--      APIGW_MODE: "setup" (require("apigw_lsp").setup with a severity), "enable"
--      (vim.lsp.enable on 0.11+, severity through vim.lsp.config), or "setup-defaults" /
--      "enable-defaults" (the same with no settings at all).
-- Prints PASS/FAIL lines on stdout; exits non-zero on the first failure.
local function out(line)
  io.stdout:write(line .. "\n")
end

local function fail(message)
  out("FAIL " .. message)
  vim.cmd("cquit! 1")
end

local WARN = vim.diagnostic.severity.WARN

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(os.getenv("APIGW_PLUGIN"))
  vim.cmd("filetype on")
  local mode = os.getenv("APIGW_MODE") or "setup"
  -- Editor settings make unknown-parameter a warning; the "-defaults" modes set nothing.
  local severity = { ["unknown-parameter"] = "warning" }
  local defaults = mode:find("-defaults", 1, true) ~= nil
  if mode == "enable" then
    -- What a 0.11 user writes: lsp/apigw_lsp.lua from the runtimepath, plus an override.
    vim.lsp.config("apigw_lsp", { settings = { apigwLsp = { severity = severity } } })
    vim.lsp.enable("apigw_lsp")
  elseif mode == "enable-defaults" then
    vim.lsp.enable("apigw_lsp")
  elseif mode == "setup" then
    require("apigw_lsp").setup({ severity = severity })
  elseif mode == "setup-defaults" then
    require("apigw_lsp").setup()
  else
    error("unknown APIGW_MODE " .. mode)
  end
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("APIGW_TEMPLATE")))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)

  local function find(code)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if tostring(d.code) == code then
        return d
      end
    end
  end
  local function codes()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(list, tostring(d.code))
    end
    return "{" .. table.concat(list, ", ") .. "}"
  end
  local function line_of(text)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      if line:find(text, 1, true) then
        return i - 1, line
      end
    end
    error("no line with " .. text)
  end

  if not vim.wait(15000, function() return find("missing-required-parameter") ~= nil end, 50) then
    return fail("no missing-required-parameter diagnostic; got " .. codes())
  end
  out("PASS diagnostic missing-required-parameter published (" .. mode .. ")")

  -- The workspace root came from the root markers: its .apigw-lsp.toml made it a warning.
  local diagnostic = find("missing-required-parameter")
  if diagnostic.severity ~= WARN then
    return fail("missing-required-parameter has severity " .. tostring(diagnostic.severity)
      .. ": the root folder's .apigw-lsp.toml was not read (root_dir not found from the markers?)")
  end
  local client
  if vim.lsp.get_clients then -- 0.10+
    client = vim.lsp.get_clients({ bufnr = buf, name = "apigw_lsp" })[1]
  else
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
      client = c
    end
  end
  out("PASS root " .. tostring(client and client.config.root_dir) .. " found by its .apigw-lsp.toml")

  local sync = client.server_capabilities.textDocumentSync
  if type(sync) ~= "table" or sync.change ~= 2 then
    return fail("server does not ask for incremental sync: " .. vim.inspect(sync))
  end

  -- An incremental change: add the missing parameter after `QueueUrl: !Ref Queue`.
  local row, line = line_of("QueueUrl:")
  vim.api.nvim_buf_set_text(buf, row, #line, row, #line, { "", "        MessageBody: $request.body" })
  if not vim.wait(15000, function() return find("missing-required-parameter") == nil end, 50) then
    return fail("missing-required-parameter did not go after adding MessageBody; got " .. codes())
  end
  out("PASS incremental edit (add MessageBody) clears the diagnostic")

  -- Another: a misspelt key on a new line.
  vim.api.nvim_buf_set_text(buf, row + 1, 0, row + 1, 0, { "        queueUrll: x", "" })
  if not vim.wait(15000, function() return find("unknown-parameter") ~= nil end, 50) then
    return fail("no unknown-parameter after inserting a misspelt key; got " .. codes())
  end
  local expected = defaults and vim.diagnostic.severity.ERROR or WARN
  if find("unknown-parameter").severity ~= expected then
    return fail("unknown-parameter has severity " .. tostring(find("unknown-parameter").severity)
      .. ", not " .. expected .. ": the editor's severity setting did not reach the server as it should")
  end
  out("PASS incremental edit (queueUrll) adds unknown-parameter, "
    .. (defaults and "an error by default" or "a warning from the editor's settings"))

  -- Completion on a blank line inside RequestParameters.
  vim.api.nvim_buf_set_lines(buf, row + 1, row + 2, false, { "        " })
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/completion", {
    textDocument = { uri = uri },
    position = { line = row + 1, character = 8 },
  }, 10000) or {}
  local labels = {}
  for _, response in pairs(responses) do
    local result = response.result or {}
    for _, item in ipairs(result.items or result) do
      table.insert(labels, item.label)
    end
  end
  if not vim.tbl_contains(labels, "DelaySeconds") then
    return fail("completion lacks DelaySeconds: {" .. table.concat(labels, ", ") .. "}")
  end
  out("PASS completion offers " .. #labels .. " keys, DelaySeconds among them")

  -- Hover on the subtype's value.
  local subtype_row, subtype_line = line_of("IntegrationSubtype:")
  local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
    textDocument = { uri = uri },
    position = { line = subtype_row, character = subtype_line:find("SQS", 1, true) },
  }, 10000) or {}
  local text = ""
  for _, response in pairs(hover) do
    local contents = response.result and response.result.contents
    if type(contents) == "table" then
      text = text .. (contents.value or vim.inspect(contents))
    end
  end
  if not text:find("sqs:SendMessage", 1, true) then
    return fail("hover lacks the IAM action: " .. text)
  end
  out("PASS hover on the subtype shows sqs:SendMessage")
end)

if not ok then
  fail(tostring(err))
end
vim.cmd("qall!")
