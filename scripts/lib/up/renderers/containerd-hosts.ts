/**
 * containerd's registry configuration on the node (hosts.toml, containerd's certs.d format; kind node
 * images from v0.27 read /etc/containerd/certs.d without a patch). One image reference,
 * kind-registry:5000/…, works for build-pod pushes (through the kind network's DNS) and kubelet pulls
 * (this file); localhost:5001/… works for pulls too, as in kind's local-registry guide.
 */
import type { PlatformFull } from '../../platform.js';
import { mirrorEndpoint, mirrorsUsed } from '../mirrors.js';

export function containerdHosts(p: PlatformFull, env: NodeJS.ProcessEnv): { name: string; toml: string }[] {
  const registry = `http://${p.registryContainer.name}:${p.registry.inCluster.split(':')[1]}`;
  const out = [
    { name: p.registry.host, toml: `# cicd-lab: the local registry (kind's local-registry pattern)\n[host."${registry}"]\n  capabilities = ["pull", "resolve", "push"]\n` },
    { name: p.registry.inCluster, toml: `# cicd-lab: the local registry under its in-cluster name, over plain HTTP\nserver = "${registry}"\n\n[host."${registry}"]\n  capabilities = ["pull", "resolve", "push"]\n` },
  ];
  if (mirrorsUsed(env)) {
    for (const m of p.mirrors) {
      out.push({
        name: m.upstream,
        toml: `# cicd-lab: pull through the mirror, fall back to ${m.upstream} itself\nserver = "${m.remote}"\n\n[host."${mirrorEndpoint(m, env)}"]\n  capabilities = ["pull", "resolve"]\n`,
      });
    }
  }
  return out;
}

/** Where containerd reads a registry's hosts.toml on the node. */
export const hostsTomlPath = (name: string) => `/etc/containerd/certs.d/${name}/hosts.toml`;
