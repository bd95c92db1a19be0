'use strict';
/**
 * A local Serverless plugin: once serverless-iam-roles-per-function has given every function its
 * own role (it copies the framework's default role as a template), the default
 * IamRoleLambdaExecution is assumed by nobody. This removes it from the template when nothing
 * references it, so the stack holds no idle role with log permissions. Listed after that plugin,
 * its hook runs after the roles are rewired.
 */
class DropUnusedDefaultRole {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.drop() };
  }

  drop() {
    const naming = this.serverless.providers.aws.naming;
    const roleId = naming.getRoleLogicalId();
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    if (!template.Resources[roleId]) return;
    const { [roleId]: role, ...others } = template.Resources;
    const rest = JSON.stringify({ Resources: others, Outputs: template.Outputs ?? {} });
    const referenced = rest.includes(`"${roleId}"`);
    if (referenced) return;
    delete template.Resources[roleId];
    this.serverless.cli.log(`Removed the unused default role ${roleId}: every function has its own role.`);
  }
}

module.exports = DropUnusedDefaultRole;
