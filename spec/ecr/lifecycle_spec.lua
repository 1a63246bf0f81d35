-- ECR lifecycle rules: tag status inference, the checks made when a rule is added and at
-- synthesis, priority assignment and ordering, and the exact LifecyclePolicyText, pinned against
-- the AWS CDK v1 (1.204.0). Messages use Lua names (tag_prefix_list, TAGGED) where CDK's use JS's.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local iam = require "cdk.iam"
local helpers = require "support.helpers"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

-- A stack with one repository "Repo" (logical ID Repo02AC86CF).
local function repo_stack()
  local app = new_app()
  local stack = cdk.Stack(app, "Stack")
  return app, stack, ecr.Repository(stack, "Repo")
end

local function policy_text(stack, logical_id)
  local r = stack:to_json().Resources[logical_id or "Repo02AC86CF"]
  return r.Properties.LifecyclePolicy.LifecyclePolicyText
end

-- The message of the error fn raises, without the "file:line: " position.
local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local RESOLUTION = "Resolution error: Resolution error: Resolution error: %s.\nObject creation stack:\n"
  .. "  at Execute again with CDK_DEBUG=true to capture stack traces.."

describe("ecr lifecycle rules", function()
  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  describe("tag status", function()
    it("is inferred: ANY without tag_prefix_list, TAGGED with one; explicit ones are kept", function()
      -- given
      local _, stack, repo = repo_stack()
      -- when
      repo:add_lifecycle_rule { max_image_count = 1 }
      repo:add_lifecycle_rule { tag_prefix_list = { "a" }, max_image_count = 2 }
      repo:add_lifecycle_rule { tag_status = ecr.TagStatus.UNTAGGED, max_image_count = 3 }
      repo:add_lifecycle_rule { tag_status = ecr.TagStatus.TAGGED, tag_prefix_list = { "b", "c" }, max_image_count = 4 }
      local explicit = ecr.Repository(stack, "Explicit")
      explicit:add_lifecycle_rule { tag_status = ecr.TagStatus.ANY, max_image_count = 5 }
      -- then
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPrefixList":["b","c"],"countType":"imageCountMoreThan","countNumber":4},"action":{"type":"expire"}},{"rulePriority":4,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
        policy_text(stack))
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}',
        policy_text(stack, "ExplicitF2346800"))
    end)
  end)

  describe("priorities", function()
    it("without rule_priority: in the order added, the ANY rule last", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { tag_prefix_list = { "a" }, max_image_count = 1 }
      repo:add_lifecycle_rule { max_image_count = 2 }
      repo:add_lifecycle_rule { tag_prefix_list = { "b" }, max_image_count = 3 }
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["b"],"countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("explicit ones are kept as given, in the order added (not sorted)", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { rule_priority = 10, tag_prefix_list = { "a" }, max_image_count = 1 }
      repo:add_lifecycle_rule { rule_priority = 20, max_image_count = 2 }
      repo:add_lifecycle_rule { rule_priority = 5, tag_status = ecr.TagStatus.UNTAGGED, max_image_count = 3 }
      assert.equal('{"rules":[{"rulePriority":10,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":5,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},{"rulePriority":20,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("mixed: prioritized first, then the others numbered from the highest explicit one, then ANY", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(90) }
      repo:add_lifecycle_rule { tag_prefix_list = { "auto1" }, max_image_count = 1 }
      repo:add_lifecycle_rule { rule_priority = 7, tag_prefix_list = { "seven" }, max_image_count = 2 }
      repo:add_lifecycle_rule { tag_status = ecr.TagStatus.UNTAGGED, max_image_count = 3 }
      repo:add_lifecycle_rule { rule_priority = 3, tag_prefix_list = { "three" }, max_image_count = 4 }
      assert.equal('{"rules":[{"rulePriority":7,"selection":{"tagStatus":"tagged","tagPrefixList":["seven"],"countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPrefixList":["three"],"countType":"imageCountMoreThan","countNumber":4},"action":{"type":"expire"}},{"rulePriority":8,"selection":{"tagStatus":"tagged","tagPrefixList":["auto1"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":9,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},{"rulePriority":10,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":90,"countUnit":"days"},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("an ANY rule may carry the highest priority, or any priority when it is alone", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { rule_priority = 100, max_image_count = 1 }
      repo:add_lifecycle_rule { rule_priority = 1, tag_prefix_list = { "a" }, max_image_count = 2 }
      local alone = ecr.Repository(stack, "Alone")
      alone:add_lifecycle_rule { rule_priority = 4, max_image_count = 1 }
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}},{"rulePriority":100,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
        policy_text(stack))
      assert.equal('{"rules":[{"rulePriority":4,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
        policy_text(stack, "Alone63C0E5CB"))
    end)

    it("an ANY rule equal to the highest priority is accepted", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { rule_priority = 3, max_image_count = 1 }
      repo:add_lifecycle_rule { rule_priority = 3, tag_prefix_list = { "a" }, max_image_count = 1 }
      assert.equal('{"rules":[{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("numbers are written as JavaScript writes them (fractions, 1e+21, zero, negatives)", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { tag_prefix_list = { "a" }, max_image_count = 2.5 }
      repo:add_lifecycle_rule { tag_prefix_list = { "b" }, max_image_count = 1e21 }
      repo:add_lifecycle_rule { tag_prefix_list = { "c" }, max_image_count = 0 }
      repo:add_lifecycle_rule { tag_prefix_list = { "d" }, max_image_count = -1 }
      repo:add_lifecycle_rule { tag_prefix_list = { "e" }, rule_priority = 0.5, max_image_count = 1 }
      assert.equal('{"rules":[{"rulePriority":0.5,"selection":{"tagStatus":"tagged","tagPrefixList":["e"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":1.5,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":2.5},"action":{"type":"expire"}},{"rulePriority":2.5,"selection":{"tagStatus":"tagged","tagPrefixList":["b"],"countType":"imageCountMoreThan","countNumber":1e+21},"action":{"type":"expire"}},{"rulePriority":3.5,"selection":{"tagStatus":"tagged","tagPrefixList":["c"],"countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}},{"rulePriority":4.5,"selection":{"tagStatus":"tagged","tagPrefixList":["d"],"countType":"imageCountMoreThan","countNumber":-1},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)
  end)

  describe("LifecyclePolicyText", function()
    it("escapes descriptions and prefixes as JSON.stringify does", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule {
        description = "quote \" backslash \\ newline \n tab \t \195\169 \226\152\131 ctl \1 ls \226\128\168 slash /",
        tag_prefix_list = { "v1.", 'rel-"x"' },
        max_image_count = 1,
      }
      repo:add_lifecycle_rule { description = "", tag_status = ecr.TagStatus.UNTAGGED, max_image_count = 2 }
      assert.equal('{"rules":[{"rulePriority":1,"description":"quote \\" backslash \\\\ newline \\n tab \\t \195\169 \226\152\131 ctl \\u0001 ls \226\128\168 slash /","selection":{"tagStatus":"tagged","tagPrefixList":["v1.","rel-\\"x\\""],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":2,"description":"","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("max_image_age in every unit is written in whole days", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { tag_prefix_list = { "ms" }, max_image_age = cdk.Duration.millis(172800000) }
      repo:add_lifecycle_rule { tag_prefix_list = { "s" }, max_image_age = cdk.Duration.seconds(86400) }
      repo:add_lifecycle_rule { tag_prefix_list = { "m" }, max_image_age = cdk.Duration.minutes(4320) }
      repo:add_lifecycle_rule { tag_prefix_list = { "h" }, max_image_age = cdk.Duration.hours(96) }
      repo:add_lifecycle_rule { tag_prefix_list = { "d" }, max_image_age = cdk.Duration.days(5) }
      repo:add_lifecycle_rule { tag_prefix_list = { "p" }, max_image_age = cdk.Duration.parse("P6D") }
      repo:add_lifecycle_rule { tag_prefix_list = { "z" }, max_image_age = cdk.Duration.days(0) }
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["ms"],"countType":"sinceImagePushed","countNumber":2,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["s"],"countType":"sinceImagePushed","countNumber":1,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPrefixList":["m"],"countType":"sinceImagePushed","countNumber":3,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":4,"selection":{"tagStatus":"tagged","tagPrefixList":["h"],"countType":"sinceImagePushed","countNumber":4,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":5,"selection":{"tagStatus":"tagged","tagPrefixList":["d"],"countType":"sinceImagePushed","countNumber":5,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":6,"selection":{"tagStatus":"tagged","tagPrefixList":["p"],"countType":"sinceImagePushed","countNumber":6,"countUnit":"days"},"action":{"type":"expire"}},{"rulePriority":7,"selection":{"tagStatus":"tagged","tagPrefixList":["z"],"countType":"sinceImagePushed","countNumber":0,"countUnit":"days"},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    -- CDK writes JSON.stringify(stack.resolve(rules)): a token is written as its resolved
    -- intrinsic inside the text (which CloudFormation does not substitute), never joined into it.
    it("writes tokens in rules as their resolved intrinsics, as CDK does", function()
      local _, stack, repo = repo_stack()
      local keep = cdk.CfnParameter(stack, "Keep", { type = "Number" })
      local desc = cdk.CfnParameter(stack, "Desc", { type = "String" })
      repo:add_lifecycle_rule { max_image_count = keep.value_as_number, description = "keep " .. desc.value_as_string,
        tag_prefix_list = { desc.value_as_string, "v" } }
      assert.equal('{"rules":[{"rulePriority":1,"description":{"Fn::Join":["",["keep ",{"Ref":"Desc"}]]},"selection":{"tagStatus":"tagged","tagPrefixList":[{"Ref":"Desc"},"v"],"countType":"imageCountMoreThan","countNumber":{"Ref":"Keep"}},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("takes a list token as tag_prefix_list, written as the list's intrinsic (the reference's text)", function()
      local _, stack, repo = repo_stack()
      local p = cdk.CfnParameter(stack, "Prefixes", { type = "CommaDelimitedList" })
      repo:add_lifecycle_rule { tag_prefix_list = p.value_as_list, max_image_count = 3 }
      repo:add_lifecycle_rule { tag_prefix_list = cdk.Lazy.list { produce = function() return { "a", "b" } end },
        max_image_count = 4, rule_priority = 1 }
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["a","b"],'
        .. '"countType":"imageCountMoreThan","countNumber":4},"action":{"type":"expire"}},{"rulePriority":2,'
        .. '"selection":{"tagStatus":"tagged","tagPrefixList":{"Ref":"Prefixes"},"countType":"imageCountMoreThan",'
        .. '"countNumber":3},"action":{"type":"expire"}}]}', policy_text(stack))
    end)

    it("a fractional number of days is kept as it is (no conversion, so no check)", function()
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(1.5) }
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1.5,"countUnit":"days"},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)
  end)

  describe("checks when a rule is added", function()
    local cases = {
      { "TAGGED without tag_prefix_list", { tag_status = "tagged", max_image_count = 1 },
        "TagStatus.TAGGED requires the specification of a tag_prefix_list" },
      { "TAGGED with an empty tag_prefix_list", { tag_status = "tagged", tag_prefix_list = {}, max_image_count = 1 },
        "TagStatus.TAGGED requires the specification of a tag_prefix_list" },
      { "an empty tag_prefix_list (inferred TAGGED)", { tag_prefix_list = {}, max_image_count = 1 },
        "TagStatus.TAGGED requires the specification of a tag_prefix_list" },
      { "tag_prefix_list with UNTAGGED", { tag_status = "untagged", tag_prefix_list = { "a" }, max_image_count = 1 },
        "tag_prefix_list can only be specified when tag_status is set to TAGGED" },
      { "tag_prefix_list with ANY", { tag_status = "any", tag_prefix_list = { "a" }, max_image_count = 1 },
        "tag_prefix_list can only be specified when tag_status is set to TAGGED" },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[1], function()
        local _, _, repo = repo_stack()
        assert.equal(c[3], error_of(function() repo:add_lifecycle_rule(c[2]) end))
      end)
    end

    -- CDK prints JSON.stringify(rule) in the user's key order; Lua tables have none, so lua-cdk
    -- writes the fields in a fixed order, an inferred tag_status last (as CDK adds it).
    it("rejects both max_image_count and max_image_age, showing the rule", function()
      local _, _, repo = repo_stack()
      assert.equal("Life cycle rule must contain exactly one of 'max_image_age' and 'max_image_count', got: "
        .. '{"max_image_count":5,"max_image_age":{"amount":30,"unit":{"label":"days","isoLabel":"D","inMillis":86400000}},"tag_status":"any"}',
        error_of(function()
          repo:add_lifecycle_rule { max_image_count = 5, max_image_age = cdk.Duration.days(30) }
        end))
      assert.equal("Life cycle rule must contain exactly one of 'max_image_age' and 'max_image_count', got: "
        .. '{"max_image_count":1,"max_image_age":{"amount":5,"unit":{"label":"minutes","isoLabel":"M","inMillis":60000}},"tag_status":"any"}',
        error_of(function()
          repo:add_lifecycle_rule { max_image_age = cdk.Duration.minutes(5), max_image_count = 1 }
        end))
    end)

    it("shows every field of a rejected rule", function()
      local _, _, repo = repo_stack()
      assert.equal("Life cycle rule must contain exactly one of 'max_image_age' and 'max_image_count', got: "
        .. '{"rule_priority":2,"description":"d","tag_status":"tagged","tag_prefix_list":["a","b"],"max_image_count":5,"max_image_age":{"amount":1,"unit":{"label":"hours","isoLabel":"H","inMillis":3600000}}}',
        error_of(function()
          repo:add_lifecycle_rule {
            rule_priority = 2, description = "d", tag_status = ecr.TagStatus.TAGGED,
            tag_prefix_list = { "a", "b" }, max_image_count = 5, max_image_age = cdk.Duration.hours(1),
          }
        end))
    end)

    it("rejects a rule with neither max_image_count nor max_image_age", function()
      local _, _, repo = repo_stack()
      local prefix = "Life cycle rule must contain exactly one of 'max_image_age' and 'max_image_count', got: "
      assert.equal(prefix .. '{"tag_prefix_list":["x"],"tag_status":"tagged"}',
        error_of(function() repo:add_lifecycle_rule { tag_prefix_list = { "x" } } end))
      assert.equal(prefix .. '{"tag_status":"any"}',
        error_of(function() repo:add_lifecycle_rule {} end))
      assert.equal(prefix .. '{"description":"x","tag_status":"untagged"}',
        error_of(function() repo:add_lifecycle_rule { tag_status = ecr.TagStatus.UNTAGGED, description = "x" } end))
    end)

    it("rejects a second ANY rule, inferred or explicit, and keeps the first", function()
      -- given
      local _, stack, repo = repo_stack()
      repo:add_lifecycle_rule { tag_status = ecr.TagStatus.ANY, max_image_count = 1 }
      -- when
      local inferred = error_of(function() repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(1) } end)
      local explicit = error_of(function()
        repo:add_lifecycle_rule { tag_status = ecr.TagStatus.ANY, description = "second", max_image_count = 2 }
      end)
      -- then
      assert.equal("Life cycle can only have one TagStatus.ANY rule", inferred)
      assert.equal("Life cycle can only have one TagStatus.ANY rule", explicit)
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
        policy_text(stack))
    end)

    it("applies to lifecycle_rules given in props, at construction", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      assert.equal("TagStatus.TAGGED requires the specification of a tag_prefix_list", error_of(function()
        ecr.Repository(stack, "Repo", {
          lifecycle_rules = { { max_image_count = 1 }, { tag_status = ecr.TagStatus.TAGGED, max_image_count = 1 } },
        })
      end))
      assert.equal("Life cycle can only have one TagStatus.ANY rule", error_of(function()
        ecr.Repository(stack, "Repo", { lifecycle_rules = { { max_image_count = 1 }, { max_image_count = 2 } } })
      end))
    end)

    it("leaves no half-built repository behind when props rules are rejected", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      error_of(function()
        ecr.Repository(stack, "Repo", { lifecycle_rules = { { tag_status = ecr.TagStatus.TAGGED, max_image_count = 1 } } })
      end)
      ecr.Repository(stack, "Repo")
      assert.same({ "Repo02AC86CF" }, (function()
        local ids = {}
        for id in pairs(stack:to_json().Resources) do ids[#ids + 1] = id end
        return ids
      end)())
    end)
  end)

  describe("checks at synthesis", function()
    -- The reference throws these while resolving the lazy LifecyclePolicy, so CDK's message
    -- carries its three "Resolution error:" wrappers and its creation-stack note.
    local cases = {
      { "an ANY rule whose priority is not the highest",
        function(repo)
          repo:add_lifecycle_rule { rule_priority = 1, max_image_count = 1 }
          repo:add_lifecycle_rule { rule_priority = 2, tag_prefix_list = { "a" }, max_image_count = 1 }
        end,
        "TagStatus.ANY rule must have highest priority, has 1 which is smaller than 2" },
      { "a prioritized ANY rule with unprioritized rules",
        function(repo)
          repo:add_lifecycle_rule { rule_priority = 5, max_image_count = 1 }
          repo:add_lifecycle_rule { tag_prefix_list = { "a" }, max_image_count = 1 }
        end,
        "Cannot combine prioritized TagStatus.ANY rule with unprioritized rules. Remove rule_priority from the 'Any' rule." },
      { "36 hours", function(repo) repo:add_lifecycle_rule { max_image_age = cdk.Duration.hours(36) } end,
        "'36 hours' cannot be converted into a whole number of days." },
      { "1000 millis", function(repo) repo:add_lifecycle_rule { max_image_age = cdk.Duration.millis(1000) } end,
        "'1000 millis' cannot be converted into a whole number of days." },
      { "90 minutes", function(repo) repo:add_lifecycle_rule { max_image_age = cdk.Duration.minutes(90) } end,
        "'90 minutes' cannot be converted into a whole number of days." },
      { "7 seconds", function(repo) repo:add_lifecycle_rule { max_image_age = cdk.Duration.seconds(7) } end,
        "'7 seconds' cannot be converted into a whole number of days." },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[1] .. " (from app:synth() and stack:to_json())", function()
        -- given
        local app, stack, repo = repo_stack()
        -- when
        c[2](repo)
        -- then
        assert.equal(RESOLUTION:format(c[3]), error_of(function() app:synth() end))
        assert.equal(RESOLUTION:format(c[3]), error_of(function() stack:to_json() end))
      end)
    end

    it("reports the lifecycle policy's error before the policy text's, as CDK resolves them", function()
      -- given: a bad age, and pull granted to a user of another environment without a physical
      -- name, which the repository's policy text cannot name
      local app = new_app()
      local agnostic = cdk.Stack(app, "Stack0")
      local other = cdk.Stack(app, "Stack1", { env = { account = "222222222222", region = "eu-west-1" } })
      local repo = ecr.Repository(agnostic, "Repo", { repository_name = "api1" })
      repo:add_lifecycle_rule { max_image_age = cdk.Duration.minutes(24) }
      repo:grant_pull(iam.User(other, "User0"))
      -- then: the reference's error (CDK resolves cfnProperties in their order: LifecyclePolicy
      -- before RepositoryPolicyText), where lua-cdk met the policy text first
      assert.equal(RESOLUTION:format("'24 minutes' cannot be converted into a whole number of days."),
        error_of(function() app:synth() end))
    end)
  end)
end)
