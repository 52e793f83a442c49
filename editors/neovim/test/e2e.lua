-- Headless end-to-end test: nvim --headless --clean -u test/e2e.lua
-- Env: APIGW_PLUGIN (this folder), APIGW_TEMPLATE (a template to open),
--      APIGW_MODE ("setup": require("apigw_lsp").setup, "enable": vim.lsp.enable).
local function out(line)
  io.stdout:write(line .. "\n")
end

local function fail(message)
  out("FAIL " .. message)
  vim.cmd("cquit! 1")
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(os.getenv("APIGW_PLUGIN"))
  vim.cmd("filetype on")
  local mode = os.getenv("APIGW_MODE") or "setup"
  if mode == "enable" then
    vim.lsp.enable("apigw_lsp")
  else
    require("apigw_lsp").setup({})
  end
  vim.cmd("edit " .. os.getenv("APIGW_TEMPLATE"))
  local buf = vim.api.nvim_get_current_buf()

  local function codes()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(list, tostring(d.code))
    end
    return list
  end
  local function has(code)
    return vim.tbl_contains(codes(), code)
  end

  if not vim.wait(15000, function() return has("missing-required-parameter") end, 50) then
    return fail("no missing-required-parameter diagnostic; got {" .. table.concat(codes(), ", ") .. "}")
  end
  out("PASS diagnostic missing-required-parameter (" .. mode .. ")")

  -- The line `        QueueUrl: !Ref Queue` (last line of the template).
  local last = vim.api.nvim_buf_line_count(buf) - 1
  local line = vim.api.nvim_buf_get_lines(buf, last, last + 1, false)[1]
  -- An incremental change: add the missing parameter after it.
  vim.api.nvim_buf_set_text(buf, last, #line, last, #line, { "", "        MessageBody: $request.body" })
  if not vim.wait(15000, function() return not has("missing-required-parameter") end, 50) then
    return fail("the diagnostic did not go after the edit")
  end
  out("PASS edit clears the diagnostic")

  vim.api.nvim_buf_set_text(buf, last + 1, 0, last + 1, 0, { "        queueUrll: x", "" })
  if not vim.wait(15000, function() return has("unknown-parameter") end, 50) then
    return fail("no unknown-parameter after inserting a misspelt key")
  end
  out("PASS edit adds unknown-parameter")

  -- Completion on a fresh line inside RequestParameters.
  vim.api.nvim_buf_set_lines(buf, last + 1, last + 2, false, { "        " })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = last + 1, character = 8 },
  }
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 10000) or {}
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
  local row
  for i, text in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if text:find("IntegrationSubtype:", 1, true) then
      row = i - 1
    end
  end
  local col = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]:find("SQS", 1, true)
  local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = row, character = col },
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
  out("PASS hover shows the subtype reference")
end)

if not ok then
  fail(tostring(err))
end
vim.cmd("qall!")
