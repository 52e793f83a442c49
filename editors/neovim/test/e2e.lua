-- Headless end-to-end test: nvim --headless --clean -u test/e2e.lua
-- Env: APIGW_PLUGIN (this folder), APIGW_TEMPLATE (a template to open, in a folder that
--      holds a .apigw-lsp.toml making missing-required-parameter a warning),
--      APIGW_TERRAFORM (tests/editors/api.tf, copied under the same root) and APIGW_HCL
--      (the same text as an .hcl file, in a folder of its own),
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

  -- Each helper reads the buffer `b`, by default the template's.
  local function find(code, b)
    for _, d in ipairs(vim.diagnostic.get(b or buf)) do
      if tostring(d.code) == code then
        return d
      end
    end
  end
  local function codes(b)
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(b or buf)) do
      table.insert(list, tostring(d.code))
    end
    return "{" .. table.concat(list, ", ") .. "}"
  end
  local function line_of(text, b)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(b or buf, 0, -1, false)) do
      if line:find(text, 1, true) then
        return i - 1, line
      end
    end
    error("no line with " .. text)
  end
  -- The apigw_lsp client attached to `b`, if any.
  local function client_of(b)
    if vim.lsp.get_clients then -- 0.10+
      return vim.lsp.get_clients({ bufnr = b, name = "apigw_lsp" })[1]
    end
    for _, c in pairs(vim.lsp.buf_get_clients(b)) do
      if c.name == "apigw_lsp" then
        return c
      end
    end
  end
  -- The labels of the completion items the server gives at (row, character) of `b`.
  local function completion_labels(b, row, character)
    local responses = vim.lsp.buf_request_sync(b, "textDocument/completion", {
      textDocument = { uri = vim.uri_from_bufnr(b) },
      position = { line = row, character = character },
    }, 10000) or {}
    local labels = {}
    for _, response in pairs(responses) do
      local result = response.result or {}
      for _, item in ipairs(result.items or result) do
        table.insert(labels, item.label)
      end
    end
    return labels
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
  local client = client_of(buf)
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
  local labels = completion_labels(buf, row + 1, 8)
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

  -- A Terraform file in the same root: Neovim's filetype for it is `terraform`, and the
  -- plugin starts (or reuses) the server for it.
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("APIGW_TERRAFORM")))
  local tf = vim.api.nvim_get_current_buf()
  if vim.bo[tf].filetype ~= "terraform" then
    return fail("Neovim gave " .. os.getenv("APIGW_TERRAFORM") .. " the filetype '" .. vim.bo[tf].filetype
      .. "', not 'terraform'")
  end
  if not vim.wait(15000, function() return find("missing-required-parameter", tf) ~= nil end, 50) then
    return fail("no missing-required-parameter diagnostic in the .tf buffer (filetype terraform); got "
      .. codes(tf) .. (client_of(tf) and "" or ": apigw_lsp is not attached to it"))
  end
  if client_of(tf).id ~= client.id then
    return fail("the .tf buffer got a second apigw_lsp client: one server per root is expected")
  end
  if find("missing-required-parameter", tf).severity ~= WARN then
    return fail("missing-required-parameter in the .tf buffer has severity "
      .. tostring(find("missing-required-parameter", tf).severity) .. ": the root's .apigw-lsp.toml was not applied")
  end
  out("PASS .tf buffer (filetype terraform): missing-required-parameter published, by the same client")

  -- Completion on a half-typed key inside request_parameters: the subtype's keys, the
  -- present QueueUrl left out.
  local tf_row, tf_line = line_of("QueueUrl =", tf)
  vim.api.nvim_buf_set_text(tf, tf_row, #tf_line, tf_row, #tf_line, { "", "    Mes" })
  local tf_labels = completion_labels(tf, tf_row + 1, 7)
  if not vim.tbl_contains(tf_labels, "MessageBody") or vim.tbl_contains(tf_labels, "QueueUrl") then
    return fail("completion at `    Mes|` in request_parameters: wanted MessageBody and not QueueUrl, got {"
      .. table.concat(tf_labels, ", ") .. "}")
  end
  out("PASS .tf completion in request_parameters offers " .. #tf_labels .. " keys, MessageBody among them")

  -- Finishing the line as `MessageBody = "$request.body"` clears the diagnostic.
  vim.api.nvim_buf_set_text(tf, tf_row + 1, 7, tf_row + 1, 7, { 'sageBody = "$request.body"' })
  if not vim.wait(15000, function() return find("missing-required-parameter", tf) == nil end, 50) then
    return fail("missing-required-parameter did not go after adding MessageBody to the .tf buffer; got " .. codes(tf))
  end
  out("PASS .tf incremental edit (add MessageBody) clears the diagnostic")

  -- An .hcl file: filetype `hcl`, sent with languageId "hcl", which the server reads as
  -- Terraform (its path does not end in .tf, so only the language id says so).
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("APIGW_HCL")))
  local hcl = vim.api.nvim_get_current_buf()
  if vim.bo[hcl].filetype ~= "hcl" then
    return fail("Neovim gave " .. os.getenv("APIGW_HCL") .. " the filetype '" .. vim.bo[hcl].filetype .. "', not 'hcl'")
  end
  if not vim.wait(15000, function() return find("missing-required-parameter", hcl) ~= nil end, 50) then
    return fail("no missing-required-parameter diagnostic in the .hcl buffer (filetype hcl); got "
      .. codes(hcl) .. (client_of(hcl) and "" or ": apigw_lsp is not attached to it"))
  end
  out("PASS .hcl buffer (filetype hcl): missing-required-parameter published")
end)

if not ok then
  fail(tostring(err))
end
vim.cmd("qall!")
