/**
 * versions.json, typed: the one place every pinned version lives (ARCHITECTURE.md#style).
 * Scripts read versions from here; nothing else in scripts/ or platform/ names a version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.js';

export interface ChartPin {
  /** A Helm repository URL (used with `--repo`), absent for OCI charts. */
  repo?: string;
  /** The chart name in `repo`, or an `oci://` reference. */
  chart: string;
  version: string;
}

export interface Versions {
  node: { devcontainer: string; minimum: string };
  tools: { kind: string; kubectl: string; helm: string; 'kubectl-argo-rollouts': string };
  kind: { nodeImage: string };
  images: Record<string, string>;
  /** What an image of `images` ships, by its key ("images.tools"): the tools whose versions matter (kubectl's skew). */
  bundled: Record<string, { kubectl?: string; helm?: string }>;
  charts: Record<'nginx-gateway-fabric' | 'gitea' | 'jenkins' | 'argo-cd' | 'argo-rollouts', ChartPin>;
  gatewayApi: { version: string; install: string };
  rolloutsPlugin: { name: string; version: string; download: string };
  jenkinsPlugins: Record<string, string>;
  notes: Record<string, string>;
}

export const VERSIONS_FILE = join(ROOT, 'versions.json');

export function readVersions(file = VERSIONS_FILE): Versions {
  return JSON.parse(readFileSync(file, 'utf8')) as Versions;
}

export const versions: Versions = readVersions();

/** `helm upgrade --install` arguments that name a pinned chart. */
export function chartArgs(pin: ChartPin): string[] {
  return pin.repo ? [pin.chart, '--repo', pin.repo, '--version', pin.version] : [pin.chart, '--version', pin.version];
}

/** The Gateway API CRDs (standard channel) of the pinned version. */
export const gatewayApiInstallUrl = (v: Versions = versions) => v.gatewayApi.install.replace('{version}', v.gatewayApi.version);

/** The Rollouts Gateway API plugin binary for a node architecture (amd64 | arm64). */
export const rolloutsPluginUrl = (arch: 'amd64' | 'arm64', v: Versions = versions) =>
  v.rolloutsPlugin.download.replace('{version}', v.rolloutsPlugin.version).replace('{arch}', arch);

/** The Rollouts plugin binary's file name: versioned, so that a new pin is a new file on the node. */
export const pluginFileName = (v: Versions = versions) => `gatewayapi-plugin-${v.rolloutsPlugin.version}`;

/** The cluster's Kubernetes version: the tag of the kind node image ("kindest/node:<tag>@sha256:…"). */
export function clusterKubernetesVersion(v: Versions = versions): string {
  const m = /:(v\d+\.\d+\.\d+)/.exec(v.kind.nodeImage);
  if (!m) throw new Error(`versions.json kind.nodeImage has no version tag: ${v.kind.nodeImage}`);
  return m[1];
}

/** `name:version` for the chart's controller.installPlugins. */
export const jenkinsPluginList = (v: Versions = versions) => Object.entries(v.jenkinsPlugins).map(([name, version]) => `${name}:${version}`);

/** Parse a version as tools print it ("v1.2", "1.2.3", "kind v<x.y.z> go<…> linux/amd64") into [major, minor, patch]. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
