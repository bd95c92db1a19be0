import {
  clusterArnOf,
  clusterNameOf,
  containerNameOf,
  containersOf,
  ecrRegistryAccount,
  hostPathsOf,
  isProductionCluster,
  mountPointsOf,
  parseImageReference,
  registeredTaskDefinitionArn,
  retiredTaskDefinitionArns,
  taskDefinitionArnOf,
  taskDefinitionLabel,
  taskDefinitionRetirement,
} from '../../shared/core/kernel/task-definition';
import { cloudTrailEvent } from './events';

const register = (requestParameters: unknown, responseElements: unknown = null, region = 'eu-west-1') =>
  cloudTrailEvent(
    { eventSource: 'ecs.amazonaws.com', eventName: 'RegisterTaskDefinition', requestParameters, responseElements },
    { source: 'aws.ecs', region },
  );

describe('registered task definitions', () => {
  it('read containers, skipping entries that are not objects, and name unnamed ones by position', () => {
    const event = register({ containerDefinitions: [{ name: 'web', image: 'nginx' }, null, 'x', {}, { image: 'sidecar' }] });
    const containers = containersOf(event);
    expect(containers).toEqual([{ name: 'web', image: 'nginx' }, { image: 'sidecar' }]);
    expect(containerNameOf(containers[1]!, 1)).toBe('container #2');
    expect(containersOf(register(null))).toEqual([]);
  });

  it('read host volumes and mount points', () => {
    const event = register({ volumes: [{ name: 'sock', host: { sourcePath: '/var/run/docker.sock' } }, { name: 'scratch' }, 'junk'] });
    expect([...hostPathsOf(event)]).toEqual([['sock', '/var/run/docker.sock']]);
    expect(mountPointsOf({ mountPoints: [{ sourceVolume: 'sock', containerPath: '/s', readOnly: 'true' }] })).toEqual([
      { sourceVolume: 'sock', containerPath: '/s', readOnly: false },
    ]);
    expect(mountPointsOf({})).toEqual([]);
  });

  it('name the revision by the response ARN, else family and revision in the event partition, else the family', () => {
    const arn = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7';
    expect(registeredTaskDefinitionArn(register({ family: 'web' }, { taskDefinition: { taskDefinitionArn: arn } }))).toBe(arn);
    expect(registeredTaskDefinitionArn(register({ family: 'web' }, { taskDefinition: { revision: 3 } }, 'cn-north-1'))).toBe(
      'arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/web:3',
    );
    expect(registeredTaskDefinitionArn(register({ family: 'web' }))).toBe('web');
    expect(registeredTaskDefinitionArn(register({}))).toBeUndefined();
  });

  it('label revisions as family:revision', () => {
    expect(taskDefinitionLabel('arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7')).toBe('web:7');
    expect(taskDefinitionLabel('web')).toBe('web');
    expect(taskDefinitionArnOf(register({}, null, 'us-gov-west-1'), 'web:2')).toBe(
      'arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/web:2',
    );
  });
});

describe('retired task definitions', () => {
  const retire = (eventName: string, requestParameters: unknown, responseElements: unknown = null) =>
    cloudTrailEvent({ eventSource: 'ecs.amazonaws.com', eventName, requestParameters, responseElements }, { source: 'aws.ecs' });

  it('read DeregisterTaskDefinition from the response, else the request', () => {
    const arn = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7';
    expect(
      retiredTaskDefinitionArns(
        retire('DeregisterTaskDefinition', { taskDefinition: 'web:7' }, { taskDefinition: { taskDefinitionArn: arn } }),
      ),
    ).toEqual([arn]);
    expect(retiredTaskDefinitionArns(retire('DeregisterTaskDefinition', { taskDefinition: 'web:7' }))).toEqual([arn]);
  });

  it('read DeleteTaskDefinitions, leaving out the failures', () => {
    const event = retire(
      'DeleteTaskDefinitions',
      { taskDefinitions: ['web:1', 'web:2'] },
      { failures: [{ arn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:2' }] },
    );
    expect(retiredTaskDefinitionArns(event)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1']);
  });

  it('resolve findings on the revisions they retire', () => {
    const event = retire('DeregisterTaskDefinition', { taskDefinition: 'web:7' });
    expect(taskDefinitionRetirement.resolve(event, { settings: {} as never })).toEqual([
      { resourceId: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7', message: 'Task definition web:7 was deregistered' },
    ]);
  });
});

describe('image references', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27', digest: undefined }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7', digest: undefined }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: undefined, digest: undefined }],
    ['GHCR.io/acme/app@sha256:abc', { registry: 'ghcr.io', repository: 'acme/app', tag: undefined, digest: 'sha256:abc' }],
    [
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:v1@sha256:abc',
      { registry: '111122223333.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app', tag: 'v1', digest: 'sha256:abc' },
    ],
  ])('parses %s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });

  it('finds the account of ECR registries, China and FIPS included', () => {
    expect(ecrRegistryAccount('111122223333.dkr.ecr.eu-west-1.amazonaws.com')).toBe('111122223333');
    expect(ecrRegistryAccount('111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn')).toBe('111122223333');
    expect(ecrRegistryAccount('111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toBe('111122223333');
    expect(ecrRegistryAccount('public.ecr.aws')).toBeUndefined();
    expect(ecrRegistryAccount('docker.io')).toBeUndefined();
  });
});

describe('clusters', () => {
  it('name clusters by ARN or name, and build ARNs for names (default when omitted)', () => {
    expect(clusterNameOf('arn:aws:ecs:eu-west-1:111122223333:cluster/prod')).toBe('prod');
    expect(clusterNameOf('prod')).toBe('prod');
    const event = cloudTrailEvent({}, { region: 'cn-northwest-1' });
    expect(clusterArnOf(event, 'prod')).toBe('arn:aws-cn:ecs:cn-northwest-1:111122223333:cluster/prod');
    expect(clusterArnOf(event, undefined)).toBe('arn:aws-cn:ecs:cn-northwest-1:111122223333:cluster/default');
    expect(clusterArnOf(event, 'arn:aws:ecs:eu-west-1:444455556666:cluster/x')).toBe('arn:aws:ecs:eu-west-1:444455556666:cluster/x');
  });

  it('recognize production clusters listed by name or ARN', () => {
    const production = ['payments', 'arn:aws:ecs:eu-west-1:111122223333:cluster/web'];
    expect(isProductionCluster('arn:aws:ecs:eu-west-1:111122223333:cluster/payments', production)).toBe(true);
    expect(isProductionCluster('web', production)).toBe(true);
    expect(isProductionCluster('staging', production)).toBe(false);
    expect(isProductionCluster(undefined, production)).toBe(false);
    expect(isProductionCluster('web', [])).toBe(false);
  });
});
