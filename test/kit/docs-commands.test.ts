/**
 * Copy-paste is a contract: every shell block of every lab page, in Korean and English (including
 * shell code a page includes with `<<< @/…`), runs as shown in a new terminal at the repository
 * root. Each block is proved self-contained — `bash -n`, ShellCheck, no variable or function the
 * block does not define, every kubectl on the lab's context (helm too, where it reaches the
 * cluster) — and the strategies labs, which need only kubectl, are done on the simulated platform
 * by running their pages' blocks in order: the grader must then pass every check.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog, docsFile } from '../../src/catalog.js';
import { loadGrader } from '../../src/engine.js';
import { ROOT } from '../../src/paths.js';
import { failingChecks, started } from '../lib/lab-states.js';
import { needsPackages } from '../lib/os-packages.js';
import { commands, repoScript, shellBlocks, variables, type ShellBlock } from '../lib/page-blocks.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';

const work = mkdtempSync(join(tmpdir(), 'cicd-lab-page-blocks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const labs = catalog().labs.filter((l) => !catalog().pending.includes(l.id));
const pages = labs.flatMap((lab) => (['ko', 'en'] as const).map((lang) => ({ lab, lang, page: docsFile(lab, lang).replace(/^docs\//, '') })));
const all = pages.flatMap((p) => shellBlocks(p.page).map((block) => ({ ...p, block })));
const where = (b: ShellBlock) => `${b.page}:${b.line}${b.from === b.page ? '' : ` (${b.from})`}`;

/** What a new terminal has: the commands the pages may use, besides the repository's own scripts. */
const COMMANDS = new Set(['kubectl', 'helm', 'git', 'npm', 'curl', 'mkdir', 'cp', 'cd', 'seq', 'sort', 'uniq', 'grep', 'sleep', 'echo', 'cat', 'for', 'until', 'while', '[', 'test', 'true']);
/** Variables a new terminal has. */
const ENVIRONMENT = new Set(['HOME', 'PATH', 'PWD']);
/** helm subcommands that reach the cluster (helm template and lint do not). */
const HELM_CLUSTER = new Set(['install', 'upgrade', 'uninstall', 'rollback', 'history', 'get', 'list', 'status', 'test']);

const context = (words: string[], flag: string) => words.some((w, i) => (w === flag && words[i + 1] === 'kind-cicd-lab') || w === `${flag}=kind-cicd-lab`);

describe('every shell block of every lab page, in both languages', () => {
  it('is found: each lab page has shell blocks, and no page includes a solution script\'s internals', () => {
    for (const p of pages) expect(all.filter((b) => b.page === p.page).length, p.page).toBeGreaterThan(0);
    // An included region of a solution script uses that script's own helpers and variables.
    expect(all.filter((b) => b.block.from.startsWith('solutions/') && b.block.from.endsWith('.sh')).map((b) => where(b.block))).toEqual([]);
  });

  it('parses (bash -n)', () => {
    const bad: string[] = [];
    for (const { block } of all) {
      const file = join(work, 'syntax.sh');
      writeFileSync(file, `${block.text}\n`);
      const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      if (r.status !== 0) bad.push(`${where(block)}: ${r.stderr.trim()}`);
    }
    expect(bad).toEqual([]);
  });

  const noShellCheck = needsPackages('shellcheck');
  it.skipIf(Boolean(noShellCheck))(`passes ShellCheck${noShellCheck ? ` (skipped: ${noShellCheck})` : ''}`, () => {
    const bad: string[] = [];
    for (const { block } of all) {
      const file = join(work, 'check.sh');
      writeFileSync(file, `#!/usr/bin/env bash\n${block.text}\n`);
      const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', file], { encoding: 'utf8' });
      if (r.status !== 0) bad.push(`${where(block)}:\n${r.stdout.replaceAll(`${file}:`, 'line ').trim()}`);
    }
    expect(bad).toEqual([]);
  });

  it('uses no variable or function it does not define, and only commands a new terminal has', () => {
    const bad: string[] = [];
    for (const { block } of all) {
      const { read, set } = variables(block.text);
      for (const v of read) if (!set.includes(v) && !ENVIRONMENT.has(v)) bad.push(`${where(block)}: $${v} is not set in a new terminal`);
      for (const words of commands(block.text)) {
        const script = repoScript(words[0]);
        if (script) {
          const file = join(ROOT, script);
          if (!existsSync(file) || !statSync(file).isFile()) bad.push(`${where(block)}: ${script} does not exist`);
          else accessSync(file, constants.X_OK);
        } else if (!COMMANDS.has(words[0])) bad.push(`${where(block)}: "${words[0]}" is not a command of a new terminal (a helper of a script?)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('names the lab context on every kubectl, and on every helm command that reaches the cluster', () => {
    const bad: string[] = [];
    for (const { block } of all) {
      for (const words of commands(block.text)) {
        if (words[0] === 'kubectl' && !context(words, '--context')) bad.push(`${where(block)}: ${words.join(' ')}`);
        const sub = words.slice(1).find((w, i, ws) => !w.startsWith('-') && !(i > 0 && ws[i - 1] === '--kube-context'));
        if (words[0] === 'helm' && sub && HELM_CLUSTER.has(sub) && !context(words, '--kube-context')) bad.push(`${where(block)}: ${words.join(' ')}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

/**
 * Which blocks the simulated platform can carry out: kubectl calls it simulates (test/lib/sim-kubectl.ts)
 * and local file commands. Watching, traffic, plugins, Git, Helm and Jenkins wait for a real platform.
 */
function simulated(block: ShellBlock): string | undefined {
  for (const words of commands(block.text)) {
    if (['mkdir', 'cp', 'sleep', 'until', 'while', '[', 'test', 'true', 'echo'].includes(words[0])) continue;
    if (words[0] !== 'kubectl') return `runs ${words[0]}`;
    const args = words.filter((w, i) => !w.startsWith('-') && !(i > 0 && /^(--context|-n|--namespace|--type|--patch|-p|--timeout|--for|--replicas|--selector|-l|--output|-o|--subresource|-f|-k)$/.test(words[i - 1])));
    const verb = args[1];
    if (words.some((w) => /^(-w|--watch|-L)$/.test(w))) return 'watches';
    if (verb === 'rollout' && !['status', 'undo', 'history'].includes(args[2])) return `kubectl rollout ${args[2]}`;
    if (!['apply', 'patch', 'set', 'scale', 'delete', 'rollout', 'wait', 'get'].includes(verb)) return `kubectl ${verb}`;
    if (verb === 'get' && words.some((w) => /jsonpath=.*range/.test(w))) return 'jsonpath with range';
  }
  return undefined;
}

/** The files a learner writes or edits on a page, as the reference solution has them. */
const EDITS: Record<string, Record<string, string>> = {
  's2-rolling': { 'work/s2-rolling/web.yaml': 'solutions/s2-rolling/web.yaml' },
  's3-bluegreen': { 'work/s3-bluegreen/web-green.yaml': 'solutions/s3-bluegreen/web-green.yaml' },
  's4-canary': { 'work/s4-canary/web-canary.yaml': 'solutions/s4-canary/web-canary.yaml', 'work/s4-canary/httproute.yaml': 'solutions/s4-canary/httproute.yaml' },
  's5-db-migration': { 'work/s5-db-migration/notice.yaml': 'solutions/s5-db-migration/notice.yaml', 'work/s5-db-migration/migration': 'solutions/s5-db-migration/migration' },
  's6-rollback': { 'work/s6-rollback/web.yaml': 'solutions/s6-rollback/web.yaml' },
};
/** Blocks a page offers for a situation that does not arise when everything goes right. */
const ONLY_IF = [
  { lab: 's3-bluegreen', contains: '"version":"blue"', why: 'the rollback, only if green misbehaves' },
];

describe('the strategies labs, done by copying their pages\' blocks in order on the simulated platform', () => {
  const kubectlOnly = pages.filter((p) => p.lab.level === 'strategies');
  it.each(kubectlOnly.map((p) => [p.page, p] as const))('%s: the grader passes every check afterwards', async (_name, { lab, page }) => {
    const root = mkdtempSync(join(work, 'root-'));
    for (const dir of ['labs', 'solutions']) symlinkSync(join(ROOT, dir), join(root, dir), 'dir');
    const sim = await started(lab.id);
    sim.advance(60);
    const skipped: string[] = [];
    for (const block of shellBlocks(page)) {
      const why = simulated(block) ?? ONLY_IF.find((o) => o.lab === lab.id && block.text.includes(o.contains))?.why;
      if (why) {
        skipped.push(`${block.line}: ${why}`);
        continue;
      }
      // The learner's edits happen between the blocks: in place before the block that uses them.
      for (const [path, solution] of Object.entries(EDITS[lab.id] ?? {})) {
        const creates = new RegExp(`\\bcp\\s+\\S+\\s+${path}\\b`).test(block.text);
        if (block.text.includes(path) && !creates) {
          mkdirSync(join(root, path, '..'), { recursive: true });
          cpSync(join(ROOT, solution), join(root, path), { recursive: true });
        }
      }
      const script = join(root, 'block.sh');
      writeFileSync(script, `#!/usr/bin/env bash\nset -euo pipefail\ncd ${JSON.stringify(root)}\n${block.text}\n`, { mode: 0o755 });
      const run = await runWithSimKubectl(sim, script);
      expect(run.exitCode, `${page}:${block.line} failed:\n${block.text}\n${run.stderr}`).toBe(0);
    }
    const grader = await loadGrader(lab.id);
    expect(failingChecks(grader, sim), `${page} (blocks not run: ${skipped.join('; ') || 'none'})`).toEqual([]);
  }, 120_000);
});
