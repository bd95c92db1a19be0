/** The findings API behind API Gateway (HTTP API, payload format 2.0, IAM authorization). */
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { apiGatewayHandler } from '../../shared/adapters/lambda/api-gateway';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { apiDepsOf } from '../../shared/app/api/documents';
import type { Application } from '../../shared/app/compose';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { violation } from '../support/observations';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const CALLER = 'arn:aws:sts::111122223333:assumed-role/Auditor/carol';

/** The API function's application: memory storage, the test's clock, and no notifier (it leaves notifications owed). */
function apiApplication(): Application {
  return testApplication({ storage: memoryStorage(), notifier: 'deferred', now: testClock(NOW).now });
}

function event(
  method: string,
  rawPath: string,
  options: { rawQueryString?: string; body?: string; base64?: boolean; iam?: boolean; stage?: string } = {},
): APIGatewayProxyEventV2WithIAMAuthorizer {
  const body = options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body).toString('base64') : options.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: options.rawQueryString ?? '',
    headers: { 'Content-Type': 'application/json', host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'aws-cli/2' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: options.stage ?? '$default',
      time: '10/Mar/2026:12:00:00 +0000',
      timeEpoch: NOW.getTime(),
      authorizer:
        options.iam === false
          ? (undefined as never)
          : {
              iam: {
                accessKey: 'ASIAEXAMPLE',
                accountId: '111122223333',
                callerId: 'AROAEXAMPLE:carol',
                cognitoIdentity: null,
                principalOrgId: 'o-abc123def4',
                userArn: CALLER,
                userId: 'AROAEXAMPLE:carol',
              },
            },
    },
    isBase64Encoded: options.base64 ?? false,
    ...(body !== undefined ? { body } : {}),
  };
}

describe('apiGatewayHandler (payload format 2.0)', () => {
  it('answers the API with IAM as authorization and records the caller as the exemption actor', async () => {
    const app = apiApplication();
    const { findings, exemptions } = app.storage;
    await findings.recordViolation(violation({ eventId: 'e1', eventTime: '2026-03-09T10:00:00.000Z' }));
    const other = violation({ eventId: 'e2', eventTime: '2026-03-09T11:00:00.000Z', resourceId: 'sg-other', account: '444455556666' });
    await findings.recordViolation(other);
    const handler = apiGatewayHandler(() => apiDepsOf(app, { token: 'ignored-in-aws' }));

    const listed = await handler(event('GET', '/api/findings', { rawQueryString: 'account=444455556666&limit=1' }));
    expect(listed.statusCode).toBe(200);
    expect(listed.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(listed.body!).findings.map((f: { resourceId: string }) => f.resourceId)).toEqual(['sg-other']);

    const repeated = await handler(event('GET', '/api/findings', { rawQueryString: 'account=444455556666&account=111122223333' }));
    expect(repeated.statusCode).toBe(400);
    expect(JSON.parse(repeated.body!)).toEqual({ error: 'invalid parameter', parameter: 'account', reason: 'given more than once' });

    const body = JSON.stringify({
      controlId: 'network.security-group-open-to-internet',
      accounts: ['111122223333'],
      resourcePattern: 'sg-0123*',
      reason: 'bastion host until the VPN is in place',
      approver: 'ciso@example.com',
      expiresAt: '2026-04-10T00:00:00Z',
    });
    const created = await handler(event('POST', '/prod/api/exemptions', { body, base64: true, stage: 'prod' }));
    expect(created.statusCode).toBe(201);
    const answer = JSON.parse(created.body!);
    expect(answer).toMatchObject({
      suppressed: 1,
      exemption: { createdBy: CALLER, state: 'active', expiresAt: '2026-04-10T00:00:00.000Z' },
    });
    expect((await exemptions.listAudit()).map((e) => [e.action, e.actor])).toEqual([['created', CALLER]]);

    const deleted = await handler(event('DELETE', `/api/exemptions/${answer.exemption.id}`));
    expect(JSON.parse(deleted.body!)).toMatchObject({ reopened: 1, exemption: { deletedBy: CALLER, state: 'deleted' } });
    expect((await exemptions.listAudit()).map((e) => [e.action, e.actor])).toEqual([
      ['created', CALLER],
      ['deleted', CALLER],
    ]);
  });

  it('refuses a request without an IAM identity, and answers unknown routes and methods', async () => {
    const handler = apiGatewayHandler(apiDepsOf(apiApplication()));
    expect((await handler(event('GET', '/api/summary', { iam: false }))).statusCode).toBe(401);
    expect((await handler(event('GET', '/api/summary'))).statusCode).toBe(200);
    expect((await handler(event('GET', '/api/unknown'))).statusCode).toBe(404);
    expect((await handler(event('PUT', '/api/exemptions'))).statusCode).toBe(405);
    expect((await handler(event('GET', '/'))).statusCode).toBe(404);
  });
});
