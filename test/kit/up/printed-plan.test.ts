/**
 * The plan `npm run up -- --dry-run` prints, kept as text files beside this test (plans/): for a fresh
 * machine (English and Korean, and in a GitHub Codespace), for a converged platform, and the steps each
 * `--only <component>` keeps. Moving or splitting the step modules must leave them as they are; a change
 * of the plan itself is made on purpose, with `npx vitest run --config vitest.kit.config.ts
 * test/kit/up/printed-plan.test.ts -u`, and shows in review as a diff of these files.
 *
 * Pinned versions and the agent image's tag are written as placeholders (`<images.registry>`,
 * `<agent-tag>`), so that a new pin in versions.json does not change the plan's text.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../../src/paths.js';
import { writeCredentials } from '../../../scripts/lib/credentials.js';
import { COMPONENTS, platformFull } from '../../../scripts/lib/platform.js';
import { agentImageTag } from '../../../scripts/lib/up/agent-image.js';
import { plan, renderPlan } from '../../../scripts/lib/up/plan.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { selectSteps, upPlanSteps } from '../../../scripts/up.js';
import { PROFILES, readInstalledProfile, writeInstalledProfile } from '../../../scripts/lib/profiles.js';
import { converge } from '../../../scripts/lib/up/plan.js';
import { convergedState, fakeContext, FakeMachine, freshState } from '../../lib/fake-platform.js';
import { tempDir } from '../../lib/temp.js';

/** The pins the plan prints, longest first so that no pin is replaced inside another. */
function pins(): [string, string][] {
  const out: [string, string][] = [['kind.nodeImage', versions.kind.nodeImage], ['gatewayApi.version', versions.gatewayApi.version], ['rolloutsPlugin.version', versions.rolloutsPlugin.version]];
  for (const [name, image] of Object.entries(versions.images)) out.push([`images.${name}`, image]);
  for (const [name, pin] of Object.entries(versions.charts)) out.push([`charts.${name}.version`, pin.version]);
  out.push(['agent-tag', agentImageTag(versions)]);
  return out.sort(([, a], [, b]) => b.length - a.length);
}

const placeholders = (text: string) =>
  pins()
    .reduce((t, [name, value]) => t.replaceAll(value, `<${name}>`), text)
    .replaceAll(root, '<root>')
    .replace(/(org\.cicd-lab\.codespaces-proxy=)[0-9a-f]{16}/g, '$1<proxy-hash>');

let dir: string;
let root: string;
beforeEach(() => {
  dir = tempDir('plan');
  process.env.LAB_CREDENTIALS_FILE = join(dir, 'credentials.json');
  // A checkout whose labs/app has a Dockerfile (and nothing else, so its source hash never changes).
  root = join(dir, 'root');
  mkdirSync(join(root, 'labs', 'app'), { recursive: true });
  writeFileSync(join(root, 'labs', 'app', 'Dockerfile'), 'FROM scratch\n');
});
afterEach(() => void delete process.env.LAB_CREDENTIALS_FILE);

const CODESPACE = { CODESPACES: 'true', CODESPACE_NAME: 'lab-crispy-fiesta-5g9x', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' };

describe('the plan npm run up prints', () => {
  it('on a fresh machine, in English and in Korean', async () => {
    const { ctx } = fakeContext(freshState(), { root });
    const planned = await plan(upPlanSteps('full', undefined), ctx);
    await expect(placeholders(renderPlan(planned, 'en'))).toMatchFileSnapshot('plans/fresh.en.txt');
    await expect(placeholders(renderPlan(planned, 'ko'))).toMatchFileSnapshot('plans/fresh.ko.txt');
  });

  it('on a fresh machine in a GitHub Codespace', async () => {
    mkdirSync(join(root, 'platform', 'codespaces'), { recursive: true });
    copyFileSync(join(ROOT, 'platform', 'codespaces', 'proxy.mjs'), join(root, 'platform', 'codespaces', 'proxy.mjs'));
    const { ctx } = fakeContext(freshState(), { root, env: CODESPACE });
    await expect(placeholders(renderPlan(await plan(upSteps(), ctx), 'en'))).toMatchFileSnapshot('plans/fresh.codespace.en.txt');
  });

  it('on a converged platform', async () => {
    writeCredentials({ jenkins: { user: 'admin', password: 'j-pass', token: 'j-token' }, gitea: { user: 'lab-admin', password: 'g-pass' }, argocd: { user: 'admin', password: 'a-pass' } });
    const { ctx } = fakeContext(freshState(), { root });
    ctx.machine = new FakeMachine(convergedState(ctx));
    writeInstalledProfile('full');
    await expect(placeholders(renderPlan(await plan(upPlanSteps('full', undefined), ctx), 'en'))).toMatchFileSnapshot('plans/converged.en.txt');
  });

  it('with --profile strategies on a fresh machine: registry, cluster, gateway and images only, then the record', async () => {
    const { ctx } = fakeContext(freshState(), { root });
    const planned = await plan(upPlanSteps('strategies', undefined), ctx);
    expect([...new Set(planned.map((p) => p.step.component))]).toEqual(['registry', 'cluster', 'gateway', 'images', 'platform']);
    const text = placeholders(renderPlan(planned, 'en'));
    for (const absent of ['gitea', 'jenkins', 'argocd', 'rollouts', 'Gitea', 'Jenkins', 'Argo CD', 'Rollouts']) expect(text).not.toContain(`[${absent}]`);
    await expect(text).toMatchFileSnapshot('plans/strategies.fresh.en.txt');
  });

  it('--profile full on a strategies install adds the rest: what is there stays as it is', async () => {
    writeCredentials({ jenkins: { user: 'admin', password: 'j-pass', token: 'j-token' }, gitea: { user: 'lab-admin', password: 'g-pass' }, argocd: { user: 'admin', password: 'a-pass' } });
    const { ctx } = fakeContext(freshState(), { root });
    const full = convergedState(ctx);
    // A strategies install: the full platform's state without what the other components make.
    const strategies = convergedState(ctx);
    const others = PROFILES.full.components.filter((c) => !PROFILES.strategies.components.includes(c));
    for (const key of Object.keys(strategies.releases)) if (!key.startsWith(`${platformFull.releases.gatewayController.namespace}/`)) delete strategies.releases[key];
    strategies.secrets = {};
    strategies.giteaRepos = [];
    strategies.jenkinsTokens = [];
    strategies.imageLabels = {};
    strategies.nodeFiles = Object.fromEntries(Object.entries(full.nodeFiles).filter(([k]) => !k.includes('rollouts-plugins')));
    strategies.inSync = new Set([...full.inSync].filter((f) => !f.includes('lab-builder-rbac')));
    ctx.machine = new FakeMachine(strategies);
    writeInstalledProfile('strategies');

    // Again with strategies: nothing to do but the images (whose source hash the fake does not know).
    const again = await plan(upPlanSteps('strategies', undefined), ctx);
    expect(again.filter((p) => !p.observation.done).map((p) => p.step.id)).toEqual(['images']);

    const planned = await plan(upPlanSteps('full', undefined), ctx);
    const acting = (component: string) => planned.filter((p) => p.step.component === component && !p.observation.done).map((p) => p.step.id);
    for (const c of PROFILES.strategies.components.filter((c) => c !== 'images')) expect(acting(c), c).toEqual([]);
    for (const c of others) expect(acting(c).length, c).toBeGreaterThan(0);
    expect(acting('platform')).toEqual(['profile']);
    await expect(placeholders(renderPlan(planned, 'en'))).toMatchFileSnapshot('plans/full-after-strategies.en.txt');

    // Converging records full; a later `--profile strategies` keeps the record at full.
    await converge(planned.filter((p) => p.step.id === 'profile').map((p) => p.step), ctx);
    expect(readInstalledProfile()).toBe('full');
    expect((await plan(upPlanSteps('strategies', undefined), ctx)).find((p) => p.step.id === 'profile')!.observation).toEqual({ done: true, reason: 'recorded: full' });
  });

  it('with --only <component>: the steps of that component, and the credentials', async () => {
    const only = COMPONENTS.map((c) => `--only ${c}: ${upPlanSteps('full', c).map((s) => s.id).join(' ')}`);
    expect(upPlanSteps('full', 'gitea').map((s) => s.id)).toEqual(selectSteps(upSteps(), 'gitea').map((s) => s.id));
    await expect(`${only.join('\n')}\n`).toMatchFileSnapshot('plans/only.txt');
  });
});
