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
import { COMPONENTS } from '../../../scripts/lib/platform.js';
import { agentImageTag } from '../../../scripts/lib/up/agent-image.js';
import { plan, renderPlan } from '../../../scripts/lib/up/plan.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { selectSteps } from '../../../scripts/up.js';
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
    const planned = await plan(upSteps(), ctx);
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
    await expect(placeholders(renderPlan(await plan(upSteps(), ctx), 'en'))).toMatchFileSnapshot('plans/converged.en.txt');
  });

  it('with --only <component>: the steps of that component, and the credentials', async () => {
    const only = COMPONENTS.map((c) => `--only ${c}: ${selectSteps(upSteps(), c).map((s) => s.id).join(' ')}`);
    await expect(`${only.join('\n')}\n`).toMatchFileSnapshot('plans/only.txt');
  });
});
