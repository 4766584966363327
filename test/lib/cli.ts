/** Run the kit's entry points as a learner would, and capture what they print. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Env for a learner without a cluster: no kubeconfig, no color, English unless set. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', HOME: '/nonexistent', LAB_WAIT: '0' };
  for (const k of ['KUBECONFIG', 'LAB_SNAPSHOT', 'LAB_CONTEXT', 'LAB_LANG', 'LAB_LEARNER', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'CICD_LAB_GRADING', 'NODE_OPTIONS']) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a program to its end and collect what it printed (stdin closed). */
export function finish(command: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const started = Date.now();
  return { ...(await finish(command, args, { cwd: ROOT, env })), ms: Date.now() - started };
}

/** `npm run <script> -- <args>` */
export const npmRun = (script: string, args: string[], env: NodeJS.ProcessEnv) => run('npm', ['run', '-s', script, '--', ...args], env);

/** `node --import tsx <script> <args>`, as the npm scripts run them, without npm in between (faster, same code). */
export const tsx = (script: string, args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], env);
