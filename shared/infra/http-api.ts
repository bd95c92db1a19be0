/**
 * The findings API's front door: an HTTP API in front of the api function where every route under
 * /api/ requires IAM authorization (callers sign with SigV4 and need execute-api:Invoke), throttled,
 * with access logs to a log group encrypted with the stack's key.
 */
import { arnOf, functionLogicalId, type Resource, ref, sub } from './cloudformation';

/** The HTTP API, its route, integration and stage, its access logs, and its permission to invoke the api function. */
export function httpApiResources(): Record<string, Resource> {
  const fn = functionLogicalId('api');
  return {
    FindingsHttpApi: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: {
        Name: sub('${AWS::StackName}-findings-api'),
        ProtocolType: 'HTTP',
        Description: 'trailwarden findings API (IAM authorization)',
      },
    },
    FindingsHttpApiIntegration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: ref('FindingsHttpApi'),
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: arnOf(fn),
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 29_000,
      },
    },
    FindingsHttpApiRoute: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: ref('FindingsHttpApi'),
        RouteKey: 'ANY /api/{proxy+}',
        AuthorizationType: 'AWS_IAM',
        Target: sub('integrations/${FindingsHttpApiIntegration}'),
      },
    },
    FindingsHttpApiAccessLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365, KmsKeyId: arnOf('TrailwardenKey') } },
    FindingsHttpApiStage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: ref('FindingsHttpApi'),
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: arnOf('FindingsHttpApiAccessLogs'),
          Format: JSON.stringify({
            requestId: '$context.requestId',
            caller: '$context.identity.userArn',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
          }),
        },
        DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
      },
    },
    FindingsHttpApiPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: arnOf(fn),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: sub('arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${FindingsHttpApi}/*/*/api/*'),
      },
    },
  };
}
