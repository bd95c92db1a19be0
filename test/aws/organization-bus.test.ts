/**
 * The organization bus is closed: AWS events come only from the member template's forwarder roles
 * in the organization's accounts, and events of other sources (Falco) only from the principals the
 * settings name.
 */
import { ALL_CONTROLS } from '../../shared/core/controls';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/settings/settings';
import { pathText, validateSettings } from '../../shared/core/settings/validate-settings';
import { customEventSources } from '../../shared/infra/event-rules';
import { buildMemberTemplate } from '../../shared/infra/member-template';
import { controlsByArea } from '../../shared/infra/serverless-config';
import { buildStack } from '../../shared/infra/stack';

// biome-ignore lint/suspicious/noExplicitAny: the template is walked as untyped JSON.
type Json = any;

const FALCO_PUBLISHER = 'arn:aws:iam::111122223333:role/falcosidekick';

function busPolicies(settings: Settings): Json[] {
  const { resources } = buildStack({ controlsByArea: controlsByArea(), settings });
  return Object.values(resources.Resources)
    .filter((resource) => resource.Type === 'AWS::Events::EventBusPolicy')
    .map((resource) => resource.Properties);
}

/** IAM's StringLike/ArnLike: `*` any run of characters, `?` one. */
const like = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);
const inPartition = (value: Json) => String(value['Fn::Sub'] ?? value).replace('${AWS::Partition}', 'aws');

describe('organization bus policy', () => {
  it('admits PutEvents of AWS events from the forwarder roles of the organization’s accounts only', () => {
    const policies = busPolicies({ ...DEFAULT_SETTINGS });
    expect(policies).toHaveLength(1);
    const [{ Statement: statement, EventBusName }] = policies;
    expect(EventBusName).toEqual({ Ref: 'OrganizationEventBus' });
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents' });
    expect(Object.keys(statement.Condition).sort()).toEqual(['ArnLike', 'StringEquals', 'StringLike']);
    expect(statement.Condition.StringEquals).toEqual({ 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } });

    const principal = inPartition(statement.Condition.ArnLike['aws:PrincipalArn']);
    expect(like(principal, 'arn:aws:iam::444455556666:role/trailwarden-event-forwarder-eu-west-1')).toBe(true);
    expect(like(principal, 'arn:aws:iam::444455556666:role/Admin')).toBe(false);
    expect(like(principal, 'arn:aws:iam::444455556666:user/trailwarden-event-forwarder-x')).toBe(false);

    const source = statement.Condition.StringLike['events:source'];
    expect(like(source, 'aws.ec2')).toBe(true);
    expect(like(source, 'falco.org')).toBe(false);
    expect(like(source, 'custom.aws.ec2')).toBe(false);
  });

  it('names the member template’s role: the pattern admits the role the template creates, in any region', () => {
    const { RoleName } = (buildMemberTemplate(controlsByArea()) as Json).Resources.ForwarderRole.Properties;
    const [{ Statement: statement }] = busPolicies({ ...DEFAULT_SETTINGS });
    const roleArn = `arn:aws:iam::444455556666:role/${String(RoleName['Fn::Sub']).replace('${AWS::Region}', 'ap-southeast-4')}`;
    expect(like(inPartition(statement.Condition.ArnLike['aws:PrincipalArn']), roleArn)).toBe(true);
  });

  it('admits the allow-listed publishers, only when the settings name some, for the non-AWS sources the controls read', () => {
    expect(customEventSources(ALL_CONTROLS)).toEqual(['falco*']);
    expect(JSON.stringify(busPolicies({ ...DEFAULT_SETTINGS }))).not.toContain('arn:aws:iam::111122223333');

    const policies = busPolicies({ ...DEFAULT_SETTINGS, customEventPublishers: [FALCO_PUBLISHER] });
    expect(policies).toHaveLength(2);
    const custom = policies.find((policy) => JSON.stringify(policy).includes(FALCO_PUBLISHER));
    expect(custom.Statement).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents' });
    expect(custom.Statement.Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': [FALCO_PUBLISHER] },
      StringLike: { 'events:source': ['falco*'] },
    });
    const forwarders = policies.find((policy) => policy !== custom);
    expect(JSON.stringify(forwarders)).not.toContain(FALCO_PUBLISHER);
    expect(like('falco*', 'falco.org')).toBe(true);
    expect(like('falco*', 'aws.ec2')).toBe(false);
  });
});

describe('customEventPublishers setting', () => {
  const known = new Set(ALL_CONTROLS.map((control) => control.id));

  it('defaults to none and accepts IAM role and user ARNs', () => {
    expect(DEFAULT_SETTINGS.customEventPublishers).toEqual([]);
    const publishers = [FALCO_PUBLISHER, 'arn:aws:iam::111122223333:user/ci/publisher', 'arn:aws-us-gov:iam::111122223333:role/path/x'];
    const { settings, issues } = validateSettings({ customEventPublishers: publishers }, known);
    expect(issues).toEqual([]);
    expect(settings?.customEventPublishers).toEqual(publishers);
  });

  it('refuses what is not an IAM role or user ARN, naming the key path', () => {
    const { settings, issues } = validateSettings(
      {
        customEventPublishers: [
          FALCO_PUBLISHER,
          'falcosidekick',
          'arn:aws:iam::111122223333:role/*',
          'arn:aws:sts::111122223333:assumed-role/x/y',
          '111122223333',
        ],
      },
      known,
    );
    expect(settings).toBeUndefined();
    expect(issues.map((issue) => pathText(issue.path))).toEqual([
      'customEventPublishers[1]',
      'customEventPublishers[2]',
      'customEventPublishers[3]',
      'customEventPublishers[4]',
    ]);
    expect(issues[0]?.message).toMatch(/expected an IAM role or user ARN/);
    expect(validateSettings({ customEventPublishers: FALCO_PUBLISHER }, known).issues.map((issue) => pathText(issue.path))).toEqual([
      'customEventPublishers',
    ]);
  });
});
