import { isSecretName, isSecretValue, maskSecretAssignments } from '../../shared/core/kernel/secrets';

describe('isSecretName', () => {
  it.each([
    'password',
    'DB_PASSWORD',
    'dbPassword',
    'apiKey',
    'API_KEY',
    'clientSecret',
    'sessionToken',
    'private_key',
    'GITHUB_TOKEN',
    'connectionString',
    'DSN',
  ])('says %s names a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'secretArn',
    'secretId',
    'kmsKeyId',
    'passwordResetRequired',
    'passwordReusePrevention',
    'tokenType',
    'mfaAuthenticated',
    'LOG_LEVEL',
    'name',
    '',
  ])('says %s does not (an id, ARN, flag or setting about a secret)', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('answers the same for a name asked again', () => {
    expect(isSecretName('DB_PASSWORD')).toBe(isSecretName('DB_PASSWORD'));
  });
});

describe('isSecretValue', () => {
  it.each([
    ['an AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a temporary access key id', 'ASIAIOSFODNN7EXAMPLE'],
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...'],
    ['a GitHub token', `ghp_${'a1B2'.repeat(9)}`],
    ['a Slack token', 'xoxb-123456789012-abcdefghijkl'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['credentials in a URL', 'postgres://app:s3cret@db.internal:5432/app'],
    ['a secret key inside a longer string', 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY && run'],
  ])('recognizes %s', (_what, value) => {
    expect(isSecretValue(value)).toBe(true);
  });

  it.each([
    ['a git commit sha', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'],
    ['an image digest', 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['an ARN', 'arn:aws:iam::111122223333:role/deployer'],
    ['a CIDR', '0.0.0.0/0'],
    ['a URL without credentials', 'https://example.com/path'],
    ['an empty string', ''],
    ['a 41-character base64 run', `${'Ab1'.repeat(13)}xy`],
  ])('leaves %s alone', (_what, value) => {
    expect(isSecretValue(value)).toBe(false);
  });
});

describe('maskSecretAssignments', () => {
  it.each([
    ['aws-cli/2.15.30 password=hunter2 token=abc', 'aws-cli/2.15.30 password=**** token=****'],
    [
      'X-Amz-Credential=EXAMPLEKEYID1234%2F20250304%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc',
      'X-Amz-Credential=EXAMPLEKEYID1234%2F20250304%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=****',
    ],
    ['Authorization: Bearer abc', 'Authorization: Bearer ****'],
    ['"client_secret": "s"', '"client_secret": "****"'],
  ])('%j → %j', (text, masked) => {
    expect(maskSecretAssignments(text, '****')).toBe(masked);
  });

  it('returns text without a secret form as it is', () => {
    for (const text of [
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:db',
      'nextToken=abc',
      'aws-cli/2.15.30 ua/2.0 cfg/retry-mode#standard',
      '',
    ]) {
      expect(maskSecretAssignments(text, '****')).toBe(text);
    }
  });
});
