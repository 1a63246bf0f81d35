-- README.md's Lua snippets: each runs in a new interpreter in a temporary folder (those that do not
-- require "cdk" themselves after the README's prelude), and the example app shown is
-- examples/readme.lua.
local helpers = require "support.helpers"

local PRELUDE = 'local cdk = require "cdk"\nlocal ecr = require "cdk.ecr"\n'
  .. 'local app = cdk.App()\nlocal stack = cdk.Stack(app, "Stack")\n'

-- The ```lua blocks of the README, in order, with the line each starts on.
local function snippets()
  local text = helpers.read("README.md")
  local out, line, current = {}, 0, nil
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do
    line = line + 1
    if current then
      if l == "```" then
        out[#out + 1] = current
        current = nil
      else
        current.code = current.code .. l .. "\n"
      end
    elseif l == "```lua" then
      current = { line = line + 1, code = "" }
    end
  end
  return out
end

describe("README.md", function()
  local dirs = {}

  after_each(function()
    for _, d in ipairs(dirs) do helpers.rmtree(d) end
    dirs = {}
  end)

  it("shows examples/readme.lua as the example app", function()
    local example = helpers.read("examples/readme.lua"):gsub("^%-%-[^\n]*\n", ""):gsub("^%-%-[^\n]*\n", "")
    assert.equal(example, snippets()[1].code)
  end)

  for i, s in ipairs(snippets()) do
    it(("snippet %d (README.md:%d) runs"):format(i, s.line), function()
      local dir = helpers.mkdir(helpers.tmppath(".readme"))
      dirs[#dirs + 1] = dir
      local code = s.code:find('require "cdk"', 1, true) and s.code or PRELUDE .. s.code
      local ok, out = helpers.run_lua(code, { CDK_OUTDIR = "cdk.out" }, dir)
      assert(ok, ("README.md:%d: %s"):format(s.line, out))
    end)
  end
end)
