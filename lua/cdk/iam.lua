-- cdk.iam: AWS IAM: principals, PolicyStatement and PolicyDocument, Role, User, Group, Policy,
-- ManagedPolicy and Grant, rendered as the AWS CDK v1 renders them.
local core = require "cdk.core"
local util = require "cdk.util"
local class, enum = util.class, util.enum
local iam = core.iam

local M = {}

M.Effect = enum("Effect", { ALLOW = "Allow", DENY = "Deny" })

M.ArnPrincipal = class("ArnPrincipal", iam.ArnPrincipal)
M.AccountPrincipal = class("AccountPrincipal", iam.AccountPrincipal)
M.AccountRootPrincipal = class("AccountRootPrincipal", iam.AccountRootPrincipal)
M.AnyPrincipal = class("AnyPrincipal", iam.AnyPrincipal)
M.Anyone = class("Anyone", iam.AnyPrincipal)
M.StarPrincipal = class("StarPrincipal", iam.StarPrincipal)
M.WebIdentityPrincipal = class("WebIdentityPrincipal", iam.WebIdentityPrincipal)
M.ServicePrincipal = class("ServicePrincipal", iam.ServicePrincipal,
  { service_principal_name = iam.service_principal_name })
M.OrganizationPrincipal = class("OrganizationPrincipal", iam.OrganizationPrincipal)
M.FederatedPrincipal = class("FederatedPrincipal", iam.FederatedPrincipal)
M.CanonicalUserPrincipal = class("CanonicalUserPrincipal", iam.CanonicalUserPrincipal)
M.CompositePrincipal = class("CompositePrincipal", iam.CompositePrincipal)
M.PrincipalWithConditions = class("PrincipalWithConditions", iam.PrincipalWithConditions)

M.PolicyStatement = class("PolicyStatement", iam.PolicyStatement, { from_json = iam.statement_from_json })
M.PolicyDocument = class("PolicyDocument", iam.PolicyDocument, { from_json = iam.document_from_json })

M.Role = class("Role", iam.Role, {
  from_role_arn = iam.role_from_role_arn,
  from_role_name = iam.role_from_role_name,
})
M.User = class("User", iam.User, {
  from_user_name = iam.user_from_user_name,
  from_user_arn = iam.user_from_user_arn,
  from_user_attributes = iam.user_from_user_attributes,
})
M.Group = class("Group", iam.Group, {
  from_group_arn = iam.group_from_group_arn,
  from_group_name = iam.group_from_group_name,
})
M.Policy = class("Policy", iam.Policy, { from_policy_name = iam.policy_from_policy_name })
M.ManagedPolicy = class("ManagedPolicy", iam.ManagedPolicy, {
  from_aws_managed_policy_name = iam.from_aws_managed_policy_name,
  from_managed_policy_arn = iam.from_managed_policy_arn,
  from_managed_policy_name = iam.from_managed_policy_name,
})
M.Grant = {
  add_to_principal = iam.grant_add_to_principal,
  add_to_principal_or_resource = iam.grant_add_to_principal_or_resource,
  add_to_principal_and_resource = iam.grant_add_to_principal_and_resource,
  drop = iam.grant_drop,
}

M.CfnRole = class("CfnRole", iam.CfnRole)
M.CfnPolicy = class("CfnPolicy", iam.CfnPolicy)
M.CfnUser = class("CfnUser", iam.CfnUser)
M.CfnGroup = class("CfnGroup", iam.CfnGroup)
M.CfnManagedPolicy = class("CfnManagedPolicy", iam.CfnManagedPolicy)
M.CfnUserToGroupAddition = class("CfnUserToGroupAddition", iam.CfnUserToGroupAddition)

return M
