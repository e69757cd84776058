-- Headless end-to-end test on real Neovim 0.11 (see ../test.sh):
-- 1. the tutorial's port-conflict Pod gets podlint's duplicate-container-port diagnostic;
-- 2. a misspelt field (`imagePullPolcy`) is fixed through vim.lsp.buf.code_action;
-- 3. with a manifest open, `.podlint.yaml` is edited and written: the next edit of the manifest
--    shows the new settings' findings (Neovim 0.11 neither watches files on Linux nor handles
--    workspace/diagnostic/refresh, so the server notices the change itself).
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

-- 3. A config change counts at the next edit.
local project = work .. '/project'
vim.fn.mkdir(project .. '/.git', 'p')
vim.fn.writefile({ 'ignore: [all]', 'select: [duplicate-container-port]' }, project .. '/.podlint.yaml')
vim.fn.writefile(vim.fn.readfile(repo .. '/fixtures/examples/port-conflict.yaml'), project .. '/pod.yaml')
vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/pod.yaml'))
local manifest = vim.api.nvim_get_current_buf()
check(diagnostics_with(manifest, 'duplicate-container-port') ~= nil, 'the project config selects duplicate-container-port')

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    found[#found + 1] = d.code
  end
  table.sort(found)
  return table.concat(found, ',')
end

-- Edit the config in Neovim and write it, with the manifest still open in another window.
vim.cmd('split ' .. vim.fn.fnameescape(project .. '/.podlint.yaml'))
vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'ignore: [all]', 'select: [bare-pod]' })
vim.cmd('silent write')
vim.cmd('close')
vim.api.nvim_set_current_buf(manifest)
-- The next edit of the manifest: a comment line at the end.
vim.api.nvim_buf_set_lines(manifest, -1, -1, false, { '# edited' })
local switched = vim.wait(10000, function()
  return codes(manifest) == 'bare-pod'
end, 20)
check(switched, 'after the config edit, the next edit shows the new findings (got: ' .. codes(manifest) .. ')')

vim.cmd(failures == 0 and 'qall!' or 'cquit!')
