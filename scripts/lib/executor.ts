/**
 * The live StepExecutor: carries a lab's lifecycle steps (src/lifecycle.ts) out on the real platform.
 *
 *   apply         kubectl --context <lab context> apply --server-side --force-conflicts, field
 *                 manager cicd-lab-labs (scripts/lib/platform.ts FIELD_MANAGERS: not up's)
 *                 (-k for a folder with a kustomization.yaml, -f otherwise; a folder without one is
 *                 applied file by file, as `kubectl apply -f <dir>` does)
 *   run           the script itself (its shebang), from the repository root, with LAB_CONTEXT set and
 *                 the user's PATH (the kubectl and helm `npm run tools` installs); fails with its
 *                 output on a non-zero exit
 *   git-push      commits the mapped files to the Gitea repository's main through the Gitea API
 *                 (scripts/lib/gitea.ts); no commit when nothing changed
 *   jenkins-job   creates or updates the job from its config.xml (scripts/lib/jenkins.ts)
 *   jenkins-build triggers a build, follows it to its end, fails unless SUCCESS, prints the console URL
 *
 * Endpoints and logins are those the graders use (src/collect/index.ts `endpoints`: JENKINS_URL,
 * GITEA_URL and LAB_GATEWAY_PORT override them; the logins come from .lab/credentials.json).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { endpoints } from '../../src/collect/index.js';
import { LabError } from '../../src/errors.js';
import { L } from '../../src/i18n.js';
import type { StepExecutor } from '../../src/lifecycle.js';
import { ROOT } from '../../src/paths.js';
import { readCredentials } from '../../src/platform.js';
import { liveRunner, shellLine, type Cmd, type Runner } from './exec.js';
import { collectFiles, GiteaClient } from './gitea.js';
import { FIELD_MANAGERS } from './platform.js';
import { JenkinsClient } from './jenkins.js';

export interface LiveExecutorOptions {
  /** The kube context every kubectl call names (already checked by resolveTarget). */
  context: string;
  runner?: Runner;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** How long one Jenkins build may take, and how often to look at it. */
  buildTimeoutMs?: number;
  pollIntervalMs?: number;
}

/**
 * The kubectl command that applies a path of the repository: a lab's step (field manager
 * cicd-lab-labs), or, for `lab reset`, the platform's own file (the manager `up` applies it with).
 */
export function applyCommand(path: string, context: string, root = ROOT, manager: string = FIELD_MANAGERS.labs): Cmd {
  const full = join(root, path);
  if (!existsSync(full)) throw new LabError(L(`적용할 경로가 없습니다: ${path}`, `Nothing to apply: ${path} does not exist`));
  const kustomized = statSync(full).isDirectory() && existsSync(join(full, 'kustomization.yaml'));
  return { cmd: 'kubectl', args: ['--context', context, 'apply', '--server-side', '--force-conflicts', '--field-manager', manager, kustomized ? '-k' : '-f', path] };
}

export class LiveExecutor implements StepExecutor {
  private readonly runner: Runner;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;

  constructor(private readonly options: LiveExecutorOptions) {
    this.runner = options.runner ?? liveRunner;
    this.env = options.env ?? process.env;
    this.log = options.log ?? ((line) => console.log(line));
  }

  private async exec(c: Cmd, what: string): Promise<string> {
    const r = await this.runner(c);
    if (r.code !== 0) {
      throw new LabError(L(
        `${what} 실패 (${shellLine(c)}, 종료 코드 ${r.code}):\n${(r.stderr || r.stdout).trim()}`,
        `${what} failed (${shellLine(c)}, exit ${r.code}):\n${(r.stderr || r.stdout).trim()}`,
      ), 1);
    }
    return r.stdout;
  }

  async apply(path: string): Promise<void> {
    const out = await this.exec(applyCommand(path, this.options.context), `kubectl apply ${path}`);
    for (const line of out.trim().split('\n').filter(Boolean)) this.log(`  ${line}`);
  }

  async run(script: string, args: string[], env: Record<string, string>): Promise<void> {
    const full = join(ROOT, script);
    if (!existsSync(full)) throw new LabError(L(`실행할 스크립트가 없습니다: ${script}`, `The script ${script} does not exist`));
    const out = await this.exec({ cmd: full, args, env: { ...env, LAB_CONTEXT: this.options.context } }, script);
    for (const line of out.trim().split('\n').filter(Boolean)) this.log(`  ${line}`);
  }

  private gitea(): GiteaClient {
    const ep = endpoints(this.env);
    const login = readCredentials().gitea;
    if (!login) throw missingLogin('Gitea');
    return new GiteaClient(ep.gitea.url, login);
  }

  private jenkins(): JenkinsClient {
    const ep = endpoints(this.env);
    const login = readCredentials().jenkins;
    if (!login) throw missingLogin('Jenkins');
    return new JenkinsClient(ep.jenkins.url, login);
  }

  async gitPush(repo: string, files: Record<string, string>, message: string): Promise<void> {
    const { files: content, folders } = collectFiles(ROOT, files);
    const changes = await this.gitea().commitFiles(repo, 'main', content, folders, message);
    if (changes.length === 0) this.log(`  ${repo}: ${Object.keys(files).join(', ')} already up to date (no commit)`);
    else for (const c of changes) this.log(`  ${repo}: ${c.operation} ${c.path}`);
  }

  async jenkinsJob(name: string, config: string): Promise<void> {
    const xml = readFileSync(join(ROOT, config), 'utf8');
    const outcome = await this.jenkins().upsertJob(name, xml);
    this.log(`  job ${name}: ${outcome}`);
  }

  async jenkinsBuild(job: string): Promise<void> {
    const result = await this.jenkins().build(job, { timeoutMs: this.options.buildTimeoutMs, intervalMs: this.options.pollIntervalMs, log: (line) => this.log(`  ${line}`) });
    this.log(`  ${job} #${result.number}: ${result.result} (${result.consoleUrl})`);
  }
}

function missingLogin(what: string): LabError {
  return new LabError(L(
    `${what} 로그인이 .lab/credentials.json에 없습니다. 먼저 \`npm run up\`으로 플랫폼을 만드세요.`,
    `There is no ${what} login in .lab/credentials.json. Build the platform first with \`npm run up\`.`,
  ));
}
