import type { Control } from '../../model/control';
import { ecsPublicIpAssigned } from './ecs-public-ip-assigned';
import { eksEndpointPublic } from './eks-endpoint-public';
import { networkAclOpenToInternet } from './network-acl-open-to-internet';
import { securityGroupOpenToInternet } from './security-group-open-to-internet';
import { trafficLoggingDeleted } from './traffic-logging-deleted';
import { loadBalancerListenerInsecure } from './load-balancer-listener-insecure';
import { rdsInstancePublic } from './rds-instance-public';
import { vpcPeeringUntrustedAccount } from './vpc-peering-untrusted-account';
import { cloudfrontViewerTlsWeak } from './cloudfront-viewer-tls-weak';
import { internetGatewayRouteAdded } from './internet-gateway-route-added';
import { trafficMirroringSessionCreated } from './traffic-mirroring-session-created';
import { trafficMirroringPrepared } from './traffic-mirroring-prepared';
import { dbSecurityGroupOpenToInternet } from './db-security-group-open-to-internet';
import { vpcEndpointOutsideAccess } from './vpc-endpoint-outside-access';
import { securityGroupIngressAdded } from './security-group-ingress-added';
import { networkAclInternetEntryAdded } from './network-acl-internet-entry-added';
import { networkGatewayChanged } from './network-gateway-changed';
import { vpcChanged } from './vpc-changed';
import { routeTableChanged } from './route-table-changed';

import { lambdaFunctionPublic } from './lambda-function-public';
import { defaultRouteToPeering } from './default-route-to-peering';
import { loadBalancerPrivateLinkUnfiltered } from './load-balancer-privatelink-unfiltered';
/** The network area's controls. */
export const networkControls: Control[] = [
  securityGroupOpenToInternet,
  networkAclOpenToInternet,
  eksEndpointPublic,
  ecsPublicIpAssigned,
  trafficLoggingDeleted,
  loadBalancerListenerInsecure,
  rdsInstancePublic,
  vpcPeeringUntrustedAccount,
  cloudfrontViewerTlsWeak,
  internetGatewayRouteAdded,
  trafficMirroringSessionCreated,
  trafficMirroringPrepared,
  dbSecurityGroupOpenToInternet,
  vpcEndpointOutsideAccess,
  lambdaFunctionPublic,
  defaultRouteToPeering,
  loadBalancerPrivateLinkUnfiltered,
  securityGroupIngressAdded,
  networkAclInternetEntryAdded,
  networkGatewayChanged,
  vpcChanged,
  routeTableChanged,
];
