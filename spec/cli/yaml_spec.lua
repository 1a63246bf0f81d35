-- cdk.yaml and cdk.json: templates printed exactly as the AWS CDK CLI prints them (`cdk synth`,
-- `cdk synth --json`); the expected outputs in spec/fixtures/cli come from the CLI itself.
local h = require "support.helpers"
local json = require "cdk.json"
local yaml = require "cdk.yaml"

local DIR = "spec/fixtures/cli/"

describe("cdk.yaml", function()
  for _, name in ipairs({ "scalars", "multiline" }) do
    it("writes " .. name .. ".template.json as `cdk synth` prints it", function()
      local t = assert(json.read_file(DIR .. name .. ".template.json"))
      assert.equal(h.read(DIR .. name .. ".yaml"), yaml.encode(t) .. "\n")
    end)
  end

  it("quotes what YAML 1.1 would not read back as the same string", function()
    local function y(s) return yaml.encode(json.array({ s })) end
    assert.equal('- "yes"\n', y("yes"))
    assert.equal('- "2012-10-17"\n', y("2012-10-17"))
    assert.equal('- "1:20"\n', y("1:20"))
    assert.equal('- "."\n', y("."))
    assert.equal('- ""\n', y(""))
    assert.equal("- .dkr.ecr.\n", y(".dkr.ecr."))
    assert.equal("- <<\n", y("<<"))
    assert.equal("- '{\"a\":1}'\n", y('{"a":1}'))
    assert.equal("- it's \"x\"\n", y("it's \"x\""))
    assert.equal("- \"#it's \\\"x\\\"\"\n", y("#it's \"x\""))
    assert.equal("- aws:cdk:path\n", y("aws:cdk:path"))
  end)

  it("writes multi-line strings as literal blocks", function()
    local t = json.object()
    json.set(t, "ZipFile", "exports.handler = async () => {\n  return 1;\n};\n")
    assert.equal("ZipFile: |\n  exports.handler = async () => {\n    return 1;\n  };\n", yaml.encode(t))
  end)

  it("writes empty collections in flow style and nests sequences with an indent", function()
    local t = json.decode('{"A":[],"B":{},"C":[[1,2],{"k":[]}],"D":null,"E":true,"F":1.5e-7}')
    assert.equal("A: []\nB: {}\nC:\n  - - 1\n    - 2\n  - k: []\nD: null\nE: true\nF: 1.5e-7\n",
      yaml.encode(t))
  end)

  it("orders keys as JavaScript does: array indices first", function()
    local t = json.decode('{"b":1,"10":2,"2":3,"a":4}')
    assert.equal('"2": 3\n"10": 2\nb: 1\na: 4\n', yaml.encode(t))
  end)

  it("writes a Lua table with its keys sorted", function()
    assert.equal("a:\n  - x\nb: 2\n", yaml.encode({ b = 2, a = { "x" } }))
  end)
end)

describe("cdk.json", function()
  for _, name in ipairs({ "scalars", "multiline" }) do
    it("writes " .. name .. ".template.json as `cdk synth --json` prints it", function()
      local t = assert(json.read_file(DIR .. name .. ".template.json"))
      assert.equal(h.read(DIR .. name .. ".json"), json.encode(t, 2) .. "\n")
    end)
  end

  it("keeps the key order of objects it decodes", function()
    local t = json.decode('{"z":1,"a":{"y":[1,{"q":null}],"b":"\\u00e9\\ud83d\\ude00"}}')
    assert.same({ "z", "a" }, json.keys(t))
    assert.same({ "y", "b" }, json.keys(t.a))
    assert.equal(json.null, t.a.y[2].q)
    assert.equal("\195\169\240\159\152\128", t.a.b)
    assert.equal('{"z":1,"a":{"y":[1,{"q":null}],"b":"\195\169\240\159\152\128"}}', json.encode(t))
  end)

  it("writes numbers as JavaScript does", function()
    local cases = {
      { 0, "0" }, { -1, "-1" }, { 0.1, "0.1" }, { 1e21, "1e+21" }, { 1e20, "100000000000000000000" },
      { 1.5e-7, "1.5e-7" }, { 0.000001, "0.000001" }, { 2 ^ 53, "9007199254740992" },
      { 12345678901234567890, "12345678901234567000" }, { 1 / 3, "0.3333333333333333" },
      { 0.1 + 0.2, "0.30000000000000004" }, { 5e-324, "5e-324" },
    }
    for _, c in ipairs(cases) do assert.equal(c[2], json.number(c[1])) end
  end)

  it("escapes strings as JSON.stringify does", function()
    assert.equal('"a\\"b\\\\c\\n\\t\\u0001\127\226\128\168"', json.quote("a\"b\\c\n\t\1\127\226\128\168"))
  end)

  it("reports bad JSON with its line", function()
    assert.has_error(function() json.decode('{\n "a": [1,\n 2') end, "invalid JSON at line 3: ',' or ']' expected")
    assert.has_error(function() json.decode('{"a":1} x') end, "invalid JSON at line 1: trailing characters")
  end)
end)
