/**
 * Run a lab's real solution script with `kubectl` backed by a SimCluster.
 *
 * The script runs as written (bash, with its own control flow); the `kubectl` it finds on PATH is
 * a small shim that sends its arguments to this process, which carries them out on the simulated
 * cluster — patches and `set image` through the real kubectl with `--local`, manifests rendered by
 * the real kustomize — and answers with kubectl's exit code and output. Waiting commands (`rollout
 * status`, `wait`) let simulated time pass until the condition holds or the timeout expires.
 *
 * So a test can say "the script switches only after green is ready": break green's image and the
 * same script must stop before the patch.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { RESOURCES, type KindName } from '../../src/kube/resources.js';
import { platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/snapshot.js';
import { deploymentRolloutStatus, revisionOf, rolledOut, type SimCluster } from './sim.js';
import { finish } from './cli.js';
import { kubectlLocal, kustomize, parseManifests, toolPath } from './tools.js';

export interface KubectlCall {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ScriptRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  calls: KubectlCall[];
}

class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const KIND_ALIASES: Record<string, KindName> = {
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  service: 'Service', services: 'Service', svc: 'Service',
  job: 'Job', jobs: 'Job',
  pod: 'Pod', pods: 'Pod', po: 'Pod',
  configmap: 'ConfigMap', configmaps: 'ConfigMap', cm: 'ConfigMap',
  httproute: 'HTTPRoute', httproutes: 'HTTPRoute',
  replicaset: 'ReplicaSet', replicasets: 'ReplicaSet', rs: 'ReplicaSet',
  rollout: 'Rollout', rollouts: 'Rollout', ro: 'Rollout',
  analysistemplate: 'AnalysisTemplate', analysistemplates: 'AnalysisTemplate',
  analysisrun: 'AnalysisRun', analysisruns: 'AnalysisRun', ar: 'AnalysisRun',
  namespace: 'Namespace', namespaces: 'Namespace', ns: 'Namespace',
  application: 'Application', applications: 'Application', app: 'Application',
  appproject: 'AppProject', appprojects: 'AppProject',
  secret: 'Secret', secrets: 'Secret',
};

function kindOf(word: string): KindName {
  const kind = KIND_ALIASES[word.toLowerCase().split('.')[0]];
  if (!kind) throw new KubectlError(`sim-kubectl: unknown resource type "${word}"`);
  return kind;
}

/** `deployment/web` or `deployment web` → [kind, name], consuming positionals. */
function target(positionals: string[]): [KindName, string] {
  const first = positionals.shift() ?? '';
  if (first.includes('/')) {
    const [k, n] = first.split('/');
    return [kindOf(k), n];
  }
  const name = positionals.shift();
  if (!name) throw new KubectlError(`sim-kubectl: no name after "${first}"`);
  return [kindOf(first), name];
}

const seconds = (timeout: string | undefined, fallback: number) => {
  if (!timeout) return fallback;
  const m = /^(\d+)(s|m)?$/.exec(timeout);
  if (!m) throw new KubectlError(`sim-kubectl: cannot read --timeout=${timeout}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
};

/** Parse kubectl's flags: `--flag value`, `--flag=value`, `-n value`; the rest are positionals. */
function parseFlags(args: string[]): { flags: Record<string, string[]>; positionals: string[] } {
  const flags: Record<string, string[]> = {};
  const positionals: string[] = [];
  const valueless = new Set(['--local', '--overwrite', '--all', '--wait', '--server-side', '--force-conflicts', '--watch', '-w', '--ignore-not-found']);
  const short: Record<string, string> = { '-n': '--namespace', '-f': '--filename', '-k': '--kustomize', '-p': '--patch', '-o': '--output', '-l': '--selector' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.includes('=')) {
      const [k, ...v] = a.split('=');
      (flags[k] ??= []).push(v.join('='));
    } else if (valueless.has(a)) (flags[a] ??= []).push('true');
    else if (a.startsWith('-') && a !== '-') {
      const k = short[a] ?? a;
      (flags[k] ??= []).push(args[++i] ?? '');
    } else positionals.push(a);
  }
  return { flags, positionals };
}

/** Carries out one kubectl invocation on the simulated cluster. */
export function execute(sim: SimCluster, args: string[], stdin: string, cwd: string): string {
  const { flags, positionals } = parseFlags(args);
  const context = flags['--context']?.[0];
  if (context && context !== platform.context) throw new KubectlError(`sim-kubectl: the simulated cluster is ${platform.context}, not ${context}`);
  const namespace = flags['--namespace']?.[0] ?? 'default';
  const verb = positionals.shift();
  const read = (f: string) => (f === '-' ? stdin : readFileSync(isAbsolute(f) ? f : resolve(cwd, f), 'utf8'));
  const files = (f: string): KubeObject[] => {
    const path = f === '-' ? f : isAbsolute(f) ? f : resolve(cwd, f);
    if (path !== '-' && statSync(path).isDirectory()) {
      return readdirSync(path).filter((n) => /\.(ya?ml|json)$/.test(n)).sort().flatMap((n) => parseManifests(readFileSync(join(path, n), 'utf8')));
    }
    return parseManifests(read(f));
  };
  switch (verb) {
    case 'apply':
    case 'create': {
      const objects = [...(flags['--filename'] ?? []).flatMap(files), ...(flags['--kustomize'] ?? []).flatMap((d) => kustomize(isAbsolute(d) ? d : resolve(cwd, d)))];
      if (!objects.length) throw new KubectlError('error: must specify one of -f and -k');
      sim.apply(objects, { namespace });
      return objects.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name} configured`).join('\n');
    }
    case 'patch': {
      const [kind, name] = target(positionals);
      const current = sim.get(kind, namespace, name);
      if (!current) throw new KubectlError(`Error from server (NotFound): ${RESOURCES[kind].plural} "${name}" not found`);
      const patch = flags['--patch']?.[0] ?? (flags['--patch-file'] ? read(flags['--patch-file'][0]) : undefined);
      if (!patch) throw new KubectlError('error: must specify --patch or --patch-file');
      const type = flags['--type']?.[0] ?? 'strategic';
      sim.apply(kubectlLocal(current, ['patch', '--type', type, '--patch', patch]));
      return `${kind.toLowerCase()}/${name} patched`;
    }
    case 'set': {
      const what = positionals.shift();
      if (what !== 'image') throw new KubectlError(`sim-kubectl: "set ${what}" is not simulated`);
      const [kind, name] = target(positionals);
      const current = sim.get(kind, namespace, name);
      if (!current) throw new KubectlError(`Error from server (NotFound): ${RESOURCES[kind].plural} "${name}" not found`);
      sim.apply(kubectlLocal(current, ['set', 'image', ...positionals]));
      return `${kind.toLowerCase()}/${name} image updated`;
    }
    case 'scale': {
      const [kind, name] = target(positionals);
      const replicas = Number(flags['--replicas']?.[0]);
      if (!sim.get(kind, namespace, name)) throw new KubectlError(`Error from server (NotFound): ${RESOURCES[kind].plural} "${name}" not found`);
      sim.edit(kind, namespace, name, (o) => void (o.spec.replicas = replicas));
      return `${kind.toLowerCase()}/${name} scaled`;
    }
    case 'delete': {
      const [kind, name] = target(positionals);
      sim.delete(kind, namespace, name);
      return `${kind.toLowerCase()} "${name}" deleted`;
    }
    case 'rollout': {
      const sub = positionals.shift();
      if (sub === 'undo' || sub === 'history') {
        const [kind, name] = target(positionals);
        const d = sim.get(kind, namespace, name);
        if (!d) throw new KubectlError(`Error from server (NotFound): ${RESOURCES[kind].plural} "${name}" not found`);
        if (kind !== 'Deployment') throw new KubectlError(`sim-kubectl: "rollout ${sub}" is simulated for Deployments only`);
        return sub === 'undo' ? rolloutUndo(sim, d, Number(flags['--to-revision']?.[0] ?? 0)) : rolloutHistory(sim, d, Number(flags['--revision']?.[0] ?? 0));
      }
      if (sub !== 'status') throw new KubectlError(`sim-kubectl: "rollout ${sub}" is not simulated`);
      const [kind, name] = target(positionals);
      const limit = seconds(flags['--timeout']?.[0], 600);
      for (let waited = 0; ; waited += 5) {
        const o = sim.get(kind, namespace, name);
        if (!o) throw new KubectlError(`Error from server (NotFound): ${RESOURCES[kind].plural} "${name}" not found`);
        if (kind === 'Deployment') {
          const status = deploymentRolloutStatus(o);
          if (status.error) throw new KubectlError(status.error);
          if (status.done) return `deployment "${name}" successfully rolled out`;
        } else if (rolledOut(o)) return `${kind.toLowerCase()} "${name}" successfully rolled out`;
        if (waited >= limit) throw new KubectlError(`error: timed out waiting for the condition`);
        sim.advance(5);
      }
    }
    case 'wait': {
      // --for=condition=<type>, or --for=jsonpath={.a.b}=<value> (kubectl wait compares the value as text).
      const condition = /^condition=(\w+)$/i.exec(flags['--for']?.[0] ?? '');
      const jsonpath = /^jsonpath=\{(\.[\w.]+)\}=(.*)$/.exec(flags['--for']?.[0] ?? '');
      if (!condition && !jsonpath) throw new KubectlError(`sim-kubectl: only --for=condition=<type> and --for=jsonpath={.a.b}=<value> are simulated`);
      const [kind, name] = target(positionals);
      const limit = seconds(flags['--timeout']?.[0], 30);
      const met = (o: KubeObject | undefined) => {
        if (!o) return false;
        if (condition) return Boolean(o.status?.conditions?.some((c: any) => c.type.toLowerCase() === condition[1].toLowerCase() && c.status === 'True'));
        const value = jsonpath![1].split('.').slice(1).reduce((v: any, k) => v?.[k], o);
        return value !== undefined && value !== null && String(value) === jsonpath![2];
      };
      for (let waited = 0; ; waited += 5) {
        const o = sim.get(kind, namespace, name);
        if (met(o)) return `${kind.toLowerCase()}/${name} condition met`;
        if (waited >= limit) throw new KubectlError(`error: timed out waiting for the condition on ${RESOURCES[kind].plural}/${name}`);
        sim.advance(5);
      }
    }
    case 'get': {
      // A list: `get pods --selector app=shop --output name` (kubectl prints kind/name lines).
      const selector = flags['--selector']?.[0];
      if (selector !== undefined || (positionals.length === 1 && !positionals[0].includes('/'))) {
        const kind = kindOf(positionals.shift() ?? '');
        const wanted = Object.fromEntries((selector ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
        const items = sim.list(kind, RESOURCES[kind].namespaced ? namespace : undefined).filter((o) => Object.entries(wanted).every(([k, v]) => o.metadata.labels?.[k] === v));
        const output = flags['--output']?.[0] ?? '';
        if (output === 'name') return items.map((o) => `${kind.toLowerCase()}/${o.metadata.name}`).join('\n');
        if (output === 'json') return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
        return items.map((o) => o.metadata.name).join('\n');
      }
      const [kind, name] = target(positionals);
      const o = sim.get(kind, namespace, name);
      if (!o) throw new KubectlError(`Error from server (NotFound): ${RESOURCES[kind].plural} "${name}" not found`);
      const output = flags['--output']?.[0] ?? '';
      const jsonpath = /^jsonpath=\{(\.[\w.]+)\}$/.exec(output);
      if (jsonpath) {
        const value = jsonpath[1].split('.').slice(1).reduce((v: any, k) => v?.[k], o);
        return typeof value === 'object' ? JSON.stringify(value) : String(value ?? '');
      }
      if (output === 'json') return JSON.stringify(o, null, 2);
      return `${o.metadata.name}`;
    }
    default:
      throw new KubectlError(`sim-kubectl: "${verb}" is not simulated`);
  }
}

/**
 * `kubectl rollout undo deployment/<name> [--to-revision=N]` (kubectl pkg/polymorphichelpers/
 * rollback.go DeploymentRollbacker): the Pod template of the ReplicaSet at that revision — by
 * default the one before the current, the second highest — without its pod-template-hash label,
 * written back into the Deployment. The Deployment controller then revives that ReplicaSet under a
 * new revision (test/lib/sim.ts). A paused Deployment, or a template that already matches, is
 * refused or skipped as kubectl does.
 */
function rolloutUndo(sim: SimCluster, d: KubeObject, toRevision: number): string {
  const name = d.metadata.name;
  if (d.spec.paused) throw new KubectlError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  const sets = sim.owned('ReplicaSet', d).sort((a, b) => revisionOf(b) - revisionOf(a));
  if (!sets.length) throw new KubectlError(`error: no rollout history found for deployment "${name}"`);
  const wanted = toRevision ? sets.find((rs) => revisionOf(rs) === toRevision) : sets[1];
  if (!wanted) throw new KubectlError(toRevision ? `error: unable to find specified revision ${toRevision} in history` : `error: no revision found for deployment "${name}"`);
  const template = structuredClone(wanted.spec.template);
  delete template.metadata.labels['pod-template-hash'];
  if (JSON.stringify(template) === JSON.stringify(d.spec.template)) return `deployment.apps/${name} skipped rollback (current template already matches revision ${revisionOf(wanted)})`;
  sim.edit('Deployment', d.metadata.namespace, name, (o) => void (o.spec.template = template));
  return `deployment.apps/${name} rolled back`;
}

/**
 * `kubectl rollout history deployment/<name> [--revision=N]` (kubectl pkg/polymorphichelpers/
 * history.go DeploymentHistoryViewer): each ReplicaSet's revision with its change-cause
 * annotation; with --revision, that revision's Pod template (here its labels, images and env).
 */
function rolloutHistory(sim: SimCluster, d: KubeObject, revision: number): string {
  const sets = sim.owned('ReplicaSet', d).sort((a, b) => revisionOf(a) - revisionOf(b));
  if (revision) {
    const rs = sets.find((r) => revisionOf(r) === revision);
    if (!rs) throw new KubectlError(`error: unable to find the specified revision`);
    const t = rs.spec.template;
    const labels = Object.entries(t.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    const containers = (t.spec?.containers ?? []).flatMap((c: any) => [
      `   ${c.name}:`,
      `    Image:\t${c.image}`,
      ...(c.env?.length ? ['    Environment:', ...c.env.map((e: any) => `      ${e.name}:\t${e.value ?? '(from a reference)'}`)] : []),
    ]);
    return [`deployment.apps/${d.metadata.name} with revision #${revision}`, 'Pod Template:', `  Labels:\t${labels.join('\n\t')}`, '  Containers:', ...containers, ''].join('\n');
  }
  const rows = sets.map((rs) => `${String(revisionOf(rs)).padEnd(10)}${rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>'}`);
  return [`deployment.apps/${d.metadata.name} `, 'REVISION  CHANGE-CAUSE', ...rows, ''].join('\n');
}

const SHIM = `#!/usr/bin/env node
// kubectl shim for the kit tests: forwards to the test process's simulated cluster.
const http = require('node:http');
const args = process.argv.slice(2);
const wantsStdin = args.some((a, i) => (a === '-f' || a === '--filename') && args[i + 1] === '-') || args.includes('--filename=-');
const chunks = [];
const send = () => {
  const body = JSON.stringify({ args, stdin: Buffer.concat(chunks).toString('utf8'), cwd: process.cwd() });
  const req = http.request(process.env.SIM_KUBECTL_URL, { method: 'POST' }, (res) => {
    const out = [];
    res.on('data', (c) => out.push(c));
    res.on('end', () => {
      const r = JSON.parse(Buffer.concat(out).toString('utf8'));
      if (r.stdout) process.stdout.write(r.stdout + '\\n');
      if (r.stderr) process.stderr.write(r.stderr + '\\n');
      process.exit(r.exitCode);
    });
  });
  req.end(body);
};
if (wantsStdin) { process.stdin.on('data', (c) => chunks.push(c)); process.stdin.on('end', send); } else send();
`;

/** Run a script (its real file) with PATH's kubectl replaced by the simulated cluster's. */
export async function runWithSimKubectl(sim: SimCluster, script: string, args: string[] = [], env: Record<string, string> = {}): Promise<ScriptRun> {
  if (!existsSync(script)) throw new Error(`no script ${script}`);
  const calls: KubectlCall[] = [];
  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const { args: callArgs, stdin, cwd } = JSON.parse(Buffer.concat(body).toString('utf8'));
      const call: KubectlCall = { args: callArgs, exitCode: 0, stdout: '', stderr: '' };
      try {
        call.stdout = execute(sim, callArgs, stdin, cwd);
      } catch (error) {
        call.exitCode = error instanceof KubectlError ? error.exitCode : 1;
        call.stderr = (error as Error).message;
      }
      calls.push(call);
      res.end(JSON.stringify(call));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-shim-'));
  writeFileSync(join(dir, 'kubectl'), SHIM);
  chmodSync(join(dir, 'kubectl'), 0o755);
  try {
    const { port } = server.address() as AddressInfo;
    const r = await finish(script, args, { env: { ...process.env, ...env, PATH: `${dir}${delimiter}${toolPath()}`, SIM_KUBECTL_URL: `http://127.0.0.1:${port}/` } });
    return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr, calls };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
