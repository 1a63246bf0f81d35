-- ecr.Repository: every prop, the name validation, removal policies, fields, default_child and
-- tags, pinned against what the AWS CDK v1 (1.204.0) synthesizes for the same program.
local cdk = require "cdk"
local ecr = require "cdk.ecr"

local helpers = require "support.helpers"

local outdirs = {}

-- A fresh App whose assembly goes to a temporary folder, removed after the test.
local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

-- A resource as the reference writes it for a Repository with nothing but these properties.
local function repo_resource(props, policy)
  policy = policy or "Retain"
  return { Type = "AWS::ECR::Repository", Properties = props, UpdateReplacePolicy = policy, DeletionPolicy = policy }
end

describe("ecr.Repository", function()
  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("with no props is a retained AWS::ECR::Repository", function()
    -- given
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    -- when
    ecr.Repository(stack, "Repo")
    -- then
    assert.same({ Resources = { Repo02AC86CF = repo_resource(nil) } }, stack:to_json())
  end)

  it("accepts props = nil and props = {} alike", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Repo", nil)
    ecr.Repository(stack, "Other", {})
    local t = stack:to_json()
    assert.same(repo_resource(nil), t.Resources.Repo02AC86CF)
    assert.same(repo_resource(nil), t.Resources.Other34654A52)
  end)

  describe("repository_name", function()
    it("is written as RepositoryName ('/', '.', '_' and '-' allowed)", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      ecr.Repository(stack, "Repo", { repository_name = "team-a/web.api_v2" })
      assert.same({ Resources = { Repo02AC86CF = repo_resource({ RepositoryName = "team-a/web.api_v2" }) } },
        stack:to_json())
    end)

    it("is not validated when it is a token (lazy, parameter, joined)", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      ecr.Repository(stack, "Repo", {
        repository_name = cdk.Lazy.string { produce = function() return "Not_Valid//Name" end },
      })
      local p = cdk.CfnParameter(stack, "Name", { type = "String" })
      ecr.Repository(stack, "Param", { repository_name = p.value_as_string })
      ecr.Repository(stack, "Joined", { repository_name = "team/" .. cdk.Aws.STACK_NAME })
      assert.same({
        Resources = {
          Repo02AC86CF = repo_resource({ RepositoryName = "Not_Valid//Name" }),
          Param165332EC = repo_resource({ RepositoryName = { Ref = "Name" } }),
          JoinedE87E617D = repo_resource({
            RepositoryName = { ["Fn::Join"] = { "", { "team/", { Ref = "AWS::StackName" } } } },
          }),
        },
        Parameters = { Name = { Type = "String" } },
      }, stack:to_json())
    end)

    it("PhysicalName.GENERATE_IF_NEEDED writes no name when nothing needs one", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      ecr.Repository(stack, "Repo", { repository_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
      assert.same({ Resources = { Repo02AC86CF = repo_resource(nil) } }, stack:to_json())
    end)

    it("PhysicalName.GENERATE_IF_NEEDED generates CDK's name when another account refers to it", function()
      -- given
      local app = new_app()
      local a = cdk.Stack(app, "Producer", { env = { account = "111111111111", region = "us-east-1" } })
      local repo = ecr.Repository(a, "Repo", { repository_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
      local b = cdk.Stack(app, "Consumer", { env = { account = "222222222222", region = "us-east-1" } })
      -- when
      cdk.CfnOutput(b, "Name", { value = repo.repository_name })
      cdk.CfnOutput(b, "Arn", { value = repo.repository_arn })
      cdk.CfnOutput(b, "Uri", { value = repo.repository_uri })
      local assembly = app:synth()
      -- then
      local name = "producerproducerrepo9d7ed65c31532fad2db4"
      local arn = { ["Fn::Join"] = { "", {
        "arn:", { Ref = "AWS::Partition" }, ":ecr:us-east-1:111111111111:repository/" .. name } } }
      assert.same({ Resources = { Repo02AC86CF = repo_resource({ RepositoryName = name }) } },
        assembly:get_stack_by_name("Producer").template)
      assert.same({
        Outputs = {
          Name = { Value = name },
          Arn = { Value = arn },
          Uri = {
            Value = {
              ["Fn::Join"] = { "", {
                { ["Fn::Select"] = { 4, { ["Fn::Split"] = { ":", arn } } } },
                ".dkr.ecr.",
                { ["Fn::Select"] = { 3, { ["Fn::Split"] = { ":", arn } } } },
                ".",
                { Ref = "AWS::URLSuffix" },
                "/" .. name,
              } },
            },
          },
        },
      }, assembly:get_stack_by_name("Consumer").template)
    end)
  end)

  it("image_scan_on_push true and false are both written", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "On", { image_scan_on_push = true })
    ecr.Repository(stack, "Off", { image_scan_on_push = false })
    assert.same({
      Resources = {
        On52B46D8D = repo_resource({ ImageScanningConfiguration = { ScanOnPush = true } }),
        Off501F6B1C = repo_resource({ ImageScanningConfiguration = { ScanOnPush = false } }),
      },
    }, stack:to_json())
  end)

  it("image_tag_mutability MUTABLE and IMMUTABLE", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Mutable", { image_tag_mutability = ecr.TagMutability.MUTABLE })
    ecr.Repository(stack, "Immutable", { image_tag_mutability = ecr.TagMutability.IMMUTABLE })
    assert.same({
      Resources = {
        MutableDAE6963B = repo_resource({ ImageTagMutability = "MUTABLE" }),
        ImmutableD09D2447 = repo_resource({ ImageTagMutability = "IMMUTABLE" }),
      },
    }, stack:to_json())
  end)

  it("encryption AES_256 writes nothing, KMS writes the AWS-managed key configuration", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Aes", { encryption = ecr.RepositoryEncryption.AES_256 })
    ecr.Repository(stack, "Kms", { encryption = ecr.RepositoryEncryption.KMS })
    assert.same({
      Resources = {
        Aes728F5B73 = repo_resource(nil),
        KmsF7F05A5D = repo_resource({ EncryptionConfiguration = { EncryptionType = "KMS" } }),
      },
    }, stack:to_json())
  end)

  it("lifecycle_rules in props come before rules added later, in the priority order", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    local repo = ecr.Repository(stack, "Repo", {
      lifecycle_rules = {
        { tag_prefix_list = { "prod" }, max_image_count = 9999 },
        { max_image_age = cdk.Duration.days(30) },
      },
    })
    repo:add_lifecycle_rule { tag_status = ecr.TagStatus.UNTAGGED, max_image_count = 1 }
    assert.same({
      Resources = {
        Repo02AC86CF = repo_resource({
          LifecyclePolicy = {
            LifecyclePolicyText = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":9999},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":30,"countUnit":"days"},"action":{"type":"expire"}}]}',
          },
        }),
      },
    }, stack:to_json())
  end)

  it("lifecycle_registry_id alone gives a LifecyclePolicy with only RegistryId", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Alone", { lifecycle_registry_id = "123456789012" })
    ecr.Repository(stack, "WithRules", {
      lifecycle_registry_id = "123456789012",
      lifecycle_rules = { { max_image_count = 3 } },
    })
    assert.same({
      Resources = {
        Alone63C0E5CB = repo_resource({ LifecyclePolicy = { RegistryId = "123456789012" } }),
        WithRules38294FFC = repo_resource({
          LifecyclePolicy = {
            LifecyclePolicyText = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}',
            RegistryId = "123456789012",
          },
        }),
      },
    }, stack:to_json())
  end)

  it("an empty lifecycle_registry_id counts as none alone, and is written beside rules", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Alone", { lifecycle_registry_id = "" })
    ecr.Repository(stack, "WithRules", { lifecycle_registry_id = "", lifecycle_rules = { { max_image_count = 3 } } })
    assert.same({
      Resources = {
        Alone63C0E5CB = repo_resource(nil),
        WithRules38294FFC = repo_resource({
          LifecyclePolicy = {
            LifecyclePolicyText = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}',
            RegistryId = "",
          },
        }),
      },
    }, stack:to_json())
  end)

  it("removal_policy: RETAIN by default, RETAIN, DESTROY, SNAPSHOT, and apply_removal_policy later", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Default")
    ecr.Repository(stack, "Retain", { removal_policy = cdk.RemovalPolicy.RETAIN })
    ecr.Repository(stack, "Destroy", { removal_policy = cdk.RemovalPolicy.DESTROY })
    ecr.Repository(stack, "Snapshot", { removal_policy = cdk.RemovalPolicy.SNAPSHOT })
    local later = ecr.Repository(stack, "Later")
    later:apply_removal_policy(cdk.RemovalPolicy.DESTROY)
    local back = ecr.Repository(stack, "Back", { removal_policy = cdk.RemovalPolicy.DESTROY })
    back:apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    assert.same({
      Resources = {
        -- "Default" is CDK's hidden id: the path Default/Resource leaves only "Resource"
        Resource = repo_resource(nil),
        Retain9C36A9DA = repo_resource(nil),
        Destroy97A51D67 = repo_resource(nil, "Delete"),
        Snapshot86FBE57A = repo_resource(nil, "Snapshot"),
        LaterC575820C = repo_resource(nil, "Delete"),
        BackBD5975DB = repo_resource(nil),
      },
    }, stack:to_json())
  end)

  it("writes every prop in CloudFormation's order, byte for byte as CDK", function()
    -- given
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "All", {
      removal_policy = cdk.RemovalPolicy.DESTROY,
      lifecycle_registry_id = "123456789012",
      lifecycle_rules = { { description = "keep 5", max_image_count = 5 } },
      encryption = ecr.RepositoryEncryption.KMS,
      image_tag_mutability = ecr.TagMutability.IMMUTABLE,
      image_scan_on_push = true,
      repository_name = "all-props",
    })
    -- when
    local assembly = app:synth()
    -- then
    assert.equal([[
{
 "Resources": {
  "All865E4291": {
   "Type": "AWS::ECR::Repository",
   "Properties": {
    "EncryptionConfiguration": {
     "EncryptionType": "KMS"
    },
    "ImageScanningConfiguration": {
     "ScanOnPush": true
    },
    "ImageTagMutability": "IMMUTABLE",
    "LifecyclePolicy": {
     "LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep 5\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}",
     "RegistryId": "123456789012"
    },
    "RepositoryName": "all-props"
   },
   "UpdateReplacePolicy": "Delete",
   "DeletionPolicy": "Delete"
  }
 }
}]], helpers.read(assembly.directory .. "/Stack.template.json"))
  end)

  describe("fields", function()
    it("repository_name, repository_arn and repository_uri in an environment-agnostic stack", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      cdk.CfnOutput(stack, "Name", { value = repo.repository_name })
      cdk.CfnOutput(stack, "Arn", { value = repo.repository_arn })
      cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri })
      local arn = { ["Fn::GetAtt"] = { "Repo02AC86CF", "Arn" } }
      assert.same({
        Name = { Value = { Ref = "Repo02AC86CF" } },
        Arn = { Value = arn },
        Uri = {
          Value = {
            ["Fn::Join"] = { "", {
              { ["Fn::Select"] = { 4, { ["Fn::Split"] = { ":", arn } } } },
              ".dkr.ecr.",
              { ["Fn::Select"] = { 3, { ["Fn::Split"] = { ":", arn } } } },
              ".",
              { Ref = "AWS::URLSuffix" },
              "/",
              { Ref = "Repo02AC86CF" },
            } },
          },
        },
      }, stack:to_json().Outputs)
    end)

    it("are references to the resource in its own stack even when named in an env stack", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      local repo = ecr.Repository(stack, "Repo", { repository_name = "web" })
      cdk.CfnOutput(stack, "Name", { value = repo.repository_name })
      cdk.CfnOutput(stack, "Arn", { value = repo.repository_arn })
      cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri })
      local arn = { ["Fn::GetAtt"] = { "Repo02AC86CF", "Arn" } }
      assert.same({
        Resources = { Repo02AC86CF = repo_resource({ RepositoryName = "web" }) },
        Outputs = {
          Name = { Value = { Ref = "Repo02AC86CF" } },
          Arn = { Value = arn },
          Uri = {
            Value = {
              ["Fn::Join"] = { "", {
                { ["Fn::Select"] = { 4, { ["Fn::Split"] = { ":", arn } } } },
                ".dkr.ecr.",
                { ["Fn::Select"] = { 3, { ["Fn::Split"] = { ":", arn } } } },
                ".",
                { Ref = "AWS::URLSuffix" },
                "/",
                { Ref = "Repo02AC86CF" },
              } },
            },
          },
        },
      }, stack:to_json())
    end)

    it("are string tokens", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo", { repository_name = "web" })
      for _, k in ipairs { "repository_name", "repository_arn", "repository_uri" } do
        assert.equal("string", type(repo[k]))
        assert.is_true(cdk.Token.is_unresolved(repo[k]))
      end
    end)

    it("stack and env tell where the repository lives", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      local repo = ecr.Repository(stack, "Repo")
      assert.equal(stack, repo.stack)
      assert.same({ account = "123456789012", region = "eu-west-1" }, repo.env)
    end)
  end)

  describe("node.default_child", function()
    it("is the CfnRepository, with the L1's methods and attributes", function()
      -- given
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      -- when
      local cfn = repo.node.default_child
      cfn:add_property_override("ImageTagMutability", "IMMUTABLE")
      cfn:add_override("Metadata.Owner", "platform")
      cdk.CfnOutput(stack, "Ref", { value = cfn.ref })
      cdk.CfnOutput(stack, "Uri", { value = cfn.attr_repository_uri })
      -- then
      assert.equal("Stack/Repo/Resource", cfn.node.path)
      assert.equal("AWS::ECR::Repository", cfn.cfn_resource_type)
      assert.equal(repo.node:find_child("Resource"), cfn)
      assert.same({
        Resources = {
          Repo02AC86CF = {
            Type = "AWS::ECR::Repository",
            UpdateReplacePolicy = "Retain",
            DeletionPolicy = "Retain",
            Properties = { ImageTagMutability = "IMMUTABLE" },
            Metadata = { Owner = "platform" },
          },
        },
        Outputs = {
          Ref = { Value = { Ref = "Repo02AC86CF" } },
          Uri = { Value = { ["Fn::GetAtt"] = { "Repo02AC86CF", "RepositoryUri" } } },
        },
      }, stack:to_json())
    end)
  end)

  it("takes tags from cdk.Tags (sorted by key), inherited from the stack unless removed", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    local repo = ecr.Repository(stack, "Repo")
    cdk.Tags.of(repo):add("team", "platform")
    cdk.Tags.of(repo):add("cost-center", "1234")
    cdk.Tags.of(stack):add("env", "prod")
    local other = ecr.Repository(stack, "Other")
    cdk.Tags.of(other):remove("env")
    assert.same({
      Resources = {
        Repo02AC86CF = repo_resource({
          Tags = {
            { Key = "cost-center", Value = "1234" },
            { Key = "env", Value = "prod" },
            { Key = "team", Value = "platform" },
          },
        }),
        Other34654A52 = repo_resource(nil),
      },
    }, stack:to_json())
  end)

  it("is described in tree.json as CDK describes it (with the L1's camelCase props)", function()
    -- given
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    ecr.Repository(stack, "Repo", { image_scan_on_push = true, lifecycle_rules = { { max_image_count = 3 } } })
    ecr.Repository.from_repository_name(stack, "Imported", "web")
    ecr.CfnPullThroughCacheRule(stack, "Cache", { ecr_repository_prefix = "p", upstream_registry_url = "quay.io" })
    -- when
    local assembly = app:synth()
    -- then
    local tree = require("support.json").read_file(assembly.directory .. "/tree.json")
    assert.same({
      Repo = {
        id = "Repo",
        path = "Stack/Repo",
        children = {
          Resource = {
            id = "Resource",
            path = "Stack/Repo/Resource",
            attributes = {
              ["aws:cdk:cloudformation:type"] = "AWS::ECR::Repository",
              ["aws:cdk:cloudformation:props"] = {
                imageScanningConfiguration = { scanOnPush = true },
                lifecyclePolicy = {
                  lifecyclePolicyText = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}',
                },
              },
            },
            constructInfo = { fqn = "@aws-cdk/aws-ecr.CfnRepository", version = "1.204.0" },
          },
        },
        constructInfo = { fqn = "@aws-cdk/aws-ecr.Repository", version = "1.204.0" },
      },
      Imported = {
        id = "Imported",
        path = "Stack/Imported",
        constructInfo = { fqn = "@aws-cdk/aws-ecr.RepositoryBase", version = "1.204.0" },
      },
      Cache = {
        id = "Cache",
        path = "Stack/Cache",
        attributes = {
          ["aws:cdk:cloudformation:type"] = "AWS::ECR::PullThroughCacheRule",
          ["aws:cdk:cloudformation:props"] = { ecrRepositoryPrefix = "p", upstreamRegistryUrl = "quay.io" },
        },
        constructInfo = { fqn = "@aws-cdk/aws-ecr.CfnPullThroughCacheRule", version = "1.204.0" },
      },
    }, tree.tree.children.Stack.children)
  end)

  describe("lifetime", function()
    it("a repository keeps its App alive after the App's handle is dropped", function()
      -- given
      local repo
      do
        local app = new_app()
        repo = ecr.Repository(cdk.Stack(app, "Stack"), "Repo")
      end
      -- when
      collectgarbage()
      collectgarbage()
      repo:add_lifecycle_rule { max_image_count = 3 }
      -- then
      assert.equal("Stack/Repo", repo.node.path)
      assert.equal('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}',
        repo.stack:to_json().Resources.Repo02AC86CF.Properties.LifecyclePolicy.LifecyclePolicyText)
      local template = repo.node.root:synth():get_stack_by_name("Stack").template
      assert.equal("AWS::ECR::Repository", template.Resources.Repo02AC86CF.Type)
    end)

    it("a repository of a closed App refuses to be used", function()
      local app = new_app()
      local repo = ecr.Repository(cdk.Stack(app, "Stack"), "Repo")
      app:close()
      local ok, err = pcall(function() return repo.repository_arn end)
      assert.is_false(ok)
      assert.matches("attempt to use a construct of a closed App$", err)
      ok, err = pcall(function() repo:add_lifecycle_rule { max_image_count = 1 } end)
      assert.is_false(ok)
      assert.matches("attempt to use a construct of a closed App$", err)
    end)
  end)

  it("inside a construct gets a logical ID from the whole path", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    local images = cdk.Construct(stack, "Images")
    ecr.Repository(images, "Web", { repository_name = "web" })
    assert.same({ Resources = { ImagesWeb0FFC3EA6 = repo_resource({ RepositoryName = "web" }) } },
      stack:to_json())
  end)
end)
