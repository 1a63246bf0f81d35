-- spec/support/kms.lua: the pieces of KMS templates the AWS CDK v1 (1.204.0) writes again and
-- again (the legacy key policy, account-root principals, key and alias resources), so that the
-- KMS specs can state whole templates briefly.
local M = {}

-- The admin actions (aws-kms/lib/private/perms.ts) and the legacy default policy's actions.
M.ADMIN_ACTIONS = {
  "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
  "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
}
M.LEGACY_ACTIONS = {
  "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
  "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
  "kms:GenerateDataKey", "kms:TagResource", "kms:UntagResource",
}
M.ENCRYPT = { "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*" }
M.ENCRYPT_DECRYPT = { "kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*" }

function M.getatt(id, attr)
  return { ["Fn::GetAtt"] = { id, attr or "Arn" } }
end

-- arn:${Partition}:iam::ACCOUNT:root, the account being the stack's (nil) or a literal.
function M.account_root(account)
  if account then
    return { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":iam::" .. account .. ":root" } } }
  end
  return { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":iam::", { Ref = "AWS::AccountId" }, ":root" } } }
end

-- An Allow statement as CDK renders it (one action or resource becomes a string).
function M.statement(actions, principal, resource)
  if type(actions) == "table" and #actions == 1 then actions = actions[1] end
  return { Action = actions, Effect = "Allow", Principal = principal, Resource = resource or "*" }
end

-- The default policy statement of a key without the defaultKeyPolicies flag.
function M.legacy_statement()
  return M.statement(M.LEGACY_ACTIONS, { AWS = M.account_root() })
end

-- The statement of the defaultKeyPolicies flag and trust_account_identities.
function M.trust_statement()
  return M.statement("kms:*", { AWS = M.account_root() })
end

function M.policy(statements)
  return { Statement = statements, Version = "2012-10-17" }
end

-- An AWS::KMS::Key: KeyPolicy first (the legacy one unless given), then props; Retain unless said.
function M.key(props, removal, policy)
  local p = { KeyPolicy = policy or M.policy({ M.legacy_statement() }) }
  for k, v in pairs(props or {}) do p[k] = v end
  removal = removal or "Retain"
  return { Type = "AWS::KMS::Key", Properties = p, UpdateReplacePolicy = removal, DeletionPolicy = removal }
end

function M.alias(name, target, removal)
  local r = { Type = "AWS::KMS::Alias", Properties = { AliasName = name, TargetKeyId = target } }
  if removal then
    r.UpdateReplacePolicy, r.DeletionPolicy = removal, removal
  end
  return r
end

-- arn:${Partition}:kms:${Region}:${AccountId}:<resource>, as Stack.formatArn writes it.
function M.kms_arn(resource)
  return { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":kms:", { Ref = "AWS::Region" }, ":",
    { Ref = "AWS::AccountId" }, ":" .. resource } } }
end

-- The AWS::IAM::Policy CDK attaches to a role (its DefaultPolicy).
function M.role_policy(logical_id, role_id, statements)
  return {
    Type = "AWS::IAM::Policy",
    Properties = {
      PolicyDocument = M.policy(statements),
      PolicyName = logical_id,
      Roles = { { Ref = role_id } },
    },
  }
end

-- An identity-policy statement (no principal).
function M.allow(actions, resource)
  if type(actions) == "table" and #actions == 1 then actions = actions[1] end
  return { Action = actions, Effect = "Allow", Resource = resource }
end

function M.lambda_role()
  return {
    Type = "AWS::IAM::Role",
    Properties = {
      AssumeRolePolicyDocument = M.policy({
        { Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } },
      }),
    },
  }
end

return M
