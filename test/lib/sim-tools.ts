/**
 * Runs real shell scripts (Jenkins build steps, the labs' solution scripts) against the simulated
 * platform. The script runs as written, with `sh -xe` as Jenkins runs build steps; the tools that
 * reach the platform are small shims on PATH that send their arguments to this process:
 *
 *   kubectl  → the simulated cluster (test/lib/sim-kubectl.ts)
 *   helm     → test/lib/sim-helm.ts (charts rendered by the real helm)
 *   buildah  → test/lib/sim-registry.ts (image builds checked, pushes recorded)
 *   git      → the real git, with the in-cluster Gitea address mapped to the simulated Gitea
 *
 * Everything else (sh, sed, npm, node …) is the real thing. Which tools a script finds depends
 * on the container it runs in, as in the platform's build pod: a tool that is not in that
 * container answers "not found" (exit 127), so a Jenkinsfile that calls kubectl from the node
 * container fails here as it would on the platform.
 */
import { finish } from './cli.js';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export type ToolName = 'kubectl' | 'helm' | 'buildah' | 'git' | 'npm' | 'node';
const SIMULATED: ToolName[] = ['kubectl', 'helm', 'buildah', 'git'];
const ALL: ToolName[] = ['kubectl', 'helm', 'buildah', 'git', 'npm', 'node'];

/**
 * The containers of the platform's build pod (platform.yaml `jenkins.containers`) and the tools
 * each has, plus the learner's machine for the labs' solution scripts.
 *
 * `jnlp` is where the Jenkins agent runs: pipeline steps outside `container(…)` and every step of
 * a freestyle job (freestyle jobs cannot choose a container — kubernetes plugin README, "Using a
 * label"). Git is there for checkouts. npm, buildah and kubectl are there because l1-freestyle's
 * job needs them in the agent's container: a requirement this lab puts on the platform's
 * lab-builder pod template (see docs/level-1/l1-freestyle.md and the issue-4 report).
 */
export const CONTAINERS: Record<string, ToolName[]> = {
  jnlp: ['git', 'npm', 'node', 'buildah', 'kubectl'],
  node: ['npm', 'node'],
  buildah: ['buildah'],
  tools: ['kubectl', 'helm', 'git'],
  host: ['kubectl', 'helm', 'git', 'npm', 'node'],
};

export interface ToolCall {
  tool: ToolName;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stdin: string;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type ToolHandler = (call: ToolCall) => ToolResult;

export interface ScriptResult extends ToolResult {
  calls: (ToolCall & ToolResult)[];
}

const shim = (tool: string) => `#!${process.execPath}
// ${tool} shim for the kit tests: forwards to the test process's simulated platform.
const http = require('node:http');
const args = process.argv.slice(2);
const wantsStdin = ${tool === 'kubectl'} && (args.some((a, i) => (a === '-f' || a === '--filename') && args[i + 1] === '-') || args.includes('--filename=-'));
const chunks = [];
const send = () => {
  const body = JSON.stringify({ tool: ${JSON.stringify(tool)}, args, cwd: process.cwd(), env: process.env, stdin: Buffer.concat(chunks).toString('utf8') });
  const req = http.request(process.env.SIM_TOOLS_URL, { method: 'POST' }, (res) => {
    const out = [];
    res.on('data', (c) => out.push(c));
    res.on('end', () => {
      const r = JSON.parse(Buffer.concat(out).toString('utf8'));
      if (r.stdout) process.stdout.write(r.stdout.endsWith('\\n') ? r.stdout : r.stdout + '\\n');
      if (r.stderr) process.stderr.write(r.stderr.endsWith('\\n') ? r.stderr : r.stderr + '\\n');
      process.exit(r.exitCode);
    });
  });
  req.on('error', (e) => { process.stderr.write('${tool}: simulated platform unreachable: ' + e.message + '\\n'); process.exit(1); });
  req.end(body);
};
if (wantsStdin) { process.stdin.on('data', (c) => chunks.push(c)); process.stdin.on('end', send); } else send();
`;

const missing = (tool: string) => `#!/bin/sh
echo "sh: 1: ${tool}: not found" >&2
exit 127
`;

/** A server the shims talk to, and one bin folder per container. */
export class ToolBox {
  private server?: Server;
  private url = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'cicd-lab-tools-'));
  private calls: (ToolCall & ToolResult)[] = [];

  constructor(private readonly handlers: Partial<Record<ToolName, ToolHandler>>) {
    for (const [container, tools] of Object.entries(CONTAINERS)) {
      const bin = join(this.dir, container);
      mkdirSync(bin);
      for (const tool of ALL) {
        const here = tools.includes(tool);
        if (here && !SIMULATED.includes(tool)) continue; // the real one, from the system PATH
        writeFileSync(join(bin, tool), here ? shim(tool) : missing(tool));
        chmodSync(join(bin, tool), 0o755);
      }
    }
  }

  private async start(): Promise<void> {
    if (this.server) return;
    this.server = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        const call = JSON.parse(Buffer.concat(body).toString('utf8')) as ToolCall;
        const handler = this.handlers[call.tool];
        let result: ToolResult;
        try {
          result = handler ? handler(call) : { exitCode: 127, stdout: '', stderr: `${call.tool}: not simulated` };
        } catch (error) {
          result = { exitCode: 1, stdout: '', stderr: `${call.tool}: ${(error as Error).message}` };
        }
        this.calls.push({ ...call, env: {}, ...result });
        res.end(JSON.stringify(result));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** PATH for a container: its shims first, then the system's tools. */
  path(container: string): string {
    if (!CONTAINERS[container]) throw new Error(`the build pod has no container "${container}" (it has ${Object.keys(CONTAINERS).filter((c) => c !== 'host').join(', ')})`);
    return `${join(this.dir, container)}${delimiter}/usr/local/bin${delimiter}/usr/bin${delimiter}/bin`;
  }

  /**
   * Run an executable (a script file with its shebang) or, with `shell`, a shell snippet as
   * Jenkins' `sh` step and "Execute shell" build step do: `sh -xe` (unless it starts with #!).
   */
  async run(opts: { file?: string; shell?: string; args?: string[]; cwd: string; env: Record<string, string>; container: string }): Promise<ScriptResult> {
    await this.start();
    const first = this.calls.length;
    let command: string;
    let args: string[];
    let scratch: string | undefined;
    if (opts.shell !== undefined) {
      scratch = mkdtempSync(join(tmpdir(), 'cicd-lab-step-'));
      const file = join(scratch, 'script.sh');
      writeFileSync(file, opts.shell);
      chmodSync(file, 0o755);
      [command, args] = opts.shell.startsWith('#!') ? [file, []] : ['/bin/sh', ['-xe', file]];
    } else {
      [command, args] = [opts.file!, opts.args ?? []];
    }
    try {
      const r = await finish(command, args, { cwd: opts.cwd, env: { ...opts.env, PATH: this.path(opts.container), SIM_TOOLS_URL: this.url } });
      return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr, calls: this.calls.slice(first) };
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
