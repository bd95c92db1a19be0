import {
  IAM_ROLE_TYPE,
  IAM_USER_TYPE,
  accessKeyLabel,
  callerArnOf,
  callerEvidenceOf,
  callerOf,
  madeByCloudFormation,
  principalOf,
} from '../../shared/core/kernel/principals';
import { ACCOUNT_RESOURCE_TYPE } from '../../shared/core/kernel/records';
import { cloudTrailEvent } from './events';

const ROLE_SESSION = 'arn:aws:sts::111122223333:assumed-role/deploy/ci-42';

describe('principalOf', () => {
  it('names the caller by ARN, else by identity type, else as unknown', () => {
    expect(principalOf(cloudTrailEvent({ userIdentity: { type: 'AssumedRole', arn: ROLE_SESSION } }))).toBe(ROLE_SESSION);
    expect(principalOf(cloudTrailEvent({ userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' } }))).toBe('AWSService');
    expect(principalOf(cloudTrailEvent({}))).toBe('an unknown principal');
    expect(principalOf(cloudTrailEvent({ userIdentity: { arn: 42 } }))).toBe('an unknown principal');
  });
});

describe('callerArnOf and callerEvidenceOf', () => {
  it('give the ARN and the type, null where the record has none or not a string', () => {
    expect(callerArnOf(cloudTrailEvent({ userIdentity: { arn: ROLE_SESSION } }))).toBe(ROLE_SESSION);
    expect(callerArnOf(cloudTrailEvent({ userIdentity: null }))).toBeUndefined();
    expect(callerEvidenceOf(cloudTrailEvent({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } }))).toEqual({
      type: 'Root',
      arn: 'arn:aws:iam::111122223333:root',
    });
    expect(callerEvidenceOf(cloudTrailEvent({}))).toEqual({ type: null, arn: null });
    expect(callerEvidenceOf(cloudTrailEvent({ userIdentity: { type: 1, arn: {} } }))).toEqual({ type: null, arn: null });
  });

  it('list type before arn, as evidence has always shown it', () => {
    expect(Object.keys(callerEvidenceOf(cloudTrailEvent({})))).toEqual(['type', 'arn']);
  });
});

describe('callerOf', () => {
  it('names an IAM user by userName, else by the name in its ARN (paths dropped)', () => {
    expect(
      callerOf(cloudTrailEvent({ userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' } })),
    ).toEqual({
      kind: 'iam-user',
      resourceId: 'alice',
      resourceType: IAM_USER_TYPE,
      arn: 'arn:aws:iam::111122223333:user/alice',
      type: 'IAMUser',
    });
    expect(
      callerOf(cloudTrailEvent({ userIdentity: { type: 'IAMUser', arn: 'arn:aws-cn:iam::111122223333:user/ops/bob' } }))?.resourceId,
    ).toBe('bob');
  });

  it('names an assumed-role session by its role, with the session name', () => {
    const issuer = { type: 'Role', userName: 'deploy', arn: 'arn:aws:iam::111122223333:role/deploy' };
    expect(
      callerOf(cloudTrailEvent({ userIdentity: { type: 'AssumedRole', arn: ROLE_SESSION, sessionContext: { sessionIssuer: issuer } } })),
    ).toEqual({
      kind: 'role',
      resourceId: 'deploy',
      resourceType: IAM_ROLE_TYPE,
      session: 'ci-42',
      arn: ROLE_SESSION,
      type: 'AssumedRole',
    });
  });

  it('reads the role from the session ARN when no role issuer is named, in GovCloud too', () => {
    const arn = 'arn:aws-us-gov:sts::111122223333:assumed-role/reader/i-0abc';
    const caller = callerOf(cloudTrailEvent({ userIdentity: { type: 'AssumedRole', arn } }));
    expect(caller).toMatchObject({ kind: 'role', resourceId: 'reader', session: 'i-0abc' });
  });

  it('puts an assumed role it cannot name on the account', () => {
    const account = { resourceId: '111122223333', resourceType: ACCOUNT_RESOURCE_TYPE, kind: 'other' };
    expect(
      callerOf(cloudTrailEvent({ userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role' } } } })),
    ).toMatchObject(account);
    expect(
      callerOf(cloudTrailEvent({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::ACCOUNT:assumed-role/r/s' } })),
    ).toMatchObject(account);
  });

  it('names a federated session by the IAM user that federated it', () => {
    const identity = {
      type: 'FederatedUser',
      arn: 'arn:aws:sts::111122223333:federated-user/bob',
      sessionContext: { sessionIssuer: { type: 'IAMUser', userName: 'broker' } },
    };
    expect(callerOf(cloudTrailEvent({ userIdentity: identity }))).toMatchObject({
      kind: 'federated-user',
      resourceId: 'broker',
      resourceType: IAM_USER_TYPE,
    });
  });

  it('puts the root user, AWS services and unknown identities on the account', () => {
    expect(callerOf(cloudTrailEvent({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } }))).toMatchObject({
      kind: 'root',
      resourceId: '111122223333',
      resourceType: ACCOUNT_RESOURCE_TYPE,
    });
    expect(callerOf(cloudTrailEvent({ userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' } }))).toMatchObject({
      kind: 'other',
      resourceId: '111122223333',
    });
    expect(callerOf(cloudTrailEvent({ userIdentity: { type: 'IAMUser' } }))).toMatchObject({ kind: 'other' });
  });

  it('gives undefined for a record without userIdentity', () => {
    expect(callerOf(cloudTrailEvent({}))).toBeUndefined();
    expect(callerOf(cloudTrailEvent({ userIdentity: null }))).toBeUndefined();
  });
});

describe('madeByCloudFormation', () => {
  it('recognizes CloudFormation by invokedBy or by its source address', () => {
    expect(madeByCloudFormation(cloudTrailEvent({ userIdentity: { invokedBy: 'cloudformation.amazonaws.com' } }))).toBe(true);
    expect(madeByCloudFormation(cloudTrailEvent({ sourceIPAddress: 'cloudformation.amazonaws.com' }))).toBe(true);
    expect(
      madeByCloudFormation(cloudTrailEvent({ userIdentity: { invokedBy: 'signin.amazonaws.com' }, sourceIPAddress: '203.0.113.9' })),
    ).toBe(false);
    expect(madeByCloudFormation(cloudTrailEvent({}))).toBe(false);
  });
});

describe('accessKeyLabel', () => {
  it('shows only the last four characters', () => {
    expect(accessKeyLabel('AKIAIOSFODNN7EXAMPLE')).toBe('ending in MPLE');
    expect(accessKeyLabel('ab')).toBe('ending in ab');
  });
});
