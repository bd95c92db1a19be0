import type { Control, DetectionSignal } from '../../model/control';
import { asArray, asRecord, asString } from '../../kernel/values';
import { isProductionCluster } from '../../kernel/task-definition';

const WINDOW = 'digestsOfCluster';
const TASK_STATE_CHANGE = 'ECS Task State Change';

/**
 * An image never run before in a production cluster: ECS "Task State Change" events (detail.clusterArn,
 * lastStatus, containers[].image and imageDigest) of tasks RUNNING in a cluster named in
 * settings.productionClusters add each container's image digest to the cluster's first-seen set. Once the
 * cluster has been observed for `digestsOfCluster` (its learning period, 7 days by default), a digest not in
 * the set is MEDIUM: one finding per cluster and digest. A digest is the image's content, so a tag moved to
 * other content (a mutable tag, a replaced image) is new too; a release that should bring a new digest is
 * reviewed against its deployment, anything else was not shipped through it.
 */
export const newDigestInProduction: Control = {
  id: 'image.new-digest-in-production',
  area: 'image',
  title: 'A new image digest running in a production cluster',
  severity: 'MEDIUM',
  rationale:
    'Production runs what the pipeline shipped; an image digest never seen in the cluster before is either a release or something that did not go through one — an implanted or swapped image, a tag moved under a running service.',
  runbook: [
    'Match the digest (evidence: image, imageDigest, the task and its group) to a release: the deployment that registered the task definition, or the ECR push of that digest (`aws ecr describe-images --repository-name <repo> --image-ids imageDigest=<digest>`).',
    'If no release explains it: stop the tasks (`aws ecs stop-task --cluster <cluster> --task <task-arn>`), roll the service back to its previous task definition, and find who pushed the image or moved its tag (CloudTrail PutImage events).',
    'Pin production task definitions to digests (`image@sha256:…`) and make repositories’ tags immutable so a tag cannot move under a running service.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
    { framework: 'nist-800-53-r5', requirement: 'SI-7' },
    { framework: 'pci-dss-4.0', requirement: '6.5.1' },
  ],
  attack: ['T1525', 'T1610'],
  patterns: [{ source: ['aws.ecs'], 'detail-type': [TASK_STATE_CHANGE], detail: { lastStatus: ['RUNNING'] } }],
  detection: {
    windows: { [WINDOW]: { minutes: 7 * 1440, threshold: 1, counts: 'image digests run in the cluster' } },
    detect(event, context): DetectionSignal[] {
      const detail = asRecord(event.detail);
      const cluster = asString(detail.clusterArn);
      if (asString(detail.lastStatus) !== 'RUNNING' || !cluster) return [];
      if (!isProductionCluster(cluster, context.settings.productionClusters)) return [];
      return asArray(detail.containers).flatMap((entry) => {
        const container = asRecord(entry);
        const digest = asString(container.imageDigest);
        if (!digest) return [];
        const image = asString(container.image) ?? 'an image';
        return [
          {
            kind: 'first-seen' as const,
            window: WINDOW,
            key: cluster,
            value: digest,
            raises: () => ({
              resourceId: cluster,
              resourceType: 'AWS::ECS::Cluster',
              qualifier: `digest ${digest}`,
              message: `Production cluster ${cluster} runs ${image} at digest ${digest}, which it has not run before`,
              evidence: {
                clusterArn: cluster,
                taskArn: detail.taskArn ?? null,
                group: detail.group ?? null,
                taskDefinitionArn: detail.taskDefinitionArn ?? null,
                containerName: container.name ?? null,
                image,
                imageDigest: digest,
              },
            }),
          },
        ];
      });
    },
  },
};
