-- The ECR L1 resources (CfnRepository, CfnRegistryPolicy, CfnReplicationConfiguration,
-- CfnPullThroughCacheRule, CfnPublicRepository): every property with snake_case keys, nested
-- tables, CloudFormation's order, attr_* fields and ref, tags, tokens, and bad input. Templates
-- are pinned against the AWS CDK v1 (1.204.0); the input checks are lua-cdk's own (CDK checks
-- types and required properties only while synthesizing, with other wording).
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local helpers = require "support.helpers"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

describe("ecr L1 resources", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  describe("CfnRepository", function()
    it("takes every property, nested ones as tables, and has attr_arn, attr_repository_uri and ref", function()
      -- when
      local cfn = ecr.CfnRepository(stack, "L1Repo", {
        repository_name = "l1-repo",
        image_scanning_configuration = { scan_on_push = true },
        image_tag_mutability = "IMMUTABLE",
        encryption_configuration = {
          encryption_type = "KMS",
          kms_key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
        lifecycle_policy = {
          lifecycle_policy_text = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}',
          registry_id = "123456789012",
        },
        repository_policy_text = {
          Version = "2012-10-17",
          Statement = { {
            Sid = "AllowPull",
            Effect = "Allow",
            Principal = { AWS = "arn:aws:iam::111122223333:root" },
            Action = { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" },
          } },
        },
        tags = { { key = "team", value = "platform" }, { key = "app", value = "web" } },
      })
      cdk.CfnOutput(stack, "Arn", { value = cfn.attr_arn })
      cdk.CfnOutput(stack, "Uri", { value = cfn.attr_repository_uri })
      cdk.CfnOutput(stack, "Ref", { value = cfn.ref })
      -- then
      assert.same({
        Resources = {
          L1Repo = {
            Type = "AWS::ECR::Repository",
            Properties = {
              EncryptionConfiguration = {
                EncryptionType = "KMS",
                KmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
              },
              ImageScanningConfiguration = { ScanOnPush = true },
              ImageTagMutability = "IMMUTABLE",
              LifecyclePolicy = {
                LifecyclePolicyText = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}',
                RegistryId = "123456789012",
              },
              RepositoryName = "l1-repo",
              RepositoryPolicyText = {
                Version = "2012-10-17",
                Statement = { {
                  Sid = "AllowPull",
                  Effect = "Allow",
                  Principal = { AWS = "arn:aws:iam::111122223333:root" },
                  Action = { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" },
                } },
              },
              Tags = { { Key = "app", Value = "web" }, { Key = "team", Value = "platform" } },
            },
          },
        },
        Outputs = {
          Arn = { Value = { ["Fn::GetAtt"] = { "L1Repo", "Arn" } } },
          Uri = { Value = { ["Fn::GetAtt"] = { "L1Repo", "RepositoryUri" } } },
          Ref = { Value = { Ref = "L1Repo" } },
        },
      }, stack:to_json())
    end)

    it("writes its properties in CloudFormation's order, byte for byte as CDK", function()
      -- the free-form policy's keys are sorted here, as lua-cdk writes them
      ecr.CfnRepository(stack, "L1Repo", {
        tags = { { key = "team", value = "platform" }, { key = "app", value = "web" } },
        repository_policy_text = {
          Statement = { {
            Action = { "ecr:BatchGetImage" }, Effect = "Allow",
            Principal = { AWS = "arn:aws:iam::111122223333:root" }, Sid = "AllowPull",
          } },
          Version = "2012-10-17",
        },
        repository_name = "l1-repo",
        lifecycle_policy = { registry_id = "123456789012", lifecycle_policy_text = '{"rules":[]}' },
        image_tag_mutability = "IMMUTABLE",
        image_scanning_configuration = { scan_on_push = true },
        encryption_configuration = { kms_key = "alias/my-key", encryption_type = "KMS" },
      })
      local assembly = app:synth()
      assert.equal([[
{
 "Resources": {
  "L1Repo": {
   "Type": "AWS::ECR::Repository",
   "Properties": {
    "EncryptionConfiguration": {
     "EncryptionType": "KMS",
     "KmsKey": "alias/my-key"
    },
    "ImageScanningConfiguration": {
     "ScanOnPush": true
    },
    "ImageTagMutability": "IMMUTABLE",
    "LifecyclePolicy": {
     "LifecyclePolicyText": "{\"rules\":[]}",
     "RegistryId": "123456789012"
    },
    "RepositoryName": "l1-repo",
    "RepositoryPolicyText": {
     "Statement": [
      {
       "Action": [
        "ecr:BatchGetImage"
       ],
       "Effect": "Allow",
       "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"
       },
       "Sid": "AllowPull"
      }
     ],
     "Version": "2012-10-17"
    },
    "Tags": [
     {
      "Key": "app",
      "Value": "web"
     },
     {
      "Key": "team",
      "Value": "platform"
     }
    ]
   }
  }
 }
}]], helpers.read(assembly.directory .. "/Stack.template.json"))
    end)

    it("sets its properties as fields, as CDK's L1s do (nil unsets one), byte for byte as CDK", function()
      local l1 = ecr.Repository(stack, "Repo", { image_scan_on_push = true }).node.default_child
      l1.repository_name = "set-" .. cdk.Aws.REGION
      l1.encryption_configuration = { encryption_type = "KMS" }
      l1.image_scanning_configuration = nil
      local c = ecr.CfnRepository(stack, "Cc", { repository_name = "c" })
      c.image_tag_mutability = "IMMUTABLE"
      c.repository_name = nil
      local rc = ecr.CfnReplicationConfiguration(stack, "Rc", { replication_configuration = { rules = {} } })
      rc.replication_configuration = { rules = { { destinations = { { region = "us-west-2", registry_id = "1" } } } } }
      assert.equal("IMMUTABLE", c.image_tag_mutability)
      local assembly = app:synth()
      assert.equal([[
{
 "Resources": {
  "Repo02AC86CF": {
   "Type": "AWS::ECR::Repository",
   "Properties": {
    "EncryptionConfiguration": {
     "EncryptionType": "KMS"
    },
    "RepositoryName": {
     "Fn::Join": [
      "",
      [
       "set-",
       {
        "Ref": "AWS::Region"
       }
      ]
     ]
    }
   },
   "UpdateReplacePolicy": "Retain",
   "DeletionPolicy": "Retain"
  },
  "Cc": {
   "Type": "AWS::ECR::Repository",
   "Properties": {
    "ImageTagMutability": "IMMUTABLE"
   }
  },
  "Rc": {
   "Type": "AWS::ECR::ReplicationConfiguration",
   "Properties": {
    "ReplicationConfiguration": {
     "Rules": [
      {
       "Destinations": [
        {
         "Region": "us-west-2",
         "RegistryId": "1"
        }
       ]
      }
     ]
    }
   }
  }
 }
}]], helpers.read(assembly.directory .. "/Stack.template.json"))
    end)

    it("checks a property set as a field as the constructor does; tags and attributes are not fields", function()
      local c = ecr.CfnRepository(stack, "Cc")
      assert.equal("bad argument #2 to 'CfnRepository' (field 'image_scanning_configuration.scan_on_push': boolean "
        .. "expected, got string)", error_of(function() c.image_scanning_configuration = { scan_on_push = "x" } end))
      assert.equal("bad argument #2 to 'CfnRepository' (field 'repository_name': string expected, got number)",
        error_of(function() c.repository_name = 5 end))
      assert.equal("cannot set field 'tags' of CfnRepository 'Stack/Cc'", error_of(function() c.tags = {} end))
      assert.equal("cannot set field 'attr_arn' of CfnRepository 'Stack/Cc'", error_of(function() c.attr_arn = "x" end))
      local p = ecr.CfnRegistryPolicy(stack, "Pol", { policy_text = { a = 1 } })
      assert.equal("bad argument #2 to 'CfnRegistryPolicy' (missing required property 'policy_text')",
        error_of(function() p.policy_text = nil end))
    end)

    it("reads its properties back as fields, and its type", function()
      local cfn = ecr.CfnRepository(stack, "Repo", {
        repository_name = "x", image_scanning_configuration = { scan_on_push = false },
      })
      assert.equal("x", cfn.repository_name)
      assert.same({ scan_on_push = false }, cfn.image_scanning_configuration)
      assert.is_nil(cfn.image_tag_mutability)
      assert.equal("AWS::ECR::Repository", cfn.cfn_resource_type)
      assert.is_nil(cfn.attr_nothing)
    end)

    it("takes tokens for any property; a lazy struct is read with Lua's names, as CDK reads JS's", function()
      local name = cdk.CfnParameter(stack, "Name", { type = "String" })
      ecr.CfnRepository(stack, "Repo", {
        repository_name = name.value_as_string,
        encryption_configuration = { encryption_type = "KMS", kms_key = cdk.Fn.import_value("KeyArn") },
        repository_policy_text = cdk.Lazy.any { produce = function() return { Version = "2012-10-17" } end },
        image_scanning_configuration = cdk.Lazy.any { produce = function() return { scan_on_push = true } end },
      })
      ecr.CfnRepository(stack, "Cfn", {
        image_scanning_configuration = cdk.Lazy.any { produce = function() return { ScanOnPush = true } end },
      })
      ecr.CfnRepository(stack, "Inner", {
        image_scanning_configuration = { scan_on_push = cdk.Lazy.any { produce = function() return true end } },
      })
      assert.same({
        Parameters = { Name = { Type = "String" } },
        Resources = {
          Repo = {
            Type = "AWS::ECR::Repository",
            Properties = {
              EncryptionConfiguration = { EncryptionType = "KMS", KmsKey = { ["Fn::ImportValue"] = "KeyArn" } },
              ImageScanningConfiguration = { ScanOnPush = true },
              RepositoryName = { Ref = "Name" },
              RepositoryPolicyText = { Version = "2012-10-17" },
            },
          },
          -- CloudFormation's names in a lazy struct are not property names: dropped, as in CDK
          Cfn = { Type = "AWS::ECR::Repository", Properties = { ImageScanningConfiguration = {} } },
          Inner = { Type = "AWS::ECR::Repository", Properties = { ImageScanningConfiguration = { ScanOnPush = true } } },
        },
      }, stack:to_json())
    end)
  end)

  it("CfnRegistryPolicy: a free-form policy and attr_registry_id", function()
    local policy = ecr.CfnRegistryPolicy(stack, "RegistryPolicy", {
      policy_text = {
        Version = "2012-10-17",
        Statement = { {
          Sid = "ReplicationAccess",
          Effect = "Allow",
          Principal = { AWS = "arn:aws:iam::210987654321:root" },
          Action = { "ecr:CreateRepository", "ecr:ReplicateImage" },
          Resource = "arn:aws:ecr:us-west-2:123456789012:repository/*",
        } },
      },
    })
    cdk.CfnOutput(stack, "RegistryId", { value = policy.attr_registry_id })
    cdk.CfnOutput(stack, "Ref", { value = policy.ref })
    assert.same({
      Resources = {
        RegistryPolicy = {
          Type = "AWS::ECR::RegistryPolicy",
          Properties = {
            PolicyText = {
              Version = "2012-10-17",
              Statement = { {
                Sid = "ReplicationAccess",
                Effect = "Allow",
                Principal = { AWS = "arn:aws:iam::210987654321:root" },
                Action = { "ecr:CreateRepository", "ecr:ReplicateImage" },
                Resource = "arn:aws:ecr:us-west-2:123456789012:repository/*",
              } },
            },
          },
        },
      },
      Outputs = {
        RegistryId = { Value = { ["Fn::GetAtt"] = { "RegistryPolicy", "RegistryId" } } },
        Ref = { Value = { Ref = "RegistryPolicy" } },
      },
    }, stack:to_json())
  end)

  it("CfnReplicationConfiguration: rules, destinations and filters as lists of tables", function()
    local repl = ecr.CfnReplicationConfiguration(stack, "Replication", {
      replication_configuration = {
        rules = {
          {
            destinations = {
              { region = "us-west-2", registry_id = "123456789012" },
              { region = "eu-west-1", registry_id = "210987654321" },
            },
            repository_filters = { { filter = "prod", filter_type = "PREFIX_MATCH" } },
          },
          { destinations = { { region = "ap-southeast-2", registry_id = "123456789012" } } },
        },
      },
    })
    cdk.CfnOutput(stack, "RegistryId", { value = repl.attr_registry_id })
    assert.same({
      Resources = {
        Replication = {
          Type = "AWS::ECR::ReplicationConfiguration",
          Properties = {
            ReplicationConfiguration = {
              Rules = {
                {
                  Destinations = {
                    { Region = "us-west-2", RegistryId = "123456789012" },
                    { Region = "eu-west-1", RegistryId = "210987654321" },
                  },
                  RepositoryFilters = { { Filter = "prod", FilterType = "PREFIX_MATCH" } },
                },
                { Destinations = { { Region = "ap-southeast-2", RegistryId = "123456789012" } } },
              },
            },
          },
        },
      },
      Outputs = { RegistryId = { Value = { ["Fn::GetAtt"] = { "Replication", "RegistryId" } } } },
    }, stack:to_json())
  end)

  it("CfnPullThroughCacheRule: both properties, and none", function()
    ecr.CfnPullThroughCacheRule(stack, "PublicCache", {
      ecr_repository_prefix = "ecr-public",
      upstream_registry_url = "public.ecr.aws",
    })
    local bare = ecr.CfnPullThroughCacheRule(stack, "Cache")
    cdk.CfnOutput(stack, "CacheRef", { value = bare.ref })
    assert.same({
      Resources = {
        PublicCache = {
          Type = "AWS::ECR::PullThroughCacheRule",
          Properties = { EcrRepositoryPrefix = "ecr-public", UpstreamRegistryUrl = "public.ecr.aws" },
        },
        Cache = { Type = "AWS::ECR::PullThroughCacheRule" },
      },
      Outputs = { CacheRef = { Value = { Ref = "Cache" } } },
    }, stack:to_json())
  end)

  it("CfnPublicRepository: catalog data and policy (free-form), tags, attr_arn; and no properties", function()
    local pub = ecr.CfnPublicRepository(stack, "Public", {
      repository_name = "my-public-image",
      repository_catalog_data = {
        RepositoryDescription = "A public image",
        Architectures = { "x86-64", "ARM 64" },
        OperatingSystems = { "Linux" },
        AboutText = "# About",
        UsageText = "docker pull public.ecr.aws/example/my-public-image",
      },
      repository_policy_text = {
        Version = "2012-10-17",
        Statement = { {
          Sid = "AllowPush",
          Effect = "Allow",
          Principal = { AWS = "arn:aws:iam::123456789012:role/publisher" },
          Action = { "ecr-public:PutImage", "ecr-public:UploadLayerPart" },
        } },
      },
      tags = { { key = "visibility", value = "public" } },
    })
    ecr.CfnPublicRepository(stack, "Bare")
    cdk.CfnOutput(stack, "Arn", { value = pub.attr_arn })
    assert.same({
      Resources = {
        Public = {
          Type = "AWS::ECR::PublicRepository",
          Properties = {
            RepositoryCatalogData = {
              RepositoryDescription = "A public image",
              Architectures = { "x86-64", "ARM 64" },
              OperatingSystems = { "Linux" },
              AboutText = "# About",
              UsageText = "docker pull public.ecr.aws/example/my-public-image",
            },
            RepositoryName = "my-public-image",
            RepositoryPolicyText = {
              Version = "2012-10-17",
              Statement = { {
                Sid = "AllowPush",
                Effect = "Allow",
                Principal = { AWS = "arn:aws:iam::123456789012:role/publisher" },
                Action = { "ecr-public:PutImage", "ecr-public:UploadLayerPart" },
              } },
            },
            Tags = { { Key = "visibility", Value = "public" } },
          },
        },
        Bare = { Type = "AWS::ECR::PublicRepository" },
      },
      Outputs = { Arn = { Value = { ["Fn::GetAtt"] = { "Public", "Arn" } } } },
    }, stack:to_json())
  end)

  it("attributes and refs of L1s without properties, and attributes inside strings", function()
    local r = ecr.CfnRepository(stack, "Repo")
    local repl = ecr.CfnReplicationConfiguration(stack, "Repl", { replication_configuration = { rules = {} } })
    local pol = ecr.CfnRegistryPolicy(stack, "Pol", { policy_text = {} })
    local pub = ecr.CfnPublicRepository(stack, "Pub")
    cdk.CfnOutput(stack, "RepoRef", { value = r.ref })
    cdk.CfnOutput(stack, "RepoArn", { value = r.attr_arn })
    cdk.CfnOutput(stack, "RepoUri", { value = r.attr_repository_uri })
    cdk.CfnOutput(stack, "ReplRegistry", { value = repl.attr_registry_id })
    cdk.CfnOutput(stack, "ReplRef", { value = repl.ref })
    cdk.CfnOutput(stack, "PolRegistry", { value = pol.attr_registry_id })
    cdk.CfnOutput(stack, "PubArn", { value = pub.attr_arn })
    cdk.CfnOutput(stack, "PubRef", { value = pub.ref })
    cdk.CfnOutput(stack, "Joined", { value = "uri=" .. r.attr_repository_uri })
    assert.same({
      Resources = {
        Repo = { Type = "AWS::ECR::Repository" },
        Repl = {
          Type = "AWS::ECR::ReplicationConfiguration",
          Properties = { ReplicationConfiguration = { Rules = {} } },
        },
        Pol = { Type = "AWS::ECR::RegistryPolicy", Properties = { PolicyText = {} } },
        Pub = { Type = "AWS::ECR::PublicRepository" },
      },
      Outputs = {
        RepoRef = { Value = { Ref = "Repo" } },
        RepoArn = { Value = { ["Fn::GetAtt"] = { "Repo", "Arn" } } },
        RepoUri = { Value = { ["Fn::GetAtt"] = { "Repo", "RepositoryUri" } } },
        ReplRegistry = { Value = { ["Fn::GetAtt"] = { "Repl", "RegistryId" } } },
        ReplRef = { Value = { Ref = "Repl" } },
        PolRegistry = { Value = { ["Fn::GetAtt"] = { "Pol", "RegistryId" } } },
        PubArn = { Value = { ["Fn::GetAtt"] = { "Pub", "Arn" } } },
        PubRef = { Value = { Ref = "Pub" } },
        Joined = { Value = { ["Fn::Join"] = { "", { "uri=", { ["Fn::GetAtt"] = { "Repo", "RepositoryUri" } } } } } },
      },
    }, stack:to_json())
  end)

  it("tags: the tags prop and cdk.Tags merge, sorted by key, on taggable L1s only", function()
    -- given
    local r = ecr.CfnRepository(stack, "Repo", {
      tags = { { key = "b", value = "from-props" }, { key = "z", value = "last" } },
    })
    ecr.CfnPublicRepository(stack, "Pub", { tags = { { key = "visibility", value = "public" } } })
    ecr.CfnRegistryPolicy(stack, "Pol", { policy_text = { Version = "2012-10-17" } })
    ecr.CfnPullThroughCacheRule(stack, "Cache", { ecr_repository_prefix = "p", upstream_registry_url = "public.ecr.aws" })
    ecr.CfnReplicationConfiguration(stack, "Repl", {
      replication_configuration = { rules = { { destinations = { { region = "us-west-2", registry_id = "123456789012" } } } } },
    })
    -- when
    cdk.Tags.of(r):add("a", "from-aspect")
    cdk.Tags.of(stack):add("b", "from-stack")
    -- then
    assert.same({
      Resources = {
        Repo = {
          Type = "AWS::ECR::Repository",
          Properties = {
            Tags = {
              { Key = "a", Value = "from-aspect" },
              { Key = "b", Value = "from-stack" },
              { Key = "z", Value = "last" },
            },
          },
        },
        Pub = {
          Type = "AWS::ECR::PublicRepository",
          Properties = { Tags = { { Key = "b", Value = "from-stack" }, { Key = "visibility", Value = "public" } } },
        },
        Pol = { Type = "AWS::ECR::RegistryPolicy", Properties = { PolicyText = { Version = "2012-10-17" } } },
        Cache = {
          Type = "AWS::ECR::PullThroughCacheRule",
          Properties = { EcrRepositoryPrefix = "p", UpstreamRegistryUrl = "public.ecr.aws" },
        },
        Repl = {
          Type = "AWS::ECR::ReplicationConfiguration",
          Properties = {
            ReplicationConfiguration = {
              Rules = { { Destinations = { { Region = "us-west-2", RegistryId = "123456789012" } } } },
            },
          },
        },
      },
    }, stack:to_json())
  end)

  describe("bad input", function()
    it("names the argument and the field of a wrong type, however deep", function()
      assert.equal("bad argument #3 to 'CfnRepository' (field 'repository_name': string expected, got number)",
        error_of(function() ecr.CfnRepository(stack, "R", { repository_name = 5 }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'image_scanning_configuration.scan_on_push': boolean expected, got string)",
        error_of(function() ecr.CfnRepository(stack, "R", { image_scanning_configuration = { scan_on_push = "yes" } }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'image_scanning_configuration': table expected, got boolean)",
        error_of(function() ecr.CfnRepository(stack, "R", { image_scanning_configuration = true }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'lifecycle_policy.lifecycle_policy_text': string expected, got table)",
        error_of(function() ecr.CfnRepository(stack, "R", { lifecycle_policy = { lifecycle_policy_text = {} } }) end))
      assert.equal("bad argument #3 to 'CfnReplicationConfiguration' (field 'replication_configuration.rules[1].destinations[2].region': string expected, got number)",
        error_of(function()
          ecr.CfnReplicationConfiguration(stack, "R", { replication_configuration = { rules = { { destinations = {
            { region = "a", registry_id = "b" }, { region = 5, registry_id = "c" } } } } } })
        end))
      assert.equal("bad argument #3 to 'CfnPullThroughCacheRule' (field 'ecr_repository_prefix': string expected, got boolean)",
        error_of(function() ecr.CfnPullThroughCacheRule(stack, "R", { ecr_repository_prefix = true }) end))
    end)

    it("refuses a free-form (Json) property that is not a table, as CDK's validateObject does", function()
      assert.equal("bad argument #3 to 'CfnPublicRepository' (field 'repository_catalog_data': table expected, got string)",
        error_of(function() ecr.CfnPublicRepository(stack, "P", { repository_catalog_data = "x" }) end))
      assert.equal("bad argument #3 to 'CfnRegistryPolicy' (field 'policy_text': table expected, got number)",
        error_of(function() ecr.CfnRegistryPolicy(stack, "P", { policy_text = 5 }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'repository_policy_text': table expected, got boolean)",
        error_of(function() ecr.CfnRepository(stack, "P", { repository_policy_text = true }) end))
    end)

    it("refuses lists that are not sequences and tags of the wrong shape", function()
      assert.equal("bad argument #3 to 'CfnRepository' (field 'tags': list expected, got table)",
        error_of(function() ecr.CfnRepository(stack, "R", { tags = { key = "a", value = "b" } }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'tags[1].value': string expected, got number)",
        error_of(function() ecr.CfnRepository(stack, "R", { tags = { { key = "a", value = 1 } } }) end))
    end)

    it("refuses unknown properties, at the top and nested", function()
      assert.equal("bad argument #3 to 'CfnRepository' (unknown property 'repository_nam')",
        error_of(function() ecr.CfnRepository(stack, "R", { repository_nam = "x" }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'image_scanning_configuration': unknown property 'scan_onpush')",
        error_of(function() ecr.CfnRepository(stack, "R", { image_scanning_configuration = { scan_onpush = true } }) end))
      assert.equal("bad argument #3 to 'CfnRepository' (unknown property '1')",
        error_of(function() ecr.CfnRepository(stack, "R", { "x" }) end))
      -- CloudFormation's own names are not property names in Lua
      assert.equal("bad argument #3 to 'CfnRepository' (unknown property 'RepositoryName')",
        error_of(function() ecr.CfnRepository(stack, "R", { RepositoryName = "x" }) end))
    end)

    it("refuses missing required properties, at the top and nested", function()
      assert.equal("bad argument #3 to 'CfnRegistryPolicy' (missing required property 'policy_text')",
        error_of(function() ecr.CfnRegistryPolicy(stack, "P") end))
      assert.equal("bad argument #3 to 'CfnRegistryPolicy' (missing required property 'policy_text')",
        error_of(function() ecr.CfnRegistryPolicy(stack, "P", {}) end))
      assert.equal("bad argument #3 to 'CfnReplicationConfiguration' (missing required property 'replication_configuration')",
        error_of(function() ecr.CfnReplicationConfiguration(stack, "R", {}) end))
      assert.equal("bad argument #3 to 'CfnReplicationConfiguration' (field 'replication_configuration': missing required property 'rules')",
        error_of(function() ecr.CfnReplicationConfiguration(stack, "R", { replication_configuration = {} }) end))
      assert.equal("bad argument #3 to 'CfnReplicationConfiguration' (field 'replication_configuration.rules[1]': missing required property 'destinations')",
        error_of(function() ecr.CfnReplicationConfiguration(stack, "R", { replication_configuration = { rules = { {} } } }) end))
      assert.equal("bad argument #3 to 'CfnReplicationConfiguration' (field 'replication_configuration.rules[1].destinations[1]': missing required property 'registry_id')",
        error_of(function()
          ecr.CfnReplicationConfiguration(stack, "R", { replication_configuration = { rules = { { destinations = { { region = "a" } } } } } })
        end))
      assert.equal("bad argument #3 to 'CfnRepository' (field 'encryption_configuration': missing required property 'encryption_type')",
        error_of(function() ecr.CfnRepository(stack, "R", { encryption_configuration = { kms_key = "k" } }) end))
    end)

    it("checks the scope, the id and the props table", function()
      assert.equal("bad argument #1 to 'CfnRepository' (scope (an App or a construct) expected, got string)",
        error_of(function() ecr.CfnRepository("s", "R") end))
      assert.equal("bad argument #2 to 'CfnRepository' (string expected, got number)",
        error_of(function() ecr.CfnRepository(stack, 5) end))
      assert.equal("bad argument #3 to 'CfnRepository' (table expected, got string)",
        error_of(function() ecr.CfnRepository(stack, "R", "x") end))
    end)

    it("adds nothing to the stack when it refuses", function()
      error_of(function() ecr.CfnRepository(stack, "Repo", { repository_name = 5 }) end)
      ecr.CfnRepository(stack, "Repo")
      assert.same({ Resources = { Repo = { Type = "AWS::ECR::Repository" } } }, stack:to_json())
    end)
  end)
end)
