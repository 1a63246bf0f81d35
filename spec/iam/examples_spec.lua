-- examples/grants.lua runs as a script and writes, byte for byte, the templates the AWS CDK v1
-- (1.204.0) writes for its twin in spec/fixtures/iam/examples.js.
local helpers = require "support.helpers"

describe("examples/grants.lua", function()
  it("writes the reference's templates", function()
    local dir = helpers.tmppath(".out")
    local ok, out = helpers.run_lua(("dofile(%q)"):format(helpers.abs_path("examples/grants.lua")), { CDK_OUTDIR = dir })
    local stacks = ok and helpers.read_assembly(dir) or {}
    helpers.rmtree(dir)
    assert(ok, out)
    assert.equal("", out)
    local fixtures = "spec/fixtures/iam/examples/grants/"
    local names = {}
    for _, s in ipairs(stacks) do
      names[#names + 1] = s.name
      assert.equal(helpers.read(fixtures .. s.file), s.text)
    end
    assert.equal(table.concat(names, "\n") .. "\n", helpers.read(fixtures .. "stacks"))
  end)
end)
