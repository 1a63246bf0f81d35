-- spec/support/print_templates.lua DIR: prints the template of each stack of the cloud assembly
-- in DIR, in the manifest's order (what `make synth` shows after running the example).
local json = require "support.json"

local dir = arg[1] or "cdk.out"
local manifest = json.read_file(dir .. "/manifest.json")
local artifacts = manifest.artifacts or {}
for _, id in ipairs(json.keys(artifacts) or {}) do
  local art = artifacts[id]
  if art.type == "aws:cloudformation:stack" then
    local props = art.properties or {}
    local file = dir .. "/" .. (props.templateFile or (id .. ".template.json"))
    local f = assert(io.open(file, "rb"))
    local text = f:read("*a")
    f:close()
    io.write("# ", props.stackName or id, " (", file, ")\n", text, "\n")
  end
end
