-- Misuse of cdk.ecr: wrong types (naming the argument and the props field), unknown fields,
-- CDK's repository-name validation and construct-id errors, bad self, strict enums, and errors
-- raised at the caller's line. CDK's own messages are pinned against the AWS CDK v1 (1.204.0);
-- the type checks are lua-cdk's (Lua's "bad argument" style).
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local helpers = require "support.helpers"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

-- The message without its "file:line: " position.
local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local PATTERN = "Repository name must follow the specified pattern: "
  .. "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
local LENGTH = "Repository name must be at least 2 and no more than 256 characters"

describe("cdk.ecr errors", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  describe("repository_name validation (CDK's messages)", function()
    local cases = {
      { "too short", "a", "Invalid ECR repository name (value: a)\n" .. LENGTH },
      { "too long", string.rep("a", 257), "Invalid ECR repository name (value: " .. string.rep("a", 257) .. ")\n" .. LENGTH },
      { "an empty path segment", "app//web", "Invalid ECR repository name (value: app//web)\n" .. PATTERN },
      { "upper case", "MyRepo", "Invalid ECR repository name (value: MyRepo)\n" .. PATTERN },
      { "both at once", "A", "Invalid ECR repository name (value: A)\n" .. LENGTH .. "\n" .. PATTERN },
      -- the length is JavaScript's (UTF-16 code units), not the bytes
      { "one accented letter", "é", "Invalid ECR repository name (value: é)\n" .. LENGTH .. "\n" .. PATTERN },
      { "200 accented letters", string.rep("é", 200),
        "Invalid ECR repository name (value: " .. string.rep("é", 200) .. ")\n" .. PATTERN },
      { "a trailing separator", "web-", "Invalid ECR repository name (value: web-)\n" .. PATTERN },
      { "two separators in a row", "web._api", "Invalid ECR repository name (value: web._api)\n" .. PATTERN },
      { "a leading slash", "/web", "Invalid ECR repository name (value: /web)\n" .. PATTERN },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[1], function()
        assert.equal(c[3], error_of(function() ecr.Repository(stack, "Repo", { repository_name = c[2] }) end))
      end)
    end

    it("accepts 2 and 256 characters, and the empty string (written as given, as CDK does)", function()
      ecr.Repository(stack, "Two", { repository_name = "ab" })
      ecr.Repository(stack, "Max", { repository_name = string.rep("a", 256) })
      ecr.Repository(stack, "Empty", { repository_name = "" })
      local retained = { Type = "AWS::ECR::Repository", UpdateReplacePolicy = "Retain", DeletionPolicy = "Retain" }
      local function with_name(name)
        local r = { Properties = { RepositoryName = name } }
        for k, v in pairs(retained) do r[k] = v end
        return r
      end
      assert.same({
        Resources = {
          Two20CDA8F5 = with_name("ab"),
          MaxE73DC0A4 = with_name(string.rep("a", 256)),
          Empty8E0066A8 = with_name(""),
        },
      }, stack:to_json())
    end)

    it("leaves no construct behind, so the id can be used again", function()
      error_of(function() ecr.Repository(stack, "Repo", { repository_name = "A" }) end)
      local repo = ecr.Repository(stack, "Repo", { repository_name = "ok" })
      assert.equal("Stack/Repo", repo.node.path)
    end)
  end)

  describe("construct ids (CDK's messages)", function()
    it("rejects a duplicate id", function()
      ecr.Repository(stack, "Repo")
      assert.equal("There is already a Construct with name 'Repo' in Stack [Stack]",
        error_of(function() ecr.Repository(stack, "Repo") end))
      ecr.Repository.from_repository_name(stack, "Imported", "web")
      assert.equal("There is already a Construct with name 'Imported' in Stack [Stack]",
        error_of(function() ecr.Repository.from_repository_name(stack, "Imported", "web") end))
    end)

    it("needs a stack: directly under the App, each construct names itself as CDK does", function()
      local arn = "arn:aws:ecr:us-east-1:123456789012:repository/x"
      assert.equal("Repository at 'Repo' should be created in the scope of a Stack, but no Stack found",
        error_of(function() ecr.Repository(app, "Repo") end))
      assert.equal("Import at 'ByName' should be created in the scope of a Stack, but no Stack found",
        error_of(function() ecr.Repository.from_repository_name(app, "ByName", "x") end))
      assert.equal("Import at 'ByArn' should be created in the scope of a Stack, but no Stack found",
        error_of(function() ecr.Repository.from_repository_arn(app, "ByArn", arn) end))
      assert.equal("Import at 'ByAttrs' should be created in the scope of a Stack, but no Stack found",
        error_of(function()
          ecr.Repository.from_repository_attributes(app, "ByAttrs", { repository_name = "x", repository_arn = arn })
        end))
      assert.equal("CfnRepository at 'L1' should be created in the scope of a Stack, but no Stack found",
        error_of(function() ecr.CfnRepository(app, "L1") end))
      assert.is_nil(app.node:try_find_child("ByName"))
    end)

    it("rejects an empty id", function()
      assert.equal("Only root constructs may have an empty name",
        error_of(function() ecr.Repository(stack, "") end))
    end)

    it("turns '/' in an id into '--', as CDK does", function()
      local repo = ecr.Repository(stack, "Bad/Id")
      assert.equal("Stack/Bad--Id", repo.node.path)
      assert.equal("Bad--Id", repo.node.id)
      assert.same({ "BadIdBAA5CA43" }, (function()
        local ids = {}
        for id in pairs(stack:to_json().Resources) do ids[#ids + 1] = id end
        return ids
      end)())
    end)
  end)

  describe("Repository arguments", function()
    it("checks scope, id and props", function()
      assert.equal("bad argument #1 to 'Repository' (scope (an App or a construct) expected, got string)",
        error_of(function() ecr.Repository("x", "Repo") end))
      assert.equal("bad argument #2 to 'Repository' (string expected, got number)",
        error_of(function() ecr.Repository(stack, 5) end))
      assert.equal("bad argument #3 to 'Repository' (table expected, got string)",
        error_of(function() ecr.Repository(stack, "Repo", "x") end))
    end)

    it("refuses unknown props fields", function()
      assert.equal("bad argument #3 to 'Repository' (unknown property 'image_scan_onpush')",
        error_of(function() ecr.Repository(stack, "Repo", { image_scan_onpush = true }) end))
      assert.equal("bad argument #3 to 'Repository' (unknown property 'imageScanOnPush')",
        error_of(function() ecr.Repository(stack, "Repo", { imageScanOnPush = true }) end))
    end)

    local cases = {
      { { repository_name = 5 }, "field 'repository_name': string expected, got number" },
      { { image_scan_on_push = "yes" }, "field 'image_scan_on_push': boolean expected, got string" },
      { { image_tag_mutability = "mutable" }, "field 'image_tag_mutability': one of MUTABLE, IMMUTABLE expected, got 'mutable'" },
      { { image_tag_mutability = true }, "field 'image_tag_mutability': string expected, got boolean" },
      { { encryption = "aes" }, "field 'encryption': one of AES256, KMS expected, got 'aes'" },
      { { encryption_key = {} }, "field 'encryption_key': kms.Key expected, got table" },
      { { removal_policy = "gone" }, "field 'removal_policy': one of destroy, retain, snapshot expected, got 'gone'" },
      { { lifecycle_registry_id = 123 }, "field 'lifecycle_registry_id': string expected, got number" },
      { { lifecycle_rules = "x" }, "field 'lifecycle_rules': list of lifecycle rules expected, got string" },
      { { lifecycle_rules = { "x" } }, "field 'lifecycle_rules[1]': table expected, got string" },
      { { lifecycle_rules = { { max_image_count = "5" } } },
        "field 'lifecycle_rules[1].max_image_count': number expected, got string" },
      { { lifecycle_rules = { { max_image_count = 1 }, { tag_prefix_list = { "a", 5 }, max_image_count = 1 } } },
        "field 'lifecycle_rules[2].tag_prefix_list[2]': string expected, got number" },
      { { lifecycle_rules = { { tag_prefix_list = "a", max_image_count = 1 } } },
        "field 'lifecycle_rules[1].tag_prefix_list': list of strings expected, got string" },
      { { lifecycle_rules = { { max_images = 5 } } }, "field 'lifecycle_rules[1]': unknown property 'max_images'" },
      { { lifecycle_rules = { { max_image_age = 30 } } },
        "field 'lifecycle_rules[1].max_image_age': Duration expected, got number" },
      { { lifecycle_rules = { { tag_status = "Tagged", max_image_count = 1 } } },
        "field 'lifecycle_rules[1].tag_status': one of any, tagged, untagged expected, got 'Tagged'" },
      { { lifecycle_rules = { { rule_priority = 0 / 0, max_image_count = 1 } } },
        "field 'lifecycle_rules[1].rule_priority': number must be finite" },
      { { lifecycle_rules = { { max_image_count = math.huge } } },
        "field 'lifecycle_rules[1].max_image_count': number must be finite" },
      { { lifecycle_rules = { { description = 5, max_image_count = 1 } } },
        "field 'lifecycle_rules[1].description': string expected, got number" },
    }
    for _, c in ipairs(cases) do
      it("names the field: " .. c[2], function()
        assert.equal("bad argument #3 to 'Repository' (" .. c[2] .. ")",
          error_of(function() ecr.Repository(stack, "Repo", c[1]) end))
      end)
    end
  end)

  describe("methods", function()
    it("add_lifecycle_rule checks self, the rule table and its fields", function()
      local repo = ecr.Repository(stack, "Repo")
      assert.equal("calling 'add_lifecycle_rule' on bad self (Repository expected, got table)",
        error_of(function() repo.add_lifecycle_rule({}, { max_image_count = 1 }) end))
      assert.equal("bad argument #1 to 'add_lifecycle_rule' (table expected, got string)",
        error_of(function() repo:add_lifecycle_rule("x") end))
      assert.equal("bad argument #1 to 'add_lifecycle_rule' (table expected, got nil)",
        error_of(function() repo:add_lifecycle_rule() end))
      assert.equal("bad argument #1 to 'add_lifecycle_rule' (unknown property 'max_images')",
        error_of(function() repo:add_lifecycle_rule { max_images = 1 } end))
      assert.equal("bad argument #1 to 'add_lifecycle_rule' (field 'tag_prefix_list[1]': string expected, got number)",
        error_of(function() repo:add_lifecycle_rule { tag_prefix_list = { 1 }, max_image_count = 1 } end))
    end)

    it("imported repositories have no add_lifecycle_rule; apply_removal_policy is CDK's error", function()
      local imported = ecr.Repository.from_repository_name(stack, "Imported", "web")
      assert.is_nil(imported.add_lifecycle_rule)
      assert.is_function(imported.repository_uri_for_tag)
      assert.equal("Cannot apply RemovalPolicy: no child or not a CfnResource. Apply the removal policy on the "
        .. "CfnResource directly.", error_of(function() imported:apply_removal_policy(cdk.RemovalPolicy.RETAIN) end))
    end)

    it("the URI methods check self and take a string", function()
      local repo = ecr.Repository(stack, "Repo")
      assert.equal("bad argument #1 to 'repository_uri_for_tag' (string expected, got number)",
        error_of(function() repo:repository_uri_for_tag(5) end))
      assert.equal("bad argument #1 to 'repository_uri_for_digest' (string expected, got table)",
        error_of(function() repo:repository_uri_for_digest({}) end))
      assert.equal("bad argument #1 to 'repository_uri_for_tag_or_digest' (string expected, got boolean)",
        error_of(function() repo:repository_uri_for_tag_or_digest(true) end))
      assert.equal("calling 'repository_uri_for_tag' on bad self (repository expected, got string)",
        error_of(function() repo.repository_uri_for_tag("x", "v") end))
    end)

    it("apply_removal_policy takes a RemovalPolicy", function()
      local repo = ecr.Repository(stack, "Repo")
      assert.equal("bad argument #1 to 'apply_removal_policy' (one of destroy, retain, snapshot expected, got 'gone')",
        error_of(function() repo:apply_removal_policy("gone") end))
    end)
  end)

  describe("imports", function()
    it("check their arguments", function()
      assert.equal("bad argument #3 to 'from_repository_name' (string expected, got number)",
        error_of(function() ecr.Repository.from_repository_name(stack, "I", 5) end))
      assert.equal("bad argument #3 to 'from_repository_name' (string expected, got no value)",
        error_of(function() ecr.Repository.from_repository_name(stack, "I") end))
      assert.equal("bad argument #1 to 'from_repository_name' (scope (an App or a construct) expected, got string)",
        error_of(function() ecr.Repository.from_repository_name("s", "I", "x") end))
      assert.equal("bad argument #3 to 'from_repository_arn' (string expected, got number)",
        error_of(function() ecr.Repository.from_repository_arn(stack, "I", 5) end))
      assert.equal("bad argument #3 to 'from_repository_attributes' (table expected, got no value)",
        error_of(function() ecr.Repository.from_repository_attributes(stack, "I") end))
      assert.equal("bad argument #3 to 'from_repository_attributes' (field 'repository_arn': string expected, got nil)",
        error_of(function() ecr.Repository.from_repository_attributes(stack, "I", { repository_name = "x" }) end))
      assert.equal("bad argument #3 to 'from_repository_attributes' (field 'repository_name': string expected, got nil)",
        error_of(function() ecr.Repository.from_repository_attributes(stack, "I", { repository_arn = "x" }) end))
      assert.equal("bad argument #3 to 'from_repository_attributes' (unknown property 'foo')",
        error_of(function()
          ecr.Repository.from_repository_attributes(stack, "I", { repository_name = "x", repository_arn = "y", foo = 1 })
        end))
    end)

    it("arn_for_local_repository checks its arguments and needs a scope inside a stack", function()
      assert.equal("bad argument #1 to 'arn_for_local_repository' (string expected, got number)",
        error_of(function() ecr.Repository.arn_for_local_repository(5, stack) end))
      assert.equal("bad argument #2 to 'arn_for_local_repository' (scope (an App or a construct) expected, got string)",
        error_of(function() ecr.Repository.arn_for_local_repository("web", "s") end))
      assert.equal("bad argument #3 to 'arn_for_local_repository' (string expected, got number)",
        error_of(function() ecr.Repository.arn_for_local_repository("web", stack, 5) end))
      assert.equal("App at '' should be created in the scope of a Stack, but no Stack found",
        error_of(function() ecr.Repository.arn_for_local_repository("web", app) end))
    end)
  end)

  describe("enums", function()
    it("hold CDK's values", function()
      assert.equal("MUTABLE", ecr.TagMutability.MUTABLE)
      assert.equal("IMMUTABLE", ecr.TagMutability.IMMUTABLE)
      assert.equal("AES256", ecr.RepositoryEncryption.AES_256)
      assert.equal("KMS", ecr.RepositoryEncryption.KMS)
      assert.equal("any", ecr.TagStatus.ANY)
      assert.equal("tagged", ecr.TagStatus.TAGGED)
      assert.equal("untagged", ecr.TagStatus.UNTAGGED)
    end)

    it("refuse unknown members and assignment", function()
      assert.equal("TagMutability has no member 'FOO'", error_of(function() return ecr.TagMutability.FOO end))
      assert.equal("RepositoryEncryption has no member 'AES256'",
        error_of(function() return ecr.RepositoryEncryption.AES256 end))
      assert.equal("TagStatus has no member 'Tagged'", error_of(function() return ecr.TagStatus.Tagged end))
      assert.equal("TagStatus is read-only", error_of(function() ecr.TagStatus.NEW = "new" end))
    end)
  end)

  describe("positions", function()
    it("an error names the caller's line, for a type error, a CDK error and a synthesis error", function()
      local file = debug.getinfo(1, "S").short_src
      local line
      local function at(fn)
        local ok, err = pcall(fn)
        assert.is_false(ok)
        return err
      end
      line = debug.getinfo(1, "l").currentline + 1
      local e1 = at(function() ecr.Repository(stack, "Repo", { image_scan_on_push = 1 }) end)
      assert.equal(file .. ":" .. line .. ": ", e1:sub(1, #file + #tostring(line) + 3))
      line = debug.getinfo(1, "l").currentline + 1
      local e2 = at(function() ecr.Repository(stack, "Repo", { repository_name = "A" }) end)
      assert.equal(file .. ":" .. line .. ": ", e2:sub(1, #file + #tostring(line) + 3))
      local repo = ecr.Repository(stack, "Repo")
      repo:add_lifecycle_rule { max_image_age = cdk.Duration.hours(36) }
      line = debug.getinfo(1, "l").currentline + 1
      local e3 = at(function() app:synth() end)
      assert.equal(file .. ":" .. line .. ": ", e3:sub(1, #file + #tostring(line) + 3))
    end)
  end)
end)
