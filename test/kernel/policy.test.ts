import {
  accountOfPrincipal,
  conditionsOf,
  deniesInsecureTransport,
  hasRestrictingCondition,
  isAdministratorStatement,
  isPublicAllow,
  parseJsonDocument,
  principalsOf,
  publicStatements,
  statementsOf,
  untrustedAccounts,
} from '../../shared/core/kernel/policy';

const publicRead = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('policy documents', () => {
  it('parse objects, JSON strings and URL-encoded JSON strings (IAM logs them so)', () => {
    const document = { Version: '2012-10-17', Statement: [publicRead] };
    expect(parseJsonDocument(document)).toBe(document);
    expect(parseJsonDocument(JSON.stringify(document))).toEqual(document);
    expect(parseJsonDocument(encodeURIComponent(JSON.stringify(document)))).toEqual(document);
    expect(parseJsonDocument('%7B%22Statement%22%3A%5B%5D%7D')).toEqual({ Statement: [] });
  });

  it('give undefined for what is not JSON, and no statements for a malformed document', () => {
    expect(parseJsonDocument('{not json')).toBeUndefined();
    expect(parseJsonDocument('%E0%A4%A')).toBeUndefined();
    expect(parseJsonDocument(42)).toBeUndefined();
    expect(statementsOf('{not json')).toEqual([]);
    expect(statementsOf({ Statement: 'oops' })).toEqual([]);
    expect(statementsOf(undefined)).toEqual([]);
  });

  it('read a single Statement object and drop what is not a statement', () => {
    expect(statementsOf({ Statement: publicRead })).toEqual([publicRead]);
    expect(statementsOf({ Statement: [publicRead, 'x', null, [1]] })).toEqual([publicRead]);
  });
});

describe('principals', () => {
  it('read "*", {"AWS": "*"} and principal maps', () => {
    expect(principalsOf({ Principal: '*' }).wildcard).toBe(true);
    expect(principalsOf({ Principal: { AWS: ['*', 'arn:aws:iam::444455556666:root'] } })).toEqual({
      wildcard: true,
      aws: ['arn:aws:iam::444455556666:root'],
      service: [],
      federated: [],
      canonicalUser: [],
    });
    expect(principalsOf({ Principal: { Service: 'lambda.amazonaws.com' } }).service).toEqual(['lambda.amazonaws.com']);
    expect(principalsOf({}).wildcard).toBe(false);
  });

  it('find the account of account ids and IAM or STS ARNs in every partition', () => {
    expect(accountOfPrincipal('444455556666')).toBe('444455556666');
    expect(accountOfPrincipal('arn:aws:iam::444455556666:role/x')).toBe('444455556666');
    expect(accountOfPrincipal('arn:aws-cn:iam::444455556666:root')).toBe('444455556666');
    expect(accountOfPrincipal('arn:aws-us-gov:sts::444455556666:assumed-role/r/s')).toBe('444455556666');
    expect(accountOfPrincipal('AROAEXAMPLEID')).toBeUndefined();
    expect(accountOfPrincipal('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('list accounts granted that are neither the owner nor trusted', () => {
    const statement = {
      Effect: 'Allow',
      Principal: {
        AWS: ['arn:aws:iam::111122223333:root', '444455556666', 'arn:aws:iam::777788889999:role/x', 'AIDAEXAMPLE', '444455556666'],
      },
    };
    expect(untrustedAccounts(statement, '111122223333', ['777788889999'])).toEqual(['444455556666']);
    expect(untrustedAccounts({ ...statement, Effect: 'Deny' }, '111122223333', [])).toEqual([]);
  });
});

describe('public statements', () => {
  it('are Allow statements for anyone without a restricting condition', () => {
    expect(isPublicAllow(publicRead)).toBe(true);
    expect(isPublicAllow({ ...publicRead, Effect: 'Deny' })).toBe(false);
    expect(isPublicAllow({ ...publicRead, Principal: { AWS: 'arn:aws:iam::444455556666:root' } })).toBe(false);
    expect(isPublicAllow({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: '*' })).toBe(true);
    expect(publicStatements(JSON.stringify({ Statement: [publicRead] }))).toEqual([publicRead]);
  });

  it('are narrowed by pinned accounts, organizations, ARNs, VPC endpoints and IP ranges', () => {
    const pinned = (Condition: unknown) => hasRestrictingCondition({ ...publicRead, Condition });
    expect(pinned({ StringEquals: { 'aws:SourceAccount': '111122223333' } })).toBe(true);
    expect(pinned({ StringEquals: { 'AWS:PrincipalOrgID': 'o-abc' } })).toBe(true);
    expect(pinned({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:*' } })).toBe(true);
    expect(pinned({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } })).toBe(true);
  });

  it('are not narrowed by negated, IfExists, wildcard or open conditions, nor by sts:ExternalId', () => {
    const pinned = (Condition: unknown) => hasRestrictingCondition({ ...publicRead, Condition });
    expect(pinned({ StringNotEquals: { 'aws:SourceAccount': '111122223333' } })).toBe(false);
    expect(pinned({ StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } })).toBe(false);
    expect(pinned({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })).toBe(false);
    expect(pinned({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } })).toBe(false);
    expect(pinned({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } })).toBe(false);
    expect(pinned({ StringEquals: { 'sts:ExternalId': 'shared' } })).toBe(false);
    expect(pinned('not a condition')).toBe(false);
  });

  it('flatten conditions with lower-cased keys', () => {
    expect(conditionsOf({ Condition: { Bool: { 'aws:SecureTransport': false } } })).toEqual([
      { operator: 'Bool', key: 'aws:securetransport', values: ['false'] },
    ]);
  });
});

describe('administrator and TLS statements', () => {
  it('recognizes Action "*" on Resource "*"', () => {
    expect(isAdministratorStatement({ Effect: 'Allow', Action: '*', Resource: '*' })).toBe(true);
    expect(isAdministratorStatement({ Effect: 'Allow', Action: ['*:*'], Resource: ['*'] })).toBe(true);
    expect(isAdministratorStatement({ Effect: 'Allow', Action: 's3:*', Resource: '*' })).toBe(false);
  });

  it('recognizes a Deny of requests without TLS for everyone', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(deniesInsecureTransport({ Statement: [deny] })).toBe(true);
    expect(deniesInsecureTransport({ Statement: [{ ...deny, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }] })).toBe(false);
    expect(deniesInsecureTransport(undefined)).toBe(false);
  });
});
