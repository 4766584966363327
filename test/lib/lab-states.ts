/**
 * Lab states for the kit tests, built the way a learner's cluster gets them: the lab's own
 * `start` and `solve` steps (lab.yaml) carried out on a SimCluster — manifests rendered by the
 * real kubectl/kustomize, scripts run for real with a simulated kubectl — plus the live-only
 * probes the graders ask for, measured on the simulation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getLab, type Step } from '../../src/catalog.js';
import type { LabResult, Status } from '../../src/checks.js';
import { gradeLab, type Grader } from '../../src/grader.js';
import { ROOT } from '../../src/paths.js';
import type { Snapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { SimCluster } from './sim.js';
import { runWithSimKubectl } from './sim-kubectl.js';
import { kustomize, parseManifests } from './tools.js';

/** The objects `kubectl apply [-k] <path>` would send. */
export function manifestsAt(path: string) {
  const full = join(ROOT, path);
  if (statSync(full).isDirectory()) {
    if (existsSync(join(full, 'kustomization.yaml'))) return kustomize(full);
    return readdirSync(full).filter((n) => /\.ya?ml$/.test(n)).sort().flatMap((n) => parseManifests(readFileSync(join(full, n), 'utf8')));
  }
  return parseManifests(readFileSync(full, 'utf8'));
}

export async function runStep(sim: SimCluster, step: Step): Promise<void> {
  if ('apply' in step) {
    sim.apply(manifestsAt(step.apply));
    return;
  }
  const run = await runWithSimKubectl(sim, join(ROOT, step.run), step.args ?? []);
  if (run.exitCode !== 0) throw new Error(`${step.run} ${(step.args ?? []).join(' ')} exited ${run.exitCode}:\n${run.stderr}\n${run.stdout}`);
}

export async function runSteps(sim: SimCluster, steps: Step[] | undefined): Promise<SimCluster> {
  for (const step of steps ?? []) await runStep(sim, step);
  return sim;
}

/** The cluster right after `npm run lab -- start <lab>`. */
export function started(labId: string, sim = new SimCluster()): Promise<SimCluster> {
  return runSteps(sim, getLab(labId).start);
}

/** The cluster after `start` then `solve`. */
export async function solved(labId: string, sim = new SimCluster()): Promise<SimCluster> {
  await started(labId, sim);
  sim.advance(60);
  return runSteps(sim, getLab(labId).solve);
}

/** What the collector's probes would measure on this simulated cluster. */
export function simulatedProbes(sim: SimCluster, graders: Grader[]): Record<string, unknown> {
  const probes: Record<string, unknown> = {};
  for (const grader of graders) {
    for (const [name, spec] of Object.entries(grader.needs.probes ?? {})) {
      if (spec.type === 'traffic') probes[name] = sim.traffic(spec.host, spec);
    }
  }
  return probes;
}

export function snapshotOf(sim: SimCluster, graders: Grader[]): Snapshot {
  return sim.snapshot({ probes: simulatedProbes(sim, graders) });
}

export function grade(grader: Grader, snapshot: Snapshot): LabResult {
  return gradeLab(grader, new LabState(snapshot, 'snapshot'));
}

/** `{ 'green-ready': 'pass', … }` — what a test compares. */
export function statuses(result: LabResult): Record<string, Status> {
  return Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
}

/** The ids of the checks with this status. */
export function withStatus(result: LabResult, status: Status): string[] {
  return result.checks.filter((c) => c.status === status).map((c) => c.id);
}
