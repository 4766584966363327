/**
 * The machine as `up` (and `prefetch`) sees it before acting: Docker's containers, kind's clusters,
 * the cluster's objects, Helm's releases, the registry's images, Gitea and Jenkins. Every question is
 * read-only (check before you act). `LiveMachine` asks Docker, kind, kubectl, helm and the services;
 * the kit tests answer the same questions from plain data (test/lib/fake-platform.ts `FakeMachine`),
 * so the plan of `up` is tested without Docker.
 *
 * Not to be confused with src/probes.ts: the graders' probes are measurements of the learner's work
 * (traffic through the gateway, a table's columns), kept under `probes` in a snapshot.
 */
import { request } from '../../../src/http.js';
import type { Runner } from '../exec.js';
import { FIELD_MANAGERS } from '../platform.js';

export interface ContainerState {
  running: boolean;
  /** Docker networks it is attached to. */
  networks: string[];
  image: string;
  /** Its published addresses, "<host ip>:<host port>" (HostConfig.PortBindings: kept while stopped too). */
  ports?: string[];
  /** Its labels (Config.Labels). */
  labels?: Record<string, string>;
}

export interface ReleaseState {
  /** "<chart>-<version>", as `helm list` shows it. */
  chart: string;
  status: string;
  /** The user-supplied values (`helm get values -o json`). */
  values: unknown;
}

export interface Machine {
  dockerReachable(): Promise<boolean>;
  container(name: string): Promise<ContainerState | undefined>;
  clusterExists(cluster: string): Promise<boolean>;
  contextExists(context: string): Promise<boolean>;
  /** A file's content inside a kind node container, or undefined. */
  nodeFile(node: string, path: string): Promise<string | undefined>;
  /** True when applying these manifests (file path, or YAML/JSON text) would change nothing. */
  inSync(manifest: { file?: string; text?: string }): Promise<boolean>;
  /** The Gateway API bundle version the installed HTTPRoute CRD declares. */
  gatewayApiVersion(): Promise<string | undefined>;
  release(name: string, namespace: string): Promise<ReleaseState | undefined>;
  /** A Secret's decoded data, or undefined. */
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** The value of an image label on a tag of the host registry: undefined = no such tag, null = tag without the label. */
  imageLabel(repo: string, tag: string, label: string): Promise<string | null | undefined>;
  /** True when the Gitea repository exists (so it was seeded and may hold the learner's work). */
  giteaRepoExists(repo: string): Promise<boolean>;
  /** True when Jenkins accepts this API token. */
  jenkinsTokenWorks(user: string, token: string): Promise<boolean>;
}

/** The real machine: commands through `runner` (read-only ones), HTTP for the registry and services. */
export class LiveMachine implements Machine {
  constructor(
    private readonly runner: Runner,
    private readonly context: string,
    private readonly urls: { registry: string; gitea: string; jenkins: string; giteaAuth?: { user: string; password: string } },
  ) {}

  private async out(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string }> {
    const r = await this.runner({ cmd, args, input });
    return { code: r.code, stdout: r.stdout };
  }

  async dockerReachable(): Promise<boolean> {
    return (await this.out('docker', ['info', '--format', '{{.ServerVersion}}'])).code === 0;
  }

  async container(name: string): Promise<ContainerState | undefined> {
    const r = await this.out('docker', ['inspect', '--format', '{{json .}}', name]);
    if (r.code !== 0) return undefined;
    const c = JSON.parse(r.stdout) as {
      State: { Running: boolean };
      NetworkSettings: { Networks: Record<string, unknown> };
      Config: { Image: string; Labels?: Record<string, string> | null };
      HostConfig?: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> };
    };
    const ports = Object.values(c.HostConfig?.PortBindings ?? {}).flatMap((bindings) => (bindings ?? []).map((b) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`));
    return { running: c.State.Running, networks: Object.keys(c.NetworkSettings.Networks ?? {}), image: c.Config.Image, ports, labels: c.Config.Labels ?? {} };
  }

  async clusterExists(cluster: string): Promise<boolean> {
    const r = await this.out('kind', ['get', 'clusters']);
    return r.code === 0 && r.stdout.split('\n').map((l) => l.trim()).includes(cluster);
  }

  async contextExists(context: string): Promise<boolean> {
    const r = await this.out('kubectl', ['config', 'get-contexts', '-o', 'name']);
    return r.code === 0 && r.stdout.split('\n').map((l) => l.trim()).includes(context);
  }

  async nodeFile(node: string, path: string): Promise<string | undefined> {
    const r = await this.out('docker', ['exec', node, 'cat', path]);
    return r.code === 0 ? r.stdout : undefined;
  }

  async inSync(manifest: { file?: string; text?: string }): Promise<boolean> {
    const args = ['--context', this.context, 'diff', '--server-side', '--force-conflicts', '--field-manager', FIELD_MANAGERS.platform, '-f', manifest.file ?? '-'];
    // kubectl diff: exit 0 = no differences, 1 = differences, >1 = error (e.g. no cluster, no CRD yet).
    return (await this.out('kubectl', args, manifest.text)).code === 0;
  }

  async gatewayApiVersion(): Promise<string | undefined> {
    const r = await this.out('kubectl', ['--context', this.context, 'get', 'crd', 'httproutes.gateway.networking.k8s.io', '-o', 'jsonpath={.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}']);
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
  }

  async release(name: string, namespace: string): Promise<ReleaseState | undefined> {
    const list = await this.out('helm', ['--kube-context', this.context, 'list', '-n', namespace, '--filter', `^${name}$`, '-o', 'json']);
    if (list.code !== 0) return undefined;
    const found = (JSON.parse(list.stdout || '[]') as { name: string; chart: string; status: string }[]).find((r) => r.name === name);
    if (!found) return undefined;
    const values = await this.out('helm', ['--kube-context', this.context, 'get', 'values', name, '-n', namespace, '-o', 'json']);
    return { chart: found.chart, status: found.status, values: values.code === 0 ? JSON.parse(values.stdout || 'null') : undefined };
  }

  async secret(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const r = await this.out('kubectl', ['--context', this.context, 'get', 'secret', name, '-n', namespace, '-o', 'json']);
    if (r.code !== 0) return undefined;
    const data = (JSON.parse(r.stdout) as { data?: Record<string, string> }).data ?? {};
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  }

  async imageLabel(repo: string, tag: string, label: string): Promise<string | null | undefined> {
    try {
      const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json';
      const m = await request(`${this.urls.registry}/v2/${repo}/manifests/${tag}`, { headers: { accept }, timeoutMs: 5000 });
      if (m.status !== 200) return undefined;
      let manifest = JSON.parse(m.body) as { config?: { digest: string }; manifests?: { digest: string }[] };
      if (!manifest.config && manifest.manifests?.length) {
        const first = await request(`${this.urls.registry}/v2/${repo}/manifests/${manifest.manifests[0].digest}`, { headers: { accept }, timeoutMs: 5000 });
        manifest = JSON.parse(first.body);
      }
      if (!manifest.config) return null;
      const blob = await request(`${this.urls.registry}/v2/${repo}/blobs/${manifest.config.digest}`, { timeoutMs: 5000 });
      const labels = (JSON.parse(blob.body) as { config?: { Labels?: Record<string, string> } }).config?.Labels ?? {};
      return labels[label] ?? null;
    } catch {
      return undefined;
    }
  }

  async giteaRepoExists(repo: string): Promise<boolean> {
    try {
      const r = await request(`${this.urls.gitea}/api/v1/repos/${repo}`, { basicAuth: this.urls.giteaAuth, timeoutMs: 5000 });
      return r.status === 200;
    } catch {
      return false;
    }
  }

  async jenkinsTokenWorks(user: string, token: string): Promise<boolean> {
    try {
      const r = await request(`${this.urls.jenkins}/me/api/json`, { basicAuth: { user, password: token }, timeoutMs: 5000 });
      return r.status === 200;
    } catch {
      return false;
    }
  }
}

/** A machine with nothing of the platform on it: what a dry run plans for when Docker is not reachable. */
export class EmptyMachine implements Machine {
  async dockerReachable() { return false; }
  async container() { return undefined; }
  async clusterExists() { return false; }
  async contextExists() { return false; }
  async nodeFile() { return undefined; }
  async inSync() { return false; }
  async gatewayApiVersion() { return undefined; }
  async release() { return undefined; }
  async secret() { return undefined; }
  async imageLabel() { return undefined; }
  async giteaRepoExists() { return false; }
  async jenkinsTokenWorks() { return false; }
}
