/**
 * The shape of `npm run up`: a list of steps, each of which first looks at the machine (observe, read
 * only) and acts only when something is missing or different, then waits for readiness with a
 * deadline. The same steps give the `--dry-run` plan (observe + print), the real run (observe + act +
 * wait, with each step's duration), and the kit tests (observe a fake state, compare the plan).
 */
import { L, t, type Lang, type Localized } from '../../../src/i18n.js';
import { must, shellLine, type Cmd } from '../exec.js';
import type { Component } from '../platform.js';
import type { UpContext } from './context.js';

export type Action =
  | { kind: 'cmd'; cmd: Cmd }
  | { kind: 'task'; describe: string; run: (ctx: UpContext) => Promise<void> };

export interface Observation {
  done: boolean;
  /** What was seen: "kind-registry is running", "no release jenkins". */
  reason: string;
}

export interface Step {
  id: string;
  /** Its component (`--only`), or `platform` for the step that records the installed profile. */
  component: Component | 'platform';
  title: Localized;
  observe(ctx: UpContext): Promise<Observation>;
  /** What makes it so, when it is not. */
  actions(ctx: UpContext): Action[];
  /** Readiness checks with deadlines, run after the actions and also when nothing had to change. */
  ready?(ctx: UpContext): Action[];
}

export const cmd = (c: Cmd): Action => ({ kind: 'cmd', cmd: c });
export const task = (describe: string, run: (ctx: UpContext) => Promise<void>): Action => ({ kind: 'task', describe, run });

export const describeAction = (a: Action) => (a.kind === 'cmd' ? `$ ${shellLine(a.cmd)}` : `• ${a.describe}`);

export interface PlannedStep {
  step: Step;
  observation: Observation;
  actions: Action[];
  ready: Action[];
}

/** Observe every step and say what would be done: the plan of a dry run, and what the tests compare. */
export async function plan(steps: Step[], ctx: UpContext): Promise<PlannedStep[]> {
  const out: PlannedStep[] = [];
  for (const step of steps) {
    const observation = await step.observe(ctx);
    out.push({ step, observation, actions: observation.done ? [] : step.actions(ctx), ready: step.ready?.(ctx) ?? [] });
  }
  return out;
}

export function renderPlan(planned: PlannedStep[], lang: Lang): string {
  const lines: string[] = [];
  for (const p of planned) {
    const mark = p.observation.done ? '✓' : '→';
    lines.push(`${mark} [${p.step.component}] ${t(p.step.title, lang)} — ${p.observation.reason}`);
    for (const a of p.actions) lines.push(`    ${describeAction(a)}`);
    if (p.ready.length) lines.push(`    ${t(L('준비 확인(기한 있음):', 'then waits (with a deadline):'), lang)}`);
    for (const a of p.ready) lines.push(`      ${describeAction(a)}`);
  }
  return lines.join('\n');
}

export async function runAction(a: Action, ctx: UpContext): Promise<void> {
  if (a.kind === 'cmd') await must(ctx.runner, a.cmd);
  else await a.run(ctx);
}

export interface StepRun {
  id: string;
  changed: boolean;
  seconds: number;
}

/**
 * Converge: for each step, observe right before acting (earlier steps change the machine), act when
 * needed, wait for readiness, and print the step with its duration.
 */
export async function converge(steps: Step[], ctx: UpContext): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  for (const step of steps) {
    const started = ctx.now();
    const observation = await step.observe(ctx);
    if (!observation.done) {
      ctx.log(`→ [${step.component}] ${t(step.title, ctx.lang)} — ${observation.reason}`);
      for (const a of step.actions(ctx)) {
        ctx.log(`    ${describeAction(a)}`);
        await runAction(a, ctx);
      }
    }
    for (const a of step.ready?.(ctx) ?? []) await runAction(a, ctx);
    const seconds = (ctx.now() - started) / 1000;
    const note = t(observation.done ? L(`이미 되어 있음: ${observation.reason}`, `already so: ${observation.reason}`) : L('완료', 'done'), ctx.lang);
    ctx.log(`✓ [${step.component}] ${t(step.title, ctx.lang)} (${seconds.toFixed(1)}s) — ${note}`);
    runs.push({ id: step.id, changed: !observation.done, seconds });
  }
  return runs;
}
