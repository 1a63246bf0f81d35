-- Two Apps, and handles that outlive theirs: a construct of one App is refused by calls on
-- another (it would leave one App pointing into the other's memory, freed with it), CDK's own
-- error kept where CDK has one; App-less objects (iam principals, statements, documents) that
-- are given constructs keep their App alive and are refused by other Apps.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local iam = require "cdk.iam"

local function two()
  local a, b = cdk.App(), cdk.App()
  return a, b, cdk.Stack(a, "A"), cdk.Stack(b, "B")
end

describe("a construct of another App", function()
  it("is refused, naming the construct", function()
    local _, _, sa, sb = two()
    local role = iam.Role(sb, "Role", { assumed_by = iam.AnyPrincipal() })
    local repo = ecr.Repository(sa, "Repo")
    assert.has_error(function() repo:grant_pull(role) end, "attempt to use construct 'B/Role' of another App")
    assert.has_error(function() ecr.Repository(sa, "Other", { encryption_key = require("cdk.kms").Key(sb, "Key") }) end)
    assert.has_error(function() cdk.CfnOutput(sa, "Out", { value = cdk.CfnResource(sb, "Res", { type = "A::B" }):get_att("Arn") }) end,
      "bad argument #3 to 'CfnOutput' (field 'value': token of another App)")
  end)

  it("keeps CDK's error for dependencies across Apps", function()
    local _, _, sa, sb = two()
    assert.has_error(function() sa:add_dependency(sb) end,
      "You cannot add a dependency from 'A' (in the App) to 'B' (in the App): dependency cannot cross stage boundaries")
  end)

  it("in a string token does not resolve in another App", function()
    local _, _, sa, sb = two()
    cdk.CfnOutput(sa, "Out", { value = "x-" .. cdk.CfnResource(sb, "Res", { type = "A::B" }).ref })
    local ok, err = pcall(sa.to_json, sa)
    assert.is_false(ok)
    assert.matches("Unrecognized token key: Res%.Ref%.%d+", err)
  end)
end)

describe("an App-less object given a construct", function()
  it("keeps the construct's App alive while the object is used", function()
    local st = iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" } }
    do
      local app = cdk.App()
      st:add_principals(iam.Role(cdk.Stack(app, "S"), "Role", { assumed_by = iam.AnyPrincipal() }))
    end
    collectgarbage()
    collectgarbage()
    local json = st:to_json()
    assert.equal("s3:GetObject", json.Action)
    assert.matches("^%${Token%[", json.Principal.AWS)
  end)

  it("made from a construct keeps its App alive too", function()
    local p
    do
      local app = cdk.App()
      p = iam.CompositePrincipal(iam.Role(cdk.Stack(app, "S"), "Role", { assumed_by = iam.AnyPrincipal() }))
    end
    collectgarbage()
    collectgarbage()
    local st = iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" }, principals = { p } }
    assert.is_table(st:to_json().Principal)
  end)

  it("is refused by another App", function()
    local _, b, sa, sb = two()
    local st = iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" } }
    st:add_principals(iam.Role(sb, "Role", { assumed_by = iam.AnyPrincipal() }))
    local repo = ecr.Repository(sa, "Repo")
    assert.has_error(function() repo:add_to_resource_policy(st) end,
      "attempt to use an object holding values of another App")
    b:close()
    assert.has_error(function() st:to_json() end, "attempt to use an object of a closed App")
    assert.is_table(sa:to_json().Resources)
  end)

  it("already in use cannot be given constructs afterwards (an App holding it could outlive them)", function()
    local IN_USE = "attempt to give constructs of an App to an object already in use (a statement, principal or "
      .. "document given to a construct or another object): give them before using it"
    local a, b, sa, sb = two()
    local repo = ecr.Repository(sa, "Repo")
    local role = iam.Role(sb, "Role", { assumed_by = iam.AccountRootPrincipal() })
    local stmt = iam.PolicyStatement { actions = { "ecr:*" } }
    repo:add_to_resource_policy(stmt)
    assert.has_error(function() stmt:add_principals(role) end, IN_USE)
    -- through another object: a document holding the statement, given to a key
    local inner = iam.PolicyStatement { actions = { "kms:*" }, resources = { "*" } }
    local doc = iam.PolicyDocument { statements = { inner } }
    require("cdk.kms").Key(sa, "Key", { policy = doc })
    assert.has_error(function() inner:add_principals(role) end, IN_USE)
    assert.has_error(function()
      doc:add_statements(iam.PolicyStatement { actions = { "kms:*" }, resources = { "*" }, principals = { role } })
    end, IN_USE)
    a:close()
    b:close()
    -- given its constructs first, it is used as before, and stays mutable within its App
    local c = cdk.App()
    local sc = cdk.Stack(c, "C")
    local own = iam.PolicyStatement { actions = { "ecr:*" } }
    own:add_principals(iam.Role(sc, "Reader", { assumed_by = iam.AccountRootPrincipal() }))
    ecr.Repository(sc, "Repo"):add_to_resource_policy(own)
    own:add_actions("ecr:BatchGetImage")
    assert.same({ "ecr:*", "ecr:BatchGetImage" }, sc:to_json().Resources.Repo02AC86CF.Properties
      .RepositoryPolicyText.Statement[1].Action)
    c:close()
  end)

  it("holding no construct is shared by any number of Apps", function()
    local ec2 = iam.ServicePrincipal("ec2.amazonaws.com")
    for i = 1, 3 do
      local app = cdk.App()
      local s = cdk.Stack(app, "S" .. i)
      iam.Role(s, "Role", { assumed_by = ec2 })
      local trust = s:to_json().Resources.Role1ABCC5F0.Properties.AssumeRolePolicyDocument
      assert.is_not_nil(trust.Statement[1].Principal.Service)
      app:close()
    end
  end)
end)

describe("lua-cdk's modules loaded again in the same Lua state", function()
  -- busted unloads the modules after each spec file; a second `require` opens cdk.core again.
  -- The holder of App-less objects must stay: were it replaced, the old one would be collected
  -- and its memory reused, and a new statement could take the address of one given to a
  -- document, and be refused as 'already in use' (how 1 run of the suite in ~20 failed).
  local RELOAD = [[
    local function reload()
      for name in pairs(package.loaded) do
        if name == "cdk" or name:match("^cdk%.") then package.loaded[name] = nil end
      end
      return require "cdk", require "cdk.iam"
    end
  ]]

  it("keep the holder of App-less objects, and no mark of an old object falls on a new one", function()
    local h = require "support.helpers"
    -- in a fresh interpreter, where nothing else keeps the first holder alive
    local ok, out = h.run_lua(RELOAD .. [[
      local holder = debug.getregistry()["cdk.holder"]
      do
        local _, iam1 = reload()
        holder = debug.getregistry()["cdk.holder"]
        for _ = 1, 3000 do
          iam1.PolicyDocument { statements = { iam1.PolicyStatement() } } -- each statement in use
        end
      end
      local cdk2, iam2 = reload()
      local same = debug.getregistry()["cdk.holder"] == holder
      holder = nil
      collectgarbage()
      collectgarbage()
      local app = cdk2.App()
      local stack = cdk2.Stack(app, "S")
      local refused = 0
      for _ = 1, 3000 do
        local st = iam2.PolicyStatement()
        local ok, err = pcall(st.add_federated_principal, st, stack)
        if not ok and err:find("already in use", 1, true) then refused = refused + 1 end
      end
      io.write(tostring(same), " ", refused)
    ]])
    assert.is_true(ok, out)
    assert.equal("true 0", out)
  end)

  it("keep the objects made before usable", function()
    local compile = loadstring or load -- Lua 5.1 and LuaJIT: loadstring
    local _, iam1 = compile(RELOAD .. " return reload()")()
    local kept = iam1.PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" } }
    local cdk2, iam2 = compile(RELOAD .. " return reload()")()
    local app = cdk2.App()
    local stack = cdk2.Stack(app, "S")
    local role = iam2.Role(stack, "Role", { assumed_by = iam2.AnyPrincipal() })
    role:add_to_policy(kept)
    assert.same({ Action = "s3:GetObject", Effect = "Allow", Resource = "*" },
      stack:to_json().Resources.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement[1])
    app:close()
  end)
end)
