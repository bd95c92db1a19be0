import type { Control } from '../../model/control';
import { ecsPublicIpAssigned } from './ecs-public-ip-assigned';
import { eksEndpointPublic } from './eks-endpoint-public';
import { networkAclOpenToInternet } from './network-acl-open-to-internet';
import { securityGroupOpenToInternet } from './security-group-open-to-internet';
import { trafficLoggingDeleted } from './traffic-logging-deleted';

/** The network area's controls. */
export const networkControls: Control[] = [
  securityGroupOpenToInternet,
  networkAclOpenToInternet,
  eksEndpointPublic,
  ecsPublicIpAssigned,
  trafficLoggingDeleted,
];
