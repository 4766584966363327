/** How Jenkins' build pods run (the lab-builder pod template of the Kubernetes plugin). */
import { stringify } from 'yaml';
import type { PlatformFull } from '../../platform.js';
import type { Versions } from '../../versions.js';
import { agentImageTag } from '../agent-image.js';

/**
 * How the containers that build images run: rootless Buildah (the user namespace it needs is made
 * by the unprivileged user through newuidmap/newgidmap, not granted as privileges). The RUN steps of
 * a Dockerfile run inside that user namespace, with chroot isolation.
 *
 *   runAsUser 1000, runAsNonRoot   the image's own user (jenkins in the agent, build in
 *                                  quay.io/buildah/stable), which has /etc/subuid and /etc/subgid ranges
 *   capabilities: drop ALL, add SETUID and SETGID
 *                                  only what newuidmap/newgidmap (file capabilities) need to write the
 *                                  new namespace's id maps; nothing else, no SYS_ADMIN
 *   allowPrivilegeEscalation true  those two programs gain their file capabilities on exec, which
 *                                  no_new_privs would forbid
 *   seccompProfile Unconfined, appArmorProfile Unconfined
 *                                  the container runtime's default profiles refuse unshare(CLONE_NEWUSER)
 *                                  and mount without CAP_SYS_ADMIN: what upstream documents for rootless
 *                                  builds in a pod (moby/buildkit docs/rootless.md and
 *                                  examples/kubernetes/*.rootless.yaml; the Buildah image's README runs
 *                                  it with seccomp=unconfined)
 *
 * Not privileged, no Docker socket, no host path. docs/reference/platform.md#image-builds says why
 * this and not BuildKit or Kubernetes user namespaces (hostUsers: false). Proved on the kit's
 * machine by test/kit/hello-app.test.ts (a rootless build of labs/app with exactly these
 * capabilities); in a kind node only by the e2e workflow.
 */
export const ROOTLESS_BUILD_SECURITY_CONTEXT = {
  runAsUser: 1000,
  runAsGroup: 1000,
  runAsNonRoot: true,
  allowPrivilegeEscalation: true,
  capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] },
  seccompProfile: { type: 'Unconfined' },
  appArmorProfile: { type: 'Unconfined' },
} as const;

/** The containers of the lab-builder pod that build images: the agent (freestyle jobs) and buildah (Pipelines). */
export const IMAGE_BUILDING_CONTAINERS = ['jnlp', 'buildah'] as const;

/** The lab-builder pod template (Kubernetes plugin JCasC syntax), images from versions.json. */
export function labBuilderPodTemplate(v: Versions, p: PlatformFull): string {
  const container = (name: string, image: string, extra: Record<string, unknown> = {}) => ({ name, image, command: 'cat', ttyEnabled: true, ...extra });
  const template = [
    {
      name: p.jenkins.agentLabel,
      label: p.jenkins.agentLabel,
      serviceAccount: p.labBuilder.serviceAccount,
      idleMinutes: 0,
      containers: [
        // The agent itself, built by `up` with the tools a freestyle job's shell steps need (see
        // platform/jenkins/agent/Containerfile); `^${…}` is JCasC's escape for a literal `${…}`.
        {
          name: 'jnlp',
          image: `${p.registry.inCluster}/lab-agent:${agentImageTag(v)}`,
          args: '^${computer.jnlpmac} ^${computer.name}',
          resourceRequestCpu: '100m',
          resourceRequestMemory: '256Mi',
          resourceLimitMemory: '2Gi',
        },
        container('node', v.images['app-base'], { resourceRequestCpu: '100m', resourceRequestMemory: '256Mi', resourceLimitMemory: '1Gi' }),
        // Daemonless image builds: no Docker socket, no privileged container (vfs storage, chroot isolation).
        container('buildah', v.images.buildah, {
          resourceRequestCpu: '100m',
          resourceRequestMemory: '256Mi',
          resourceLimitMemory: '2Gi',
          envVars: [{ envVar: { key: 'STORAGE_DRIVER', value: 'vfs' } }, { envVar: { key: 'BUILDAH_ISOLATION', value: 'chroot' } }],
        }),
        container('tools', v.images.tools, { resourceRequestCpu: '50m', resourceRequestMemory: '64Mi', resourceLimitMemory: '256Mi' }),
      ],
      // A container template's fields cannot say seccomp, AppArmor or capabilities: the plugin merges
      // this pod YAML with them, container by name, keeping its securityContext
      // (jenkinsci/kubernetes-plugin PodTemplateUtils.combine).
      yaml: stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        spec: { containers: IMAGE_BUILDING_CONTAINERS.map((name) => ({ name, securityContext: structuredClone(ROOTLESS_BUILD_SECURITY_CONTEXT) })) },
      }),
    },
  ];
  return stringify(template);
}
