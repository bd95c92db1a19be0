/**
 * Local stand-ins for the AWS services the stack uses, spoken to over HTTP by the real SDK clients:
 * dynalite (DynamoDB) and fauxqs (SNS and SQS), both on 127.0.0.1 and a random port, plus a proxy
 * that makes chosen requests fail the way a service does when it is unavailable.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CreateTopicCommand, SNSClient, SubscribeCommand, type SNSClientConfig } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';

export interface LocalService {
  endpoint: string;
  stop: () => Promise<void>;
}

const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

/**
 * A local server never closes a kept-alive connection for being idle (Node's servers do after 5 s). The SDK's
 * clients keep connections alive and do not know that timeout: a request sent on a connection just as the server
 * closed it failed with ECONNRESET, and the test clients here make one attempt (localDynamoDbClient), so a test
 * failed now and then on a busy machine. `close()` still ends idle connections.
 */
function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 0;
}

export async function startDynalite(): Promise<LocalService> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  keepIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** fauxqs is ESM-only and jest here runs CommonJS (jest can require ESM only on Node ≥ 24.9), so it runs in a worker thread of this process. */
export async function startFauxqs(): Promise<LocalService> {
  const app = pathToFileURL(join(__dirname, '..', '..', 'node_modules', 'fauxqs', 'dist', 'app.js')).href;
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     import(${JSON.stringify(app)})
       .then(async ({ buildApp }) => {
         const app = buildApp({ logger: false });
         const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
         parentPort.on('message', () => app.close().then(() => parentPort.close()));
         parentPort.postMessage({ endpoint });
       })
       .catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));`,
    { eval: true },
  );
  const started = await new Promise<{ endpoint?: string; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!started.endpoint) {
    await worker.terminate();
    throw new Error(`fauxqs did not start: ${started.error}`);
  }
  return {
    endpoint: started.endpoint,
    stop: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * Forwards a request to `target` unchanged and its answer back (502 when the target cannot be
 * reached): the request's body as read already (`body`), or streamed from the request.
 */
export function forwardRequest(target: URL, req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  if (body === undefined) req.pipe(upstream);
  else upstream.end(body);
}

export interface FaultProxy extends LocalService {
  /** Requests answered with a failure so far. */
  failed: () => number;
  /** Decides, per request (method, headers, body), whether to fail it; undefined passes everything. */
  failWhen: ((request: { headers: IncomingMessage['headers']; body: string }) => boolean) | undefined;
}

/**
 * A proxy in front of `target` that answers 503 (the status AWS services give when unavailable,
 * which the SDK retries) to the requests `failWhen` picks, and forwards the rest unchanged.
 */
export async function startFaultProxy(target: string, style: 'json' | 'query'): Promise<FaultProxy> {
  const url = new URL(target);
  let failed = 0;
  const proxy: FaultProxy = { endpoint: '', stop: async () => {}, failed: () => failed, failWhen: undefined };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (proxy.failWhen?.({ headers: req.headers, body: body.toString('utf8') })) {
        failed += 1;
        if (style === 'json') {
          res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(
            JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: 'injected: service unavailable' }),
          );
        } else {
          res.writeHead(503, { 'content-type': 'text/xml' });
          res.end(
            '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>injected: service unavailable</Message></Error><RequestId>r</RequestId></ErrorResponse>',
          );
        }
        return;
      }
      forwardRequest(url, req, res, body);
    });
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}

/** Everything in the queue now (fauxqs enqueues during Publish, so nothing is still on its way). */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

/** Creates an SQS queue and subscribes it to the topic with these subscription attributes (filter policy, raw delivery); returns its URL. */
export async function subscribeQueue(
  clients: { sns: SNSClient; sqs: SQSClient },
  topicArn: string,
  queueName: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl!;
  const queueArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!
    .QueueArn!;
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes }));
  return queueUrl;
}

/** Credentials for the local services (they check none). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface LocalTopic {
  /** fauxqs's address (for a fault proxy in front of it). */
  endpoint: string;
  sns: SNSClient;
  sqs: SQSClient;
  topicArn: string;
  /** Destroys the clients and stops fauxqs. */
  stop: () => Promise<void>;
}

/** fauxqs with one SNS topic, and the real SDK clients speaking to it (`snsConfig`: e.g. retry settings). */
export async function startLocalTopic(name: string, snsConfig: Partial<SNSClientConfig> = {}): Promise<LocalTopic> {
  const fauxqs = await startFauxqs();
  const sns = new SNSClient({ endpoint: fauxqs.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, ...snsConfig });
  const sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
  return {
    endpoint: fauxqs.endpoint,
    sns,
    sqs,
    topicArn,
    stop: async () => {
      sns.destroy();
      sqs.destroy();
      await fauxqs.stop();
    },
  };
}
