-- The core's JSON writer: templates are JSON.stringify(template, null, 1) as node writes it, so
-- numbers print as JavaScript prints them and strings are escaped as JSON.stringify escapes them.
-- Every expected string below is what node 20 printed for the same value.
local core = require "cdk.core"

describe("JavaScript numbers", function()
  it("print as String(x) does", function()
    local cases = {
      { 1e21, "1e+21" }, { 1e20, "100000000000000000000" }, { 1e-7, "1e-7" }, { -1e-7, "-1e-7" },
      { 1e-6, "0.000001" }, { -0.0, "0" }, { 0.1 + 0.2, "0.30000000000000004" }, { 0.1, "0.1" },
      { 2 ^ 53, "9007199254740992" }, { 2 ^ 53 + 2, "9007199254740994" },
      { 123456789012345680000, "123456789012345680000" }, { 5e-324, "5e-324" }, { 1.5, "1.5" },
      { 100, "100" }, { 100.0, "100" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
      { -1.25e-10, "-1.25e-10" }, { 4294967296, "4294967296" }, { -2147483648, "-2147483648" },
      { 1 / 3, "0.3333333333333333" }, { 2 ^ 31, "2147483648" }, { 1e100, "1e+100" },
      { 12345.678, "12345.678" }, { math.maxinteger or 2 ^ 63, "9223372036854776000" },
      { math.mininteger or -2 ^ 63, "-9223372036854776000" },
    }
    for _, c in ipairs(cases) do
      assert.equal(c[2], core._js_number(c[1]), "for " .. string.format("%.17g", c[1]))
      assert.equal(c[2], core._json(c[1]))
    end
  end)

  it("print NaN and the infinities as String() does", function()
    assert.equal("NaN", core._js_number(0 / 0))
    assert.equal("Infinity", core._js_number(1 / 0))
    assert.equal("-Infinity", core._js_number(-1 / 0))
  end)

  it("refuses non-finite numbers as values", function()
    assert.has_error(function() core._json(1 / 0) end, "bad argument #1 to '_json' (number must be finite, got inf)")
  end)
end)

describe("JSON strings", function()
  it("are escaped as JSON.stringify escapes them", function()
    assert.equal([["\u0001\u001f\b\f\n\r\t\"\\/é€😀]] .. "\127\226\128\168" .. [["]],
      core._json("\1\31\b\f\n\r\t\"\\/é€😀\127\226\128\168"))
    assert.equal([[""]], core._json(""))
  end)

  it("must be UTF-8 without NUL bytes", function()
    assert.has_error(function() core._json("a\0b") end, "bad argument #1 to '_json' (string contains a NUL byte)")
    assert.has_error(function() core._json("\255") end, "bad argument #1 to '_json' (string is not valid UTF-8)")
    assert.has_error(function() core._json("\237\160\128") end, "bad argument #1 to '_json' (string is not valid UTF-8)")
  end)
end)

describe("JSON documents", function()
  it("indent by one space with ': ' as JSON.stringify(v, null, 1)", function()
    assert.equal(table.concat({
      "{",
      ' "a": "s",',
      ' "b": {',
      '  "x": [',
      "   1,",
      "   {}",
      "  ],",
      '  "y": true',
      " }",
      "}",
    }, "\n"), core._json({ b = { x = { 1, {} }, y = true }, a = "s" }, 1))
  end)

  it("are compact with indent 0", function()
    assert.equal('{"a":[1,2,{"c":true,"d":false}]}', core._json({ a = { 1, 2, { c = true, d = false } } }))
    assert.equal('{"a":[1,2,{"c":true,"d":false}]}', core._json({ a = { 1, 2, { c = true, d = false } } }, 0))
  end)

  it("write empty tables as {}", function()
    assert.equal("{}", core._json({}))
    assert.equal("{}", core._json({}, 1))
  end)

  it("write empty lists as [] in templates", function()
    local h = require "support.helpers"
    local cdk = require "cdk"
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B", properties = {
      L = cdk.Lazy.list { produce = function() return {} end }, M = {}, N = { {}, 1.5 } } })
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    assert.equal(table.concat({
      "{", ' "Resources": {', '  "Res": {', '   "Type": "A::B",', '   "Properties": {', '    "L": [],', '    "M": {},',
      '    "N": [', "     {},", "     1.5", "    ]", "   }", "  }", " }", "}" }, "\n"), text)
  end)

  it("write scalars on their own", function()
    assert.equal('"x"', core._json("x", 1))
    assert.equal("true", core._json(true))
    assert.equal("false", core._json(false))
    assert.equal("", core._json(nil))
  end)

  it("sort the keys of Lua maps, which have no order", function()
    assert.equal('{"A":1,"B":2,"a":3,"b":4}', core._json({ b = 4, a = 3, B = 2, A = 1 }))
  end)

  it("refuse tables that are neither lists nor string-keyed maps", function()
    assert.has_error(function() core._json({ [1] = 1, [3] = 3 }) end,
      "bad argument #1 to '_json' (map keys must be strings, got number)")
    assert.has_error(function() core._json({ 1, x = 2 }) end,
      "bad argument #1 to '_json' (map keys must be strings, got number)")
  end)
end)
