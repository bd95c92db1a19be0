import type { Control, Violation } from '../../model/control';
import type { Severity } from '../../model/severity';
import { asArray, asString, pathGet } from '../../kernel/values';
import { requestOf } from '../../kernel/records';
import {
  type ContainerDefinition,
  TASK_DEFINITION_TYPE,
  containerNameOf,
  containersOf,
  hostPathsOf,
  mountPointsOf,
  registerTaskDefinitionPattern,
  registeredTaskDefinitionArn,
  taskDefinitionLabel,
  taskDefinitionRetirement,
} from '../../kernel/task-definition';

/** Container runtime sockets: whoever can talk to one can start a privileged container on the host. */
const RUNTIME_SOCKETS = new Set([
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
]);

/** Host directories whose exposure gives control of, or secrets from, the host. */
const SENSITIVE_HOST_PATHS = [
  '/etc',
  '/root',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/var/lib/docker',
  '/var/lib/ecs',
  '/var/lib/kubelet',
  '/var/run',
  '/run',
  '/home',
];

/** Linux capabilities that amount to host control (ECS KernelCapabilities take names without the CAP_ prefix). */
const DANGEROUS_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'BPF']);

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function hostPathSeverity(path: string): Severity | undefined {
  if (path === '/' || RUNTIME_SOCKETS.has(path)) return 'CRITICAL';
  return SENSITIVE_HOST_PATHS.some((p) => path === p || path.startsWith(`${p}/`)) ? 'HIGH' : undefined;
}

/** A container runs as root when `user` is unset (the image default, root for most images), "root" or uid 0. */
function runsAsRoot(container: ContainerDefinition): boolean {
  const user = asString(container.user)?.trim();
  if (!user) return true;
  const name = user.split(':')[0];
  return name === 'root' || name === '0';
}

/**
 * ECS task definitions (RegisterTaskDefinition) that break the isolation between containers and
 * their host: privileged containers (FSBP ECS.4), the host's PID namespace (ECS.3) or IPC
 * namespace, host networking (ECS.1: HIGH when a container then runs as root), container runtime
 * sockets or the host root bind-mounted (CRITICAL), other sensitive host paths mounted, and
 * host-controlling Linux capabilities added. Findings are per container and setting, on the revision.
 */
export const taskDefinitionHostAccess: Control = {
  id: 'host.task-definition-host-access',
  area: 'host',
  title: 'Task definition breaks container-to-host isolation',
  severity: 'HIGH',
  rationale:
    'A privileged container, a container in the host PID or network namespace, or one with the Docker socket or the host root mounted can take over the container instance and every other task on it, and use the instance role.',
  runbook: [
    'Open the revision: ECS console → Task definitions → <family> → <revision> → JSON, or `aws ecs describe-task-definition --task-definition <family>:<revision>`.',
    'Register a corrected revision without `privileged`, `pidMode: host`, `ipcMode: host`, host-path volumes for sockets or system directories, and added capabilities (drop to the minimum; use `readonlyRootFilesystem` and a non-root `user`); prefer `awsvpc` network mode: `aws ecs register-task-definition --cli-input-json file://taskdef.json`.',
    'Move services to it: `aws ecs update-service --cluster <cluster> --service <service> --task-definition <family>:<new-revision>`.',
    'Retire the unsafe revision so it cannot be run again: `aws ecs deregister-task-definition --task-definition <family>:<revision>`.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'ECS.1' },
    { framework: 'fsbp', requirement: 'ECS.3' },
    { framework: 'fsbp', requirement: 'ECS.4' },
    { framework: 'nist-800-53-r5', requirement: 'AC-6' },
    { framework: 'nist-800-53-r5', requirement: 'CM-2' },
  ],
  patterns: [registerTaskDefinitionPattern],
  evaluate(event): Violation[] {
    const taskDefinition = registeredTaskDefinitionArn(event);
    if (!taskDefinition) return [];
    const request = requestOf(event);
    const containers = containersOf(event);
    const hostPaths = hostPathsOf(event);
    const violations: Violation[] = [];
    const add = (qualifier: string, severity: Severity, what: string, evidence: Record<string, unknown>) =>
      violations.push({
        resourceId: taskDefinition,
        resourceType: TASK_DEFINITION_TYPE,
        qualifier,
        severity,
        message: `Task definition ${taskDefinitionLabel(taskDefinition)} ${what}`,
        evidence,
      });

    if (asString(request.pidMode) === 'host')
      add('pidMode host', 'HIGH', "shares the host's process namespace (pidMode host)", { pidMode: 'host' });
    if (asString(request.ipcMode) === 'host')
      add('ipcMode host', 'MEDIUM', "shares the host's IPC namespace (ipcMode host)", { ipcMode: 'host' });
    if (asString(request.networkMode) === 'host') {
      const rootContainers = containers
        .map((c, i) => ({ c, name: containerNameOf(c, i) }))
        .filter(({ c }) => c.privileged !== true && runsAsRoot(c))
        .map(({ name }) => name);
      add(
        'networkMode host',
        rootContainers.length > 0 ? 'HIGH' : 'MEDIUM',
        `uses the host's network namespace (networkMode host)${rootContainers.length > 0 ? ` with ${rootContainers.join(', ')} running as root` : ''}`,
        { networkMode: 'host', containersRunningAsRoot: rootContainers },
      );
    }

    containers.forEach((container, index) => {
      const name = containerNameOf(container, index);
      if (container.privileged === true)
        add(`${name}: privileged`, 'HIGH', `runs container ${name} privileged`, { containerName: name, privileged: true });
      for (const mount of mountPointsOf(container)) {
        const sourcePath = mount.sourceVolume ? hostPaths.get(mount.sourceVolume) : undefined;
        if (!sourcePath) continue;
        const path = normalizePath(sourcePath);
        const severity = hostPathSeverity(path);
        if (!severity) continue;
        add(`${name}: mounts ${path}`, severity, `mounts host path ${path} into container ${name}${mount.readOnly ? ' (read-only)' : ''}`, {
          containerName: name,
          volume: { name: mount.sourceVolume, host: { sourcePath } },
          mountPoint: mount,
        });
      }
      const added = asArray(pathGet(container, 'linuxParameters.capabilities.add'))
        .map((c) => asString(c)?.toUpperCase().replace(/^CAP_/, ''))
        .filter((c): c is string => c !== undefined && DANGEROUS_CAPABILITIES.has(c));
      for (const capability of added) {
        add(`${name}: capability ${capability}`, 'HIGH', `adds Linux capability ${capability} to container ${name}`, {
          containerName: name,
          capabilities: { add: [capability] },
        });
      }
    });
    return violations;
  },
  resolution: taskDefinitionRetirement,
};
