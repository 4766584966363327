/**
 * platform/platform.yaml with the parts the platform scripts add (kind node, registry container,
 * mirrors, Helm releases, logins, lab-builder RBAC). src/platform.ts reads the contracts labs rely on;
 * this file reads the same YAML with the additions, so the names are still written once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PLATFORM_DIR } from '../../src/paths.js';
import type { PlatformConfig } from '../../src/platform.js';

export interface Mirror {
  /** The registry it mirrors, as image references name it (docker.io, ghcr.io, …). */
  upstream: string;
  /** The upstream's registry API endpoint. */
  remote: string;
  container: string;
  port: number;
}

export type Component = 'registry' | 'cluster' | 'gateway' | 'gitea' | 'jenkins' | 'argocd' | 'rollouts' | 'images';
export const COMPONENTS: Component[] = ['registry', 'cluster', 'gateway', 'gitea', 'jenkins', 'argocd', 'rollouts', 'images'];

export interface Release {
  name: string;
  namespace: string;
}

export interface PlatformFull extends PlatformConfig {
  kind: { node: string; config: string; gatewayNodePort: number };
  registryContainer: { name: string; network: string };
  mirrors: Mirror[];
  releases: { gatewayController: Release; gitea: Release; jenkins: Release; argocd: Release; rollouts: Release };
  logins: { jenkins: string; gitea: string; argocd: string };
  labBuilder: { serviceAccount: string; namespaces: string[] };
  codespaces: { proxy: string; ports: { jenkins: number; argocd: number; gitea: number }; labsFrom: number; docs: number };
}

export function readPlatform(file = join(PLATFORM_DIR, 'platform.yaml')): PlatformFull {
  return parse(readFileSync(file, 'utf8')) as PlatformFull;
}

export const platformFull: PlatformFull = readPlatform();

/** The registry's port inside the kind network: `kind-registry:5000` → 5000. */
export const inClusterRegistryPort = (p: PlatformFull = platformFull) => Number(p.registry.inCluster.split(':')[1]);
/** The registry's port on the host: `localhost:5001` → 5001. */
export const hostRegistryPort = (p: PlatformFull = platformFull) => Number(p.registry.host.split(':')[1]);

/**
 * The field managers of server-side apply (kubernetes.io/docs/reference/using-api/server-side-apply/).
 * With one manager, the last apply owns every field it names and drops the fields it no longer names:
 * `lab start` applying a lab's Namespace without the label `up` gave it (lab-builder-rbac.yaml) took
 * the label away, and the next `up` put it back — never a no-op. With one manager for what `up`
 * applies and another for what the labs' steps apply, each keeps its own fields, and a field both name
 * with the same value is owned by both.
 */
export const FIELD_MANAGERS = {
  /** `up` (and `lab reset` putting the platform's lab-builder RBAC back), and the probe's `kubectl diff`. */
  platform: 'cicd-lab',
  /** A lab's `start:`/`solve:` apply steps. */
  labs: 'cicd-lab-labs',
} as const;
