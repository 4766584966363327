/**
 * A simulated Gitea for the kit tests: each repository is a real bare git repository in a
 * temporary folder, so commits, shas, branches, "nothing to commit" and non-fast-forward pushes
 * behave as git does. What is simulated is only Gitea itself: its in-cluster address
 * (platform.yaml `gitea.inCluster`) maps to those folders, and pushes need the lab user's login
 * (reads do not: whether lab/hello-app is public is the platform's choice; Jenkins and Argo CD
 * are given the login either way).
 *
 * The repository `lab/hello-app` starts as `npm run up` seeds it: the files of labs/app.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.js';
import { platform } from '../../src/platform.js';

export const LAB_REPO = `${platform.gitea.org}/${platform.gitea.repo}`;

/** The login the platform creates for the learner and stores in Jenkins as credential `gitea`. */
export const GITEA_LOGIN = { user: 'lab', password: 'sim-gitea-password' };

/** Git with a fixed identity and no user or system configuration. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH!,
        HOME: cwd,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'lab',
        GIT_AUTHOR_EMAIL: 'lab@cicd-lab.local',
        GIT_COMMITTER_NAME: 'lab',
        GIT_COMMITTER_EMAIL: 'lab@cicd-lab.local',
        ...env,
      },
    }).trim();
  } catch (error) {
    const e = error as { stderr?: string; status?: number };
    throw new Error(`git ${args.join(' ')} failed (${e.status}): ${e.stderr ?? ''}`);
  }
}

/** Copy a folder's files (not node_modules or .git) over a target folder. */
function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !/(^|\/)(node_modules|\.git)(\/|$)/.test(src.slice(from.length)) });
}

export class SimGitea {
  readonly root: string;

  constructor(root?: string) {
    this.root = root ?? mkdtempSync(join(tmpdir(), 'cicd-lab-gitea-'));
  }

  /** The platform's Gitea right after `npm run up`: lab/hello-app holds labs/app. */
  static seeded(): SimGitea {
    const gitea = new SimGitea();
    gitea.create(LAB_REPO, join(ROOT, 'labs', 'app'), 'Initial commit: hello-app');
    return gitea;
  }

  /** An independent copy (for mutations). */
  fork(): SimGitea {
    const copy = new SimGitea();
    cpSync(this.root, copy.root, { recursive: true });
    return copy;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** The bare repository's folder. */
  bare(repo: string): string {
    return join(this.root, `${repo}.git`);
  }

  has(repo: string): boolean {
    return existsSync(this.bare(repo));
  }

  /** The in-cluster URL of a repository, as Jenkins and Argo CD use it. */
  static url(repo: string): string {
    return `${platform.gitea.inCluster}/${repo}.git`;
  }

  /** The repository an in-cluster URL points to (`lab/hello-app`), or undefined for other hosts. */
  static repoOf(url: string): { repo: string; user?: string; password?: string } | undefined {
    const base = new URL(platform.gitea.inCluster);
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    if (u.protocol !== base.protocol || u.host !== base.host) return undefined;
    const repo = decodeURIComponent(u.pathname).replace(/^\/+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
    return { repo, user: u.username ? decodeURIComponent(u.username) : undefined, password: u.password ? decodeURIComponent(u.password) : undefined };
  }

  create(repo: string, from: string, message: string): void {
    mkdirSync(this.bare(repo), { recursive: true });
    git(this.bare(repo), ['init', '--bare', '--initial-branch=main', '-q']);
    const work = mkdtempSync(join(tmpdir(), 'cicd-lab-seed-'));
    try {
      git(work, ['init', '--initial-branch=main', '-q']);
      copyTree(from, work);
      git(work, ['add', '-A']);
      git(work, ['commit', '-q', '-m', message]);
      git(work, ['push', '-q', this.bare(repo), 'HEAD:main']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /**
   * The `git-push` lifecycle step: files maps a path in the repository to a file or folder of
   * this repository; each is copied over what the repository has there (files not in the source
   * stay), then one commit is pushed to main. When nothing changes, no commit is made.
   */
  push(repo: string, files: Record<string, string>, message: string): string | undefined {
    return this.commit(repo, message, (work) => {
      for (const [target, source] of Object.entries(files)) {
        const from = join(ROOT, source);
        if (!existsSync(from)) throw new Error(`git-push: ${source} does not exist`);
        const to = join(work, target);
        if (statSync(from).isDirectory()) {
          mkdirSync(to, { recursive: true });
          copyTree(from, to);
        } else {
          mkdirSync(join(to, '..'), { recursive: true });
          cpSync(from, to);
        }
      }
    });
  }

  /** A learner's commit of new file contents (path → text; null deletes), pushed to main. */
  write(repo: string, files: Record<string, string | null>, message: string): string | undefined {
    return this.commit(repo, message, (work) => {
      for (const [path, text] of Object.entries(files)) {
        const to = join(work, path);
        if (text === null) rmSync(to, { recursive: true, force: true });
        else {
          mkdirSync(join(to, '..'), { recursive: true });
          writeFileSync(to, text);
        }
      }
    });
  }

  private commit(repo: string, message: string, change: (work: string) => void): string | undefined {
    if (!this.has(repo)) throw new Error(`simulated Gitea has no repository ${repo}`);
    const work = mkdtempSync(join(tmpdir(), 'cicd-lab-push-'));
    try {
      git(work, ['clone', '-q', this.bare(repo), '.']);
      change(work);
      git(work, ['add', '-A']);
      if (!git(work, ['status', '--porcelain'])) return undefined;
      git(work, ['commit', '-q', '-m', message]);
      git(work, ['push', '-q', 'origin', 'HEAD:main']);
      return git(work, ['rev-parse', 'HEAD']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** The commit a branch, a sha or `HEAD` names; undefined when it names none. */
  resolve(repo: string, revision: string): string | undefined {
    try {
      return git(this.bare(repo), ['rev-parse', '--verify', '-q', `${revision}^{commit}`]);
    } catch {
      return undefined;
    }
  }

  head(repo: string, branch = 'main'): string {
    const sha = this.resolve(repo, `refs/heads/${branch}`);
    if (!sha) throw new Error(`simulated Gitea: ${repo} has no branch ${branch}`);
    return sha;
  }

  /** Every branch and its commit: what the Gitea collector reads (GET /repos/{owner}/{repo}/branches). */
  branches(repo: string): Record<string, string> {
    const out: Record<string, string> = {};
    const lines = git(this.bare(repo), ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads']);
    for (const line of lines.split('\n').filter(Boolean)) {
      const [name, sha] = line.split(' ');
      out[name] = sha;
    }
    return out;
  }

  /** The text of a file at a revision, or undefined. */
  read(repo: string, revision: string, path: string): string | undefined {
    try {
      return git(this.bare(repo), ['show', `${revision}:${path}`]);
    } catch {
      return undefined;
    }
  }

  /** Write the tree of a revision into a new folder (what Argo CD's repo server checks out). */
  checkout(repo: string, revision: string, into = mkdtempSync(join(tmpdir(), 'cicd-lab-tree-'))): string {
    const sha = this.resolve(repo, revision);
    if (!sha) throw new Error(`simulated Gitea: ${repo} has no revision ${revision}`);
    execFileSync('sh', ['-c', `git --git-dir="$1" archive "$2" | tar -x -C "$3"`, 'sh', this.bare(repo), sha, into]);
    return into;
  }

  /** The subjects of the commits on main, newest first (`git log --format=%s`). */
  log(repo: string, branch = 'main'): string[] {
    return git(this.bare(repo), ['log', '--format=%s', `refs/heads/${branch}`]).split('\n').filter(Boolean);
  }

  /** The names of the repositories (owner/name). */
  repositories(): string[] {
    return readdirSync(this.root).flatMap((owner) => readdirSync(join(this.root, owner)).filter((n) => n.endsWith('.git')).map((n) => `${owner}/${n.slice(0, -4)}`));
  }
}
