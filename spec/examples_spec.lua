-- The runnable examples (examples/*.lua): each runs as a script (`lua5.4 examples/NAME.lua`,
-- CDK_OUTDIR choosing the assembly's folder) and writes the templates the AWS CDK v1 (1.204.0)
-- writes for the same program; the README's app byte for byte.
local helpers = require "support.helpers"

local dirs = {}

-- Runs examples/NAME.lua in a new interpreter, its assembly in a temporary folder; returns the
-- templates ({ names = {...}, [name] = template }) and the folder.
local function run(name)
  local dir = helpers.tmppath(".out")
  dirs[#dirs + 1] = dir
  local script = helpers.abs_path("examples/" .. name .. ".lua")
  local ok, out = helpers.run_lua(("dofile(%q)"):format(script), { CDK_OUTDIR = dir })
  assert(ok, out)
  assert.equal("", out)
  return helpers.templates(dir), dir
end

describe("examples", function()
  after_each(function()
    for _, d in ipairs(dirs) do helpers.rmtree(d) end
    dirs = {}
  end)

  it("readme.lua: the README's app, byte for byte as CDK writes it", function()
    local templates, dir = run("readme")
    assert.same({ "Images" }, templates.names)
    assert.equal([[
{
 "Resources": {
  "Repository22E53BBD": {
   "Type": "AWS::ECR::Repository",
   "Properties": {
    "ImageScanningConfiguration": {
     "ScanOnPush": true
    },
    "LifecyclePolicy": {
     "LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"],\"countType\":\"imageCountMoreThan\",\"countNumber\":9999},\"action\":{\"type\":\"expire\"}},{\"rulePriority\":2,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"sinceImagePushed\",\"countNumber\":30,\"countUnit\":\"days\"},\"action\":{\"type\":\"expire\"}}]}"
    }
   },
   "UpdateReplacePolicy": "Retain",
   "DeletionPolicy": "Retain"
  },
  "CiUser0C9BC928": {
   "Type": "AWS::IAM::User"
  },
  "CiUserDefaultPolicy433882B0": {
   "Type": "AWS::IAM::Policy",
   "Properties": {
    "PolicyDocument": {
     "Statement": [
      {
       "Action": "ecr:GetAuthorizationToken",
       "Effect": "Allow",
       "Resource": "*"
      },
      {
       "Action": [
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage"
       ],
       "Effect": "Allow",
       "Resource": {
        "Fn::GetAtt": [
         "Repository22E53BBD",
         "Arn"
        ]
       }
      },
      {
       "Action": [
        "ecr:PutImage",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload"
       ],
       "Effect": "Allow",
       "Resource": {
        "Fn::GetAtt": [
         "Repository22E53BBD",
         "Arn"
        ]
       }
      }
     ],
     "Version": "2012-10-17"
    },
    "PolicyName": "CiUserDefaultPolicy433882B0",
    "Users": [
     {
      "Ref": "CiUser0C9BC928"
     }
    ]
   }
  }
 },
 "Outputs": {
  "RepositoryUri": {
   "Value": {
    "Fn::Join": [
     "",
     [
      {
       "Fn::Select": [
        4,
        {
         "Fn::Split": [
          ":",
          {
           "Fn::GetAtt": [
            "Repository22E53BBD",
            "Arn"
           ]
          }
         ]
        }
       ]
      },
      ".dkr.ecr.",
      {
       "Fn::Select": [
        3,
        {
         "Fn::Split": [
          ":",
          {
           "Fn::GetAtt": [
            "Repository22E53BBD",
            "Arn"
           ]
          }
         ]
        }
       ]
      },
      ".",
      {
       "Ref": "AWS::URLSuffix"
      },
      "/",
      {
       "Ref": "Repository22E53BBD"
      }
     ]
    ]
   }
  }
 }
}]], helpers.read(dir .. "/Images.template.json"))
  end)

  it("imports.lua: imported repositories and their URIs", function()
    local templates = run("imports")
    assert.same({ "Imports" }, templates.names)
    assert.same({
      Outputs = {
        WebUri = {
          Value = {
            ["Fn::Join"] = {
              "",
              { "123456789012.dkr.ecr.eu-west-1.", { Ref = "AWS::URLSuffix" }, "/team/web:v1.2.3" },
            },
          },
        },
        SharedUri = {
          Value = {
            ["Fn::Join"] = {
              "",
              {
                "210987654321.dkr.ecr.us-west-2.",
                { Ref = "AWS::URLSuffix" },
                "/base/python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
              },
            },
          },
        },
        ExportedUri = {
          Value = {
            ["Fn::Join"] = {
              "",
              {
                {
                  ["Fn::Select"] = {
                    4,
                    { ["Fn::Split"] = { ":", { ["Fn::ImportValue"] = "ImagesRepositoryArn" } } },
                  },
                },
                ".dkr.ecr.",
                {
                  ["Fn::Select"] = {
                    3,
                    { ["Fn::Split"] = { ":", { ["Fn::ImportValue"] = "ImagesRepositoryArn" } } },
                  },
                },
                ".",
                { Ref = "AWS::URLSuffix" },
                "/",
                { ["Fn::ImportValue"] = "ImagesRepositoryName" },
              },
            },
          },
        },
        LocalArn = {
          Value = {
            ["Fn::Join"] = {
              "",
              {
                "arn:",
                { Ref = "AWS::Partition" },
                ":ecr:eu-west-1:999988887777:repository/team/api",
              },
            },
          },
        },
      },
    }, templates["Imports"])
  end)

  it("l1.lua: the L1 resources and an override", function()
    local templates = run("l1")
    assert.same({ "Registry" }, templates.names)
    assert.same({
      Resources = {
        Replication = {
          Type = "AWS::ECR::ReplicationConfiguration",
          Properties = {
            ReplicationConfiguration = {
              Rules = {
                {
                  Destinations = { { Region = "us-west-2", RegistryId = "123456789012" } },
                  RepositoryFilters = { { Filter = "prod", FilterType = "PREFIX_MATCH" } },
                },
              },
            },
          },
        },
        PublicCache = {
          Type = "AWS::ECR::PullThroughCacheRule",
          Properties = { EcrRepositoryPrefix = "ecr-public", UpstreamRegistryUrl = "public.ecr.aws" },
        },
        Policy = {
          Type = "AWS::ECR::RegistryPolicy",
          Properties = {
            PolicyText = {
              Statement = {
                {
                  Action = { "ecr:CreateRepository", "ecr:ReplicateImage" },
                  Effect = "Allow",
                  Principal = { AWS = "arn:aws:iam::210987654321:root" },
                  Resource = "arn:aws:ecr:us-west-2:123456789012:repository/*",
                },
              },
              Version = "2012-10-17",
            },
          },
        },
        Public = {
          Type = "AWS::ECR::PublicRepository",
          Properties = {
            RepositoryCatalogData = { AboutText = "Build tools", OperatingSystems = { "Linux" } },
            RepositoryName = "tools",
          },
        },
        Repository22E53BBD = {
          Type = "AWS::ECR::Repository",
          UpdateReplacePolicy = "Retain",
          DeletionPolicy = "Retain",
          Properties = { ImageTagMutability = "IMMUTABLE" },
        },
      },
      Outputs = {
        RegistryId = { Value = { ["Fn::GetAtt"] = { "Policy", "RegistryId" } } },
        PublicArn = { Value = { ["Fn::GetAtt"] = { "Public", "Arn" } } },
        RepositoryUri = { Value = { ["Fn::GetAtt"] = { "Repository22E53BBD", "RepositoryUri" } } },
      },
    }, templates["Registry"])
  end)

  it("tags_removal.lua: tags and removal policies", function()
    local templates = run("tags_removal")
    assert.same({ "Scratch" }, templates.names)
    assert.same({
      Resources = {
        Kept118DB03B = {
          Type = "AWS::ECR::Repository",
          Properties = {
            RepositoryName = "demo/kept",
            Tags = { { Key = "owner", Value = "platform" }, { Key = "retention", Value = "forever" } },
          },
          UpdateReplacePolicy = "Retain",
          DeletionPolicy = "Retain",
        },
        Temporary53C56612 = {
          Type = "AWS::ECR::Repository",
          Properties = { RepositoryName = "demo/temporary", Tags = { { Key = "owner", Value = "platform" } } },
          UpdateReplacePolicy = "Delete",
          DeletionPolicy = "Delete",
        },
        LaterC575820C = {
          Type = "AWS::ECR::Repository",
          UpdateReplacePolicy = "Delete",
          DeletionPolicy = "Delete",
        },
      },
    }, templates["Scratch"])
  end)
end)
