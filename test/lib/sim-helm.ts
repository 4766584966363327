/**
 * `helm upgrade --install` / `helm install` against the simulated cluster, for the kit tests.
 *
 * The chart is rendered by the real helm (`helm template`, with the same --set/--values), so a
 * template error is helm's own. What the simulation adds is what Helm does with the cluster:
 * - refuses objects that exist without Helm's ownership annotations (meta.helm.sh/release-name,
 *   …/release-namespace), and adds them (and the label app.kubernetes.io/managed-by: Helm);
 * - applies the objects into the release namespace, and with --wait waits (in simulated time)
 *   until the release's Deployments have rolled out, failing the release at --timeout;
 * - stores each revision as Helm's Secret storage driver does (helm pkg/storage/driver/secrets.go):
 *   Secret `sh.helm.release.v1.<name>.v<revision>`, type helm.sh/release.v1, labels name, owner=helm,
 *   status, version; the release JSON (helm pkg/release/v1 Release: name, namespace, version,
 *   info.status, chart.metadata, config = the values supplied on the command line, manifest)
 *   encoded with encodeHelmRelease; the previous deployed revision becomes `superseded`.
 *
 * Supported: `--install`, -n/--namespace, --kube-context, --create-namespace, --set and
 * --set-string with `a.b=c[,d=e]` (values typed as Helm's strvals types them: true/false, null,
 * integers), -f/--values, --wait, --timeout. Anything else is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { encodeHelmRelease, decodeHelmRelease, HELM_RELEASE_TYPE, type HelmRelease } from '../../src/kube/helm.js';
import { platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/snapshot.js';
import { rolledOut, type SimCluster } from './sim.js';
import type { ToolCall, ToolResult } from './sim-tools.js';
import { parseManifests, run as runTool } from './tools.js';

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k] as Values, v) : v;
  return out;
}

/** `a.b=c,d=e` as Helm's strvals parses the simple forms; lists, escapes and braces are refused. */
export function parseSet(expr: string, asString: boolean): Values {
  const out: Values = {};
  for (const pair of expr.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || /[[\]{}\\]/.test(pair)) throw new Error(`--set ${expr}: only key.path=value pairs are simulated`);
    const path = pair.slice(0, eq).split('.');
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    if (!asString) {
      if (raw === 'true' || raw === 'false') value = raw === 'true';
      else if (raw === 'null') value = null;
      else if (/^-?(0|[1-9][0-9]*)$/.test(raw)) value = Number(raw);
    }
    let node = out;
    path.slice(0, -1).forEach((k) => (node = (node[k] = isMap(node[k]) ? node[k] : {}) as Values));
    node[path[path.length - 1]] = value;
  }
  return out;
}

const secretName = (name: string, version: number) => `sh.helm.release.v1.${name}.v${version}`;

/** The releases stored in a namespace, by name and revision (newest last). */
export function storedReleases(sim: SimCluster, namespace: string, name: string): { secret: KubeObject; release: HelmRelease }[] {
  return sim
    .list('Secret', namespace)
    .filter((s) => s.type === HELM_RELEASE_TYPE && s.metadata.labels?.owner === 'helm' && s.metadata.labels?.name === name)
    .map((secret) => ({ secret, release: decodeHelmRelease(secret)! }))
    .sort((a, b) => a.release.version - b.release.version);
}

function releaseSecret(release: HelmRelease): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secretName(release.name, release.version),
      namespace: release.namespace,
      labels: { name: release.name, owner: 'helm', status: String(release.info?.status), version: String(release.version) },
    },
    type: HELM_RELEASE_TYPE,
    data: { release: encodeHelmRelease(release) },
  };
}

const seconds = (t: string | undefined) => {
  if (!t) return 300;
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!m || (!m[1] && !m[2])) throw new Error(`cannot read --timeout ${t}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
};

/** The `helm` command, carried out on a simulated cluster. */
export function helmTool(sim: SimCluster) {
  return (call: ToolCall): ToolResult => {
    const fail = (message: string): ToolResult => ({ exitCode: 1, stdout: '', stderr: `Error: ${message}` });
    const [command, ...rest] = call.args;
    if (command !== 'upgrade' && command !== 'install') return fail(`helm ${command ?? ''} is not simulated (test/lib/sim-helm.ts)`);
    let install = command === 'install';
    let namespace = 'default';
    let wait = false;
    let timeout: string | undefined;
    let createNamespace = false;
    const valueArgs: string[] = [];
    let supplied: Values = {};
    const sets: Values[] = [];
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      const eq = a.startsWith('--') ? a.indexOf('=') : -1;
      const name = eq > 0 ? a.slice(0, eq) : a;
      const take = () => (eq > 0 ? a.slice(eq + 1) : rest[++i]);
      switch (name) {
        case '-i':
        case '--install':
          install = true;
          break;
        case '-n':
        case '--namespace':
          namespace = take();
          break;
        case '--kube-context': {
          const context = take();
          if (context !== platform.context) return fail(`context "${context}" does not exist (the simulated cluster is ${platform.context})`);
          break;
        }
        case '--create-namespace':
          createNamespace = true;
          break;
        case '--wait':
          wait = true;
          break;
        case '--timeout':
          timeout = take();
          break;
        case '--set':
        case '--set-string': {
          const v = take();
          valueArgs.push(name, v);
          sets.push(parseSet(v, name === '--set-string'));
          break;
        }
        case '-f':
        case '--values': {
          const file = take();
          const path = isAbsolute(file) ? file : resolve(call.cwd, file);
          if (!existsSync(path)) return fail(`open ${file}: no such file or directory`);
          valueArgs.push('--values', path);
          supplied = merge(supplied, (parse(readFileSync(path, 'utf8')) as Values) ?? {});
          break;
        }
        default:
          if (a.startsWith('-')) return fail(`the option ${a} is not simulated (test/lib/sim-helm.ts)`);
          positional.push(a);
      }
    }
    for (const s of sets) supplied = merge(supplied, s);
    const [name, chartArg] = positional;
    if (!name || !chartArg) return fail(`"helm ${command}" requires 2 arguments: NAME CHART`);
    const chart = isAbsolute(chartArg) ? chartArg : resolve(call.cwd, chartArg);
    if (!existsSync(join(chart, 'Chart.yaml'))) return fail(`path "${chartArg}" not found`);

    if (!sim.get('Namespace', undefined, namespace)) {
      if (!createNamespace) return fail(`create: failed to create: namespaces "${namespace}" not found`);
      sim.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    const history = storedReleases(sim, namespace, name);
    const last = history[history.length - 1]?.release;
    if (!last && !install) return fail(`UPGRADE FAILED: "${name}" has no deployed releases`);
    const version = (last?.version ?? 0) + 1;

    let manifest: string;
    try {
      manifest = runTool('helm', ['template', name, chart, '--namespace', namespace, ...(last ? ['--is-upgrade'] : []), ...valueArgs]);
    } catch (error) {
      return fail((error as Error).message.replace(/^helm template .*? failed \(\d+\): /s, ''));
    }
    const objects = parseManifests(manifest).filter((o) => o.apiVersion && o.kind);
    const now = new Date(Date.parse(sim.now())).toISOString();
    const chartMeta = parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8'));

    for (const o of objects) {
      o.metadata.namespace ??= namespace;
      const existing = sim.all().find((x) => x.kind === o.kind && x.metadata.name === o.metadata.name && (x.metadata.namespace ?? '') === (o.metadata.namespace ?? ''));
      const owner = existing?.metadata.annotations?.['meta.helm.sh/release-name'];
      if (existing && owner !== name) {
        return fail(
          `${last ? 'UPGRADE' : 'INSTALLATION'} FAILED: rendered manifests contain a resource that already exists. Unable to continue with ${last ? 'update' : 'install'}: ${o.kind} "${o.metadata.name}" in namespace "${o.metadata.namespace}" exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "${name}"`,
        );
      }
      o.metadata.labels = { ...o.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm' };
      o.metadata.annotations = { ...o.metadata.annotations, 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': namespace };
    }
    sim.apply(objects);

    let status = 'deployed';
    let error: string | undefined;
    if (wait) {
      const limit = seconds(timeout);
      const pending = () => objects.filter((o) => o.kind === 'Deployment').map((o) => sim.get('Deployment', o.metadata.namespace, o.metadata.name)!).filter((d) => !rolledOut(d));
      for (let waited = 0; pending().length; waited += 5) {
        if (waited >= limit) {
          status = 'failed';
          error = `${last ? 'UPGRADE' : 'INSTALLATION'} FAILED: context deadline exceeded`;
          break;
        }
        sim.advance(5);
      }
    }

    const release: HelmRelease = {
      name,
      namespace,
      version,
      info: {
        first_deployed: history[0]?.release.info?.first_deployed ?? now,
        last_deployed: now,
        deleted: '',
        description: error ?? (last ? 'Upgrade complete' : 'Install complete'),
        status,
      },
      chart: { metadata: chartMeta, values: parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) ?? {} },
      config: supplied,
      manifest,
    };
    if (status === 'deployed') {
      for (const h of history.filter((x) => x.release.info?.status === 'deployed')) {
        sim.apply(releaseSecret({ ...h.release, info: { ...h.release.info, status: 'superseded' } }));
      }
    }
    sim.apply(releaseSecret(release));
    if (error) return { exitCode: 1, stdout: '', stderr: `Error: ${error}` };
    const stdout = `${last ? `Release "${name}" has been upgraded. Happy Helming!` : ''}\nNAME: ${name}\nLAST DEPLOYED: ${now}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${version}\nTEST SUITE: None`;
    return { exitCode: 0, stdout: stdout.trimStart(), stderr: '' };
  };
}
