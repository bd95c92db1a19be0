import { MASK, maskSecrets } from '../../shared/core/findings/mask';

describe('maskSecrets', () => {
  it('masks values under secret names, keeping the names', () => {
    expect(maskSecrets({ password: 'hunter2', dbPassword: 'x', apiKey: 'k', clientSecret: 's', sessionToken: 't' })).toEqual({
      password: MASK,
      dbPassword: MASK,
      apiKey: MASK,
      clientSecret: MASK,
      sessionToken: MASK,
    });
  });

  it('masks the value of a {name, value} pair whose name is secret (ECS and Lambda environments)', () => {
    expect(
      maskSecrets({
        environment: [
          { name: 'DB_PASSWORD', value: 'p4ss' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
      }),
    ).toEqual({
      environment: [
        { name: 'DB_PASSWORD', value: MASK },
        { name: 'LOG_LEVEL', value: 'info' },
      ],
    });
  });

  it.each([
    ['an AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...'],
    ['a GitHub token', `ghp_${'a1B2'.repeat(9)}`],
    ['a Slack token', 'xoxb-123456789012-abcdefghijkl'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['credentials in a URL', 'postgres://app:s3cret@db.internal:5432/app'],
  ])('masks %s wherever it appears', (_what, value) => {
    expect(maskSecrets({ anything: [{ nested: value }] })).toEqual({ anything: [{ nested: MASK }] });
  });

  it.each([
    ['a git commit sha', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'],
    ['an image digest', 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['an ARN', 'arn:aws:iam::111122223333:role/deployer'],
    ['a CIDR', '0.0.0.0/0'],
  ])('leaves %s alone', (_what, value) => {
    expect(maskSecrets({ field: value })).toEqual({ field: value });
  });

  it('keeps flags, numbers, ids and policies that only mention secrets in their names', () => {
    const input = {
      mfaAuthenticated: 'true',
      passwordReusePrevention: 24,
      allowUsersToChangePassword: true,
      secretId: 'prod/db',
      kmsKeyId: 'alias/app',
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
    };
    expect(maskSecrets(input)).toEqual(input);
  });

  it('does not change its input', () => {
    const input = { password: 'hunter2' };
    maskSecrets(input);
    expect(input.password).toBe('hunter2');
  });
});
