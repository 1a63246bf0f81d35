-- Stress: bench/stress.lua builds and drops Apps in a loop (half closed, half collected) and
-- checks that memory stays flat and that handles of closed Apps keep raising clean errors. Under
-- a sanitizer or valgrind (whose allocators keep freed memory) it runs shorter, without the
-- verdict on memory. Plus the lifetime bugs it found, each pinned here.
local cdk = require "cdk"
local h = require "support.helpers"

local instrumented = (os.getenv("LD_PRELOAD") or ""):find("asan", 1, true) or h.lua:find("valgrind", 1, true)

describe("the stress program", function()
  it("keeps memory flat over Apps built and dropped", function()
    local code = string.format("arg = { %d, %d }\ndofile(%q)", instrumented and 2 or 6,
      instrumented and 10 or 150, h.abs_path("bench/stress.lua"))
    local ok, out = h.run_lua(code, instrumented and { STRESS_NO_MEMORY_CHECK = "1" } or {})
    assert(ok, out)
    assert.matches("\nmemory flat\n$", out)
  end)
end)

describe("values that outlive an App", function()
  it("an App-less lazy value used by two Apps is produced for each (the first App's copy is freed with it)", function()
    local calls = 0
    local lazy = cdk.Lazy.string { produce = function() calls = calls + 1 return "v" .. calls end }
    local function output()
      local app = cdk.App()
      local s = cdk.Stack(app, "S")
      cdk.CfnOutput(s, "Out", { value = "x:" .. lazy })
      cdk.CfnOutput(s, "Again", { value = "y:" .. lazy })
      local o = s:to_json().Outputs
      app:close()
      return o.Out.Value, o.Again.Value
    end
    assert.same({ "x:v1", "y:v1" }, { output() })
    assert.same({ "x:v2", "y:v2" }, { output() })
  end)

  it("context given to Apps is not kept by the process (converted in a scratch App)", function()
    local app = cdk.App { context = { a = { 1, "two", { three = true } } } }
    assert.same({ 1, "two", { three = true } }, app.node:try_get_context("a"))
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B" })
    assert.has_error(function() r.node:set_context("k", r:get_att("Arn")) end,
      "bad argument #2 to 'set_context' (context values may not hold tokens)")
  end)
end)
