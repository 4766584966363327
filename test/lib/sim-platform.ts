/**
 * The whole lab platform, simulated for the kit tests of the Jenkins, Helm and Argo CD labs: a
 * SimCluster (with the simulated Argo CD controller and image pulls checked against the
 * registry), a SimGitea seeded from labs/app, a SimRegistry seeded with the hello-app versions `up` pushes, and a
 * SimJenkins whose builds run the real build steps with the tools of test/lib/sim-tools.ts.
 *
 * `executor()` carries the labs' lifecycle steps out on it (pass it to `started`/`solved` of
 * test/lib/lab-states.ts), and `snapshot()` collects what the graders need, in the shapes the
 * live collector saves (test/lib/lab-states.ts collectedObjects: only the kinds the graders' needs
 * declare, Secrets redacted as src/collect/kubernetes.ts redacts them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabResult } from '../../src/checks.js';
import type { StepExecutor } from '../../src/lifecycle.js';
import { mergeNeeds } from '../../src/needs.js';
import type { Grader } from '../../src/engine.js';
import { ROOT } from '../../src/paths.js';
import type { Snapshot } from '../../src/snapshot.js';
import { collectedObjects, grade, platformSim, simulatedProbes, solved, started } from './lab-states.js';
import { SimCluster } from './sim.js';
import { ARGOCD_NAMESPACE, argocdConfigMap, attachArgoCd, rebindArgoCd } from './sim-argocd.js';
import { GITEA_LOGIN, SimGitea } from './sim-gitea.js';
import { helmTool } from './sim-helm.js';
import { SimJenkins, type SimBuild } from './sim-jenkins.js';
import { execute } from './sim-kubectl.js';
import { SimRegistry } from './sim-registry.js';
import { ToolBox, type ToolCall, type ToolResult } from './sim-tools.js';

/** The real git (the shims' PATH would find the shim itself). */
const REAL_GIT = ['/usr/bin/git', '/bin/git', '/usr/local/bin/git'].find(existsSync) ?? 'git';

/** `git` with the in-cluster Gitea address mapped to the simulated Gitea; pushes need the lab login. */
export function gitTool(gitea: () => SimGitea) {
  return (call: ToolCall): ToolResult => {
    const args = [...call.args];
    const global: string[] = [];
    let cwd = call.cwd;
    while (args[0]?.startsWith('-')) {
      const a = args.shift()!;
      if (a === '-c') global.push(a, args.shift()!);
      else if (a === '-C') cwd = join(cwd, args.shift()!);
      else return { exitCode: 129, stdout: '', stderr: `git ${a}: not simulated (test/lib/sim-platform.ts)` };
    }
    const real = (extra: string[] = []) => {
      const r = spawnSync(REAL_GIT, [...extra, ...global, ...args], { cwd, env: { ...call.env, GIT_TERMINAL_PROMPT: '0' }, encoding: 'utf8' });
      return { exitCode: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
    };
    const sub = args[0];
    if (!['clone', 'fetch', 'pull', 'push', 'ls-remote'].includes(sub)) return real();
    const positional = args.slice(1).filter((a) => !a.startsWith('-'));
    let url = positional[0] ?? 'origin';
    if (!/^[a-z]+:\/\//.test(url)) {
      const r = spawnSync(REAL_GIT, ['remote', 'get-url', url], { cwd, env: call.env, encoding: 'utf8' });
      if (r.status !== 0) return { exitCode: 128, stdout: '', stderr: `fatal: '${url}' does not appear to be a git repository` };
      url = r.stdout.trim();
    }
    const target = SimGitea.repoOf(url);
    const shown = url.replace(/\/\/[^@/]*@/, '//');
    if (!target) return { exitCode: 128, stdout: '', stderr: `fatal: unable to access '${shown}': Could not resolve host: ${new URL(url).host}` };
    if (!gitea().has(target.repo)) return { exitCode: 128, stdout: '', stderr: `remote: Not found.\nfatal: repository '${shown}' not found` };
    if (sub === 'push' && target.user === undefined) {
      return { exitCode: 128, stdout: '', stderr: `fatal: could not read Username for '${new URL(url).origin}': No such device or address` };
    }
    if (target.user !== undefined && (target.user !== GITEA_LOGIN.user || target.password !== GITEA_LOGIN.password)) {
      return { exitCode: 128, stdout: '', stderr: `remote: Unauthorized\nfatal: Authentication failed for '${shown}'` };
    }
    return real(['-c', `url.${gitea().bare(target.repo)}.insteadOf=${url}`]);
  };
}

export class SimPlatform {
  private toolbox?: ToolBox;

  private constructor(
    readonly cluster: SimCluster,
    readonly gitea: SimGitea,
    readonly registry: SimRegistry,
    readonly jenkins: SimJenkins,
  ) {}

  private static wire(cluster: SimCluster, gitea: SimGitea, registry: SimRegistry, jenkins?: SimJenkins): SimPlatform {
    cluster.setImagePolicy((image) => registry.pullable(image));
    let self!: SimPlatform;
    const deps = { cluster: () => self.cluster, gitea: () => self.gitea, tools: () => self.tools() };
    self = new SimPlatform(cluster, gitea, registry, jenkins ? jenkins.fork(deps) : new SimJenkins(deps));
    return self;
  }

  /** The platform right after `npm run up`. */
  static create(): SimPlatform {
    const gitea = SimGitea.seeded();
    const cluster = attachArgoCd(platformSim(), gitea);
    // Argo CD installs its `default` project, which allows everything (docs: user-guide/projects).
    cluster.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: ARGOCD_NAMESPACE },
      spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
    });
    // Its settings, as the chart installs them with the platform's values.
    cluster.apply(argocdConfigMap());
    return SimPlatform.wire(cluster, gitea, SimRegistry.seeded());
  }

  /** An independent copy: cluster, Gitea, registry and Jenkins. */
  fork(): SimPlatform {
    const cluster = this.cluster.fork();
    const gitea = this.gitea.fork();
    rebindArgoCd(cluster, gitea);
    return SimPlatform.wire(cluster, gitea, this.registry.fork(), this.jenkins);
  }

  tools(): ToolBox {
    return (this.toolbox ??= new ToolBox({
      kubectl: (call) => {
        try {
          return { exitCode: 0, stdout: execute(this.cluster, call.args, call.stdin, call.cwd), stderr: '' };
        } catch (error) {
          return { exitCode: (error as { exitCode?: number }).exitCode ?? 1, stdout: '', stderr: (error as Error).message };
        }
      },
      helm: helmTool(this.cluster),
      buildah: this.registry.buildahTool,
      git: gitTool(() => this.gitea),
    }));
  }

  /** Run a script of this repository on the learner's machine (the `run` step). */
  async run(script: string, args: string[] = [], env: Record<string, string> = {}) {
    return this.tools().run({ file: join(ROOT, script), args, cwd: ROOT, env: { HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env }, container: 'host' });
  }

  /** A Jenkins build that must succeed (the `jenkins-build` step). */
  async mustBuild(job: string): Promise<SimBuild> {
    const build = await this.jenkins.build(job);
    if (build.result !== 'SUCCESS') {
      // The end of the log, and where a test run in the build says what failed (TAP's "not ok").
      const lines = build.log.split('\n');
      const failed = lines.findIndex((l) => /^\s*not ok\b/.test(l));
      const where = failed >= 0 && failed < lines.length - 40 ? `${lines.slice(Math.max(0, failed - 5), failed + 40).join('\n')}\n…\n` : '';
      throw new Error(`Jenkins build ${job} #${build.number} ended ${build.result}:\n${where}${lines.slice(-40).join('\n')}`);
    }
    return build;
  }

  /** The lifecycle steps that need Jenkins, Gitea or the platform's tools (see src/lifecycle.ts). */
  executor(): Partial<StepExecutor> {
    return {
      run: async (script, args, env) => {
        const r = await this.run(script, args, env);
        if (r.exitCode !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.exitCode}:\n${r.stderr}\n${r.stdout}`);
      },
      gitPush: async (repo, files, message) => void this.gitea.push(repo, files, message),
      jenkinsJob: async (name, config) => this.jenkins.putJob(name, SimJenkins.configFile(config)),
      jenkinsBuild: async (job) => void (await this.mustBuild(job)),
    };
  }

  /** `npm run lab -- start <lab>` on this platform. */
  async start(labId: string): Promise<this> {
    await started(labId, this.cluster, this.executor());
    return this;
  }

  /** `start`, a minute, then `solve` (test/lib/lab-states.ts), for each lab in turn. */
  async solve(...labIds: string[]): Promise<this> {
    for (const id of labIds) await solved(id, this.cluster, this.executor());
    return this;
  }

  /** Grade one lab on what the collector would read now. */
  grade(grader: Grader): LabResult {
    return grade(grader, this.snapshot([grader]));
  }

  /** What the collector would save for these graders (ARCHITECTURE.md#grading). */
  snapshot(graders: Grader[]): Snapshot {
    const needs = mergeNeeds(graders.map((g) => g.needs));
    const snapshot = this.cluster.snapshot({ probes: simulatedProbes(this.cluster, graders) });
    snapshot.kubernetes = collectedObjects(snapshot.kubernetes ?? [], graders);
    if (!Object.keys(snapshot.probes ?? {}).length) delete snapshot.probes;
    if (needs.jenkins.length) {
      snapshot.jenkins = { jobs: Object.fromEntries(needs.jenkins.flatMap((name) => (this.jenkins.record(name) ? [[name, this.jenkins.record(name)!]] : []))) };
    }
    if (needs.registry.length) snapshot.registry = { repositories: Object.fromEntries(needs.registry.map((r) => [r, this.registry.tags(r)])) };
    if (needs.git.length) snapshot.git = { repositories: Object.fromEntries(needs.git.filter((r) => this.gitea.has(r)).map((r) => [r, { branches: this.gitea.branches(r) }])) };
    return snapshot;
  }

  async dispose(): Promise<void> {
    await this.toolbox?.close();
    this.gitea.dispose();
  }
}
