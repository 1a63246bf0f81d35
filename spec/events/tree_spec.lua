-- tree.json writes a struct an L2 builds in the L2's key order (CDK's tree shows the L1's props
-- as the L2 passed them), where the template has CloudFormation's: a Rule's targets (with a dead
-- letter queue, retry policy, SQS parameters and an input transformer) and a Role's inline
-- policies. spec/fixtures/tree_order: case.lua, its twin case.js and what the reference wrote.
local h = require "support.helpers"

describe("tree.json", function()
  it("writes the structs of a Rule's targets and a Role's inline policies in the L2's key order", function()
    local dir = "spec/fixtures/tree_order"
    local out = h.tmppath(".out")
    local ok, msg = h.run_lua(h.read(dir .. "/case.lua"), { CDK_OUTDIR = out })
    assert.is_true(ok, msg)
    local tree, template = h.read(out .. "/tree.json"), h.read(out .. "/S.template.json")
    h.rmtree(out)
    assert.equal(h.read(dir .. "/expected.template.json"), template)
    assert.equal(h.read(dir .. "/expected.tree.json"), tree)
  end)
end)
