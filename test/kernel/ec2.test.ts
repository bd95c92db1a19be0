import { ec2RequestField, ec2ResponseField, itemsOf } from '../../shared/core/kernel/ec2';
import { cloudTrailEvent } from './events';

describe('ec2RequestField', () => {
  it('reads a member of the wrapped request, PascalCase as newer EC2 APIs log it', () => {
    const event = cloudTrailEvent({
      eventName: 'ModifyInstanceMetadataOptions',
      requestParameters: { ModifyInstanceMetadataOptionsRequest: { HttpTokens: 'optional' } },
    });
    expect(ec2RequestField(event, 'httpTokens')).toBe('optional');
    expect(ec2RequestField(event, 'HttpTokens')).toBe('optional');
  });

  it('reads a flat camelCase member, as older APIs log it', () => {
    const event = cloudTrailEvent({
      eventName: 'ModifyInstanceMetadataOptions',
      requestParameters: { httpTokens: 'required', instanceId: 'i-1' },
    });
    expect(ec2RequestField(event, 'HttpTokens')).toBe('required');
    expect(ec2RequestField(event, 'instanceId')).toBe('i-1');
  });

  it('gives undefined when neither form names the member, or there is no request', () => {
    expect(ec2RequestField(cloudTrailEvent({ eventName: 'X', requestParameters: { other: 1 } }), 'HttpTokens')).toBeUndefined();
    expect(ec2RequestField(cloudTrailEvent({ requestParameters: null }), 'HttpTokens')).toBeUndefined();
  });
});

describe('ec2ResponseField', () => {
  it('reads a path under <Action>Response, else at the top of the response', () => {
    const wrapped = cloudTrailEvent({
      eventName: 'CreateNatGateway',
      responseElements: { CreateNatGatewayResponse: { natGateway: { natGatewayId: 'nat-1' } } },
    });
    const flat = cloudTrailEvent({ eventName: 'CreateNatGateway', responseElements: { natGateway: { natGatewayId: 'nat-2' } } });
    expect(ec2ResponseField(wrapped, 'natGateway.natGatewayId')).toBe('nat-1');
    expect(ec2ResponseField(flat, 'natGateway.natGatewayId')).toBe('nat-2');
    expect(ec2ResponseField(cloudTrailEvent({ responseElements: null }), 'natGateway.natGatewayId')).toBeUndefined();
  });
});

describe('itemsOf', () => {
  it('reads {items: [...]} lists and plain arrays as records', () => {
    expect(itemsOf({ items: [{ instanceId: 'i-1' }, 'x'] })).toEqual([{ instanceId: 'i-1' }, {}]);
    expect(itemsOf([{ instanceId: 'i-2' }])).toEqual([{ instanceId: 'i-2' }]);
    expect(itemsOf({ items: { instanceId: 'i-3' } })).toEqual([{ instanceId: 'i-3' }]);
    expect(itemsOf(undefined)).toEqual([]);
    expect(itemsOf(null)).toEqual([]);
  });
});
