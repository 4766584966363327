/**
 * The real command-line tools the kit tests drive: kubectl (with its built-in kustomize) and
 * helm, taken from PATH — the devcontainer installs them; `.ci/run` puts the official binaries
 * in .ci/bin first. They run with an empty kubeconfig: these tests never talk to a cluster.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../src/paths.js';
import type { KubeObject } from '../../src/snapshot.js';

const ciBin = join(ROOT, '.ci', 'bin');
/** PATH with .ci/bin first, when .ci/run has provisioned it. */
export const toolPath = () => (existsSync(ciBin) ? `${ciBin}${delimiter}${process.env.PATH}` : process.env.PATH!);

export function which(command: string): string | undefined {
  for (const dir of toolPath().split(delimiter)) {
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const offlineEnv = () => ({ ...process.env, PATH: toolPath(), KUBECONFIG: '/dev/null', HELM_CACHE_HOME: join(tmpdir(), 'cicd-lab-helm-cache') });

export function run(command: string, args: string[], input?: string): string {
  const bin = which(command);
  if (!bin) throw new Error(`${command} is not on PATH (the devcontainer installs it; .ci/run provisions it into .ci/bin)`);
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
