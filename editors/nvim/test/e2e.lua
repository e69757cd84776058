-- Headless end-to-end test on real Neovim 0.11 (see ../test.sh):
-- 1. the tutorial's port-conflict Pod gets podlint's duplicate-container-port diagnostic;
-- 2. a misspelt field (`imagePullPolcy`) is fixed through vim.lsp.buf.code_action.
-- Env: PODLINT (the executable), REPO (the repository root), WORK (a scratch directory).
local podlint, repo, work = os.getenv('PODLINT'), os.getenv('REPO'), os.getenv('WORK')
local failures = 0

local function check(ok, message)
  if not ok then
    failures = failures + 1
    io.stderr:write('FAIL: ' .. message .. '\n')
  else
    io.stdout:write('ok: ' .. message .. '\n')
  end
end

local function diagnostics_with(bufnr, code)
  local found
  vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == code then
        found = d
        return true
      end
    end
    return false
  end, 20)
  return found
end

vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.cmd('filetype on')
vim.lsp.config('podlint', { cmd = { podlint, 'lsp' } })
vim.lsp.enable('podlint')

-- 1. Diagnostics.
vim.cmd('edit ' .. vim.fn.fnameescape(repo .. '/fixtures/examples/port-conflict.yaml'))
local conflict = diagnostics_with(0, 'duplicate-container-port')
check(conflict ~= nil, 'port-conflict.yaml has a duplicate-container-port diagnostic')
check(conflict and conflict.lnum == 15 and conflict.col == 6, 'at the second containerPort (line 16, column 7)')
check(conflict and conflict.source == 'podlint', 'from source podlint')

-- 2. A quick fix through code_action.
local file = work .. '/typo.yaml'
vim.fn.writefile({
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  'spec:',
  '  containers:',
  '  - name: app',
  '    image: nginx:1.27',
  '    imagePullPolcy: Always',
}, file)
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local typo = diagnostics_with(0, 'unknown-field')
check(typo ~= nil, 'typo.yaml has an unknown-field diagnostic')
if typo then
  vim.api.nvim_win_set_cursor(0, { typo.lnum + 1, typo.col })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.kind == 'quickfix' and action.title:find('Rename', 1, true) ~= nil
    end,
  })
  local fixed = vim.wait(10000, function()
    return vim.api.nvim_buf_get_lines(0, 8, 9, false)[1] == '    imagePullPolicy: Always'
  end, 20)
  check(fixed, 'the quick fix renamed the field: ' .. vim.inspect(vim.api.nvim_buf_get_lines(0, 8, 9, false)))
end

vim.cmd(failures == 0 and 'qall!' or 'cquit!')
