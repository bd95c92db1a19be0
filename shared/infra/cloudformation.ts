/**
 * The CloudFormation vocabulary the stack modules share: a template resource, an IAM policy
 * statement, the intrinsic functions (Ref, Fn::GetAtt, Fn::Sub), the Serverless Framework's logical
 * ids for a function and its role, and the TLS-only statement every resource policy ends with.
 */

/** Any value of a template (a literal or an intrinsic function). */
export type Json = unknown;

/** A resource of a CloudFormation template. */
export type Resource = {
  Type: string;
  Properties?: Record<string, Json>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
};

/** A statement of a function role's IAM policy (serverless-iam-roles-per-function's `iamRoleStatements`). */
export interface IamStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: Json[];
  Condition?: Record<string, Json>;
}

/** `Ref`: a resource's reference value (a queue's URL, a topic's ARN, a function's name) or a parameter's value. */
export const ref = (logicalId: string) => ({ Ref: logicalId });
/** `Fn::GetAtt`: an attribute of a resource. */
export const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
/** The ARN of a resource of the template. */
export const arnOf = (logicalId: string) => getAtt(logicalId, 'Arn');
/** `Fn::Sub`: a string with `${…}` references to pseudo parameters and resources. */
export const sub = (text: string) => ({ 'Fn::Sub': text });

/** `image` → `Image`: how the Serverless Framework turns a function name into a logical id prefix. */
export const capitalized = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
/** The logical id the framework gives a function: `image` is `ImageLambdaFunction`. */
export const functionLogicalId = (name: string) => `${capitalized(name)}LambdaFunction`;
/** The logical id serverless-iam-roles-per-function gives a function's role: `ImageIamRoleLambdaExecution`. */
export const roleLogicalId = (name: string) => `${capitalized(name)}IamRoleLambdaExecution`;

/** A resource-policy statement refusing any request not made over TLS. */
export function denyInsecureTransport(actions: string, resource: Json): Record<string, Json> {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: actions,
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
