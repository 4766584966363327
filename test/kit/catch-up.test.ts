/**
 * `npm run lab -- start <lab> --catch-up` (scripts/lib/catch-up.ts) on the simulated platform: from a
 * fresh platform, every prerequisite ends up passing, the lab is in the starter state the whole course
 * before it would leave, and its solution then passes (so `requires:` names all the lab assumes); a
 * re-run solves nothing; a lab that passes is not touched; a failing lab under a passing one stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, getLab, prerequisites, type Lab } from '../../src/catalog.js';
import { loadGrader } from '../../src/engine.js';
import { planCatchUp, renderCatchUp, runCatchUp, type CatchUpDeps } from '../../scripts/lib/catch-up.js';
import { solved, started, withStatus } from '../lib/lab-states.js';
import { SimPlatform } from '../lib/sim-platform.js';

const own: SimPlatform[] = [];
const fresh = () => {
  const p = SimPlatform.create();
  own.push(p);
  return p;
};
afterAll(async () => {
  for (const p of own) await p.dispose();
});

async function failingOn(p: SimPlatform, lab: Lab): Promise<string[]> {
  return withStatus(p.grade(await loadGrader(lab.id)), 'fail');
}

/** The catch-up's dependencies on a simulated platform, recording what it solved and started. */
function simDeps(p: SimPlatform) {
  const done = { solved: [] as string[], started: [] as string[], log: [] as string[] };
  const deps: CatchUpDeps = {
    failing: (lab) => failingOn(p, lab),
    solve: async (lab) => {
      done.solved.push(lab.id);
      await solved(lab.id, p.cluster, p.executor());
    },
    start: async (lab) => {
      done.started.push(lab.id);
      await started(lab.id, p.cluster, p.executor());
    },
    log: (line) => done.log.push(line),
  };
  return { deps, done };
}

async function catchUp(p: SimPlatform, lab: Lab) {
  const { deps, done } = simDeps(p);
  const plan = await planCatchUp(lab, deps.failing);
  await runCatchUp(plan, deps, 'en');
  return { plan, done };
}

describe('start --catch-up from a fresh platform, for every lab', () => {
  const labs = catalog().labs.filter((l) => !catalog().pending.includes(l.id));
  /**
   * What starting each lab leaves for a learner who did the whole course before it: every earlier
   * lab solved in course order, then `lab start`. Catching up solves only what `requires:` names, so
   * a `requires:` that misses something the start assumes leaves a different starter state.
   */
  const courseStarter = new Map<string, string[]>();
  beforeAll(async () => {
    const course = fresh();
    for (const lab of labs) {
      const startedHere = course.fork();
      own.push(startedHere);
      await startedHere.start(lab.id);
      courseStarter.set(lab.id, await failingOn(startedHere, lab));
      await course.solve(lab.id);
    }
  }, 600_000);

  it.each(labs.map((l) => [l.id, l] as const))('%s: every prerequisite passes, the lab is as starting it after the whole course leaves it, a re-run solves nothing', async (_id, lab) => {
    const p = fresh();
    const before = prerequisites(lab);
    const starter = courseStarter.get(lab.id)!;
    expect(starter.length, `${lab.id}'s starter fails some of its checks`).toBeGreaterThan(0);

    const first = await catchUp(p, lab);
    expect(first.done.solved).toEqual(before.map((l) => l.id));
    expect(first.done.started).toEqual([lab.id]);
    for (const l of before) expect(await failingOn(p, l), `${l.id} after catching up to ${lab.id}`).toEqual([]);
    expect(await failingOn(p, lab)).toEqual(starter);
    // What the lab builds on is there: its own solution, right after catching up, passes every check
    // (a `requires:` that misses something the lab assumes fails here).
    const thenSolved = p.fork();
    own.push(thenSolved);
    await solved(lab.id, thenSolved.cluster, thenSolved.executor()).catch((error: Error) => {
      throw new Error(`${lab.id}'s solution fails after catching up to it (is its requires: complete?): ${error.message.slice(0, 400)}`);
    });
    expect(await failingOn(thenSolved, lab), `${lab.id} solved after catching up`).toEqual([]);

    const again = await catchUp(p, lab);
    expect(again.done.solved).toEqual([]);
    expect(again.plan.entries.every((e) => !e.solve)).toBe(true);
    for (const l of before) expect(await failingOn(p, l)).toEqual([]);
    expect(await failingOn(p, lab)).toEqual(starter);
  }, 240_000);
});

describe('start --catch-up keeps the learner\'s work', () => {
  it('a prerequisite that passes is not touched: no new build, its objects as the learner left them', async () => {
    const p = fresh();
    await p.solve('l2-pipeline');
    // The learner's own touch on a passing lab.
    const web = p.cluster.get('Deployment', 'l2-pipeline', 'hello-app')!;
    p.cluster.apply({ ...web, metadata: { ...web.metadata, annotations: { ...web.metadata.annotations, 'learner/note': 'mine' } } });
    const builds = p.jenkins.record('hello-pipeline')!.lastCompletedBuild!.number;
    const { done, plan } = await catchUp(p, getLab('l3-helm'));
    expect(plan.entries.map((e) => [e.lab.id, e.solve])).toEqual([['l2-pipeline', false]]);
    expect(done.solved).toEqual([]);
    expect(p.jenkins.record('hello-pipeline')!.lastCompletedBuild!.number).toBe(builds);
    expect(p.cluster.get('Deployment', 'l2-pipeline', 'hello-app')!.metadata.annotations?.['learner/note']).toBe('mine');
  }, 120_000);

  it('refuses, doing nothing, when a failing lab is under one that passes (solving it would overwrite that one)', async () => {
    const lab = (id: string, requires: string[]) => ({ id, requires }) as unknown as Lab;
    const labs = [lab('a', []), lab('b', ['a']), lab('c', ['b']), lab('d', [])];
    const failing = async (l: Lab) => (l.id === 'a' || l.id === 'd' ? ['x'] : []);
    const plan = await planCatchUp(lab('e', ['c', 'd']), failing, [...labs, lab('e', ['c', 'd'])]);
    expect(plan.entries.map((e) => [e.lab.id, e.solve])).toEqual([['a', true], ['b', false], ['c', false], ['d', true]]);
    expect(plan.conflicts.map((c) => [c.lab.id, c.passing.map((l) => l.id)])).toEqual([['a', ['b', 'c']]]);
    const text = renderCatchUp(plan, 'en').join('\n');
    expect(text).toContain('✗ a fails, but b, c, which build on it, pass: solving a would overwrite your work in b, c, so nothing is done. Fix a yourself (npm test -- a).');
    const calls: string[] = [];
    const deps: CatchUpDeps = { failing, solve: async (l) => void calls.push(`solve ${l.id}`), start: async (l) => void calls.push(`start ${l.id}`), log: () => {} };
    await expect(runCatchUp(plan, deps, 'en')).rejects.toThrow('Did not catch up: fix a first.');
    expect(calls).toEqual([]);
  });

  it('prints the plan in the learner\'s language: what passes is kept, what fails is solved, then the start', async () => {
    const plan = await planCatchUp(getLab('l4-argocd'), async (l) => (l.id === 'l3-kustomize' ? ['dev', 'prod'] : []));
    expect(renderCatchUp(plan, 'en')).toEqual([
      'Catching up to l4-argocd: its prerequisites as graded now, in course order:',
      '  ✓ l2-pipeline   passes — kept as it is',
      '  → l3-kustomize  failing: dev, prod — solved (as lab solve does)',
      '  ✓ l3-helm       passes — kept as it is',
      '  → l4-argocd     started (lab start)',
    ]);
    expect(renderCatchUp(plan, 'ko')[2]).toContain('통과하지 않는 검사: dev, prod');
    expect(renderCatchUp(await planCatchUp(getLab('s1-recreate'), async () => []), 'en')[0]).toBe('s1-recreate builds on no other lab: it only starts.');
  });

  it('stops with the failing checks when a solved prerequisite still fails', async () => {
    const plan = await planCatchUp(getLab('l3-helm'), async () => ['deploy']);
    const deps: CatchUpDeps = { failing: async () => ['deploy'], solve: async () => {}, start: async () => {}, log: () => {} };
    await expect(runCatchUp(plan, deps, 'en')).rejects.toThrow('l2-pipeline was solved, but deploy still fails. See why with npm test -- l2-pipeline.');
  });
});
