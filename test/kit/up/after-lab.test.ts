/**
 * `up` after `lab start` (and `lab reset`) plans no change: the objects both apply — the Jenkins labs'
 * Namespaces, which platform/manifests/lab-builder-rbac.yaml and each lab's namespace.yaml declare
 * with different labels — keep what `up` gave them. Checked with a model of server-side apply's field
 * ownership (test/lib/server-side-apply.ts) on the real commands: up's plan, `lab start`'s apply steps
 * and `lab reset`'s commands, with the manifests they name rendered by the real kustomize.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { catalog } from '../../../src/catalog.js';
import { ROOT } from '../../../src/paths.js';
import type { Cmd } from '../../../scripts/lib/exec.js';
import { applyCommand } from '../../../scripts/lib/executor.js';
import { plan } from '../../../scripts/lib/up/plan.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { FIELD_MANAGERS, platformFull } from '../../../scripts/lib/platform.js';
import { resetCommands } from '../../../scripts/lab.js';
import { fakeContext, freshState, testCredentials } from '../../lib/fake-platform.js';
import { ServerSideApply, objectKey, type ApplyObject } from '../../lib/server-side-apply.js';
import { kustomize } from '../../lib/tools.js';

const arg = (c: Cmd, flag: string) => c.args[c.args.indexOf(flag) + 1];

/** The objects a `kubectl apply` command sends: stdin, a file, a folder of files, or a kustomization. */
function objectsOf(c: Cmd): ApplyObject[] {
  const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object') as ApplyObject[];
  if (c.args.includes('-k')) return kustomize(join(ROOT, arg(c, '-k'))) as ApplyObject[];
  const f = arg(c, '-f');
  if (f === '-') return docs(c.input ?? '');
  const full = join(ROOT, f);
  if (statSync(full).isDirectory()) return readdirSync(full).filter((n) => /\.(ya?ml|json)$/.test(n)).sort().flatMap((n) => docs(readFileSync(join(full, n), 'utf8')));
  return docs(readFileSync(full, 'utf8'));
}

const isApply = (c: Cmd) => c.cmd === 'kubectl' && c.args.includes('apply') && c.args.includes('--server-side');
const manager = (c: Cmd) => arg(c, '--field-manager');

testCredentials();

/** The server-side applies of up's plan on a fresh machine (the Gateway API CRDs come from a URL: left out). */
async function upApplies(): Promise<{ cmd: Cmd; objects: ApplyObject[] }[]> {
  const { ctx } = fakeContext(freshState());
  const planned = await plan(upSteps(), ctx);
  return planned
    .flatMap((p) => p.actions)
    .flatMap((a) => (a.kind === 'cmd' ? [a.cmd] : []))
    .filter((c) => isApply(c) && !/^https?:/.test(arg(c, '-f') ?? ''))
    .map((cmd) => ({ cmd, objects: objectsOf(cmd) }));
}

describe('up → lab start → lab reset → up: the second up plans no change', () => {
  it('keeps the labels up gave the Jenkins labs\' Namespaces, through every lab\'s start and reset', async () => {
    const up = await upApplies();
    expect(up.map((u) => arg(u.cmd, '-f'))).toContain('platform/manifests/lab-builder-rbac.yaml');
    const cluster = new ServerSideApply();
    for (const { cmd, objects } of up) for (const o of objects) cluster.apply(o, manager(cmd));

    const context = platformFull.context;
    const labs = catalog().labs.filter((l) => l.start?.some((s) => 'apply' in s));
    const start = (lab: (typeof labs)[number]) => {
      for (const step of lab.start ?? []) {
        if (!('apply' in step)) continue;
        const cmd = applyCommand(step.apply, context);
        for (const o of objectsOf(cmd)) cluster.apply(o, manager(cmd));
      }
    };
    for (const lab of labs) start(lab);
    for (const lab of labs) {
      for (const cmd of resetCommands(lab, context)) {
        if (cmd.args.includes('delete')) cluster.deleteWhere((o) => lab.namespaces.includes(o.metadata.namespace ?? '') || (o.kind === 'Namespace' && lab.namespaces.includes(o.metadata.name)));
        else if (isApply(cmd)) for (const o of objectsOf(cmd)) cluster.apply(o, manager(cmd));
      }
      start(lab);
    }

    const drifted = up.flatMap(({ cmd, objects }) => objects.filter((o) => cluster.wouldChange(o, manager(cmd))).map((o) => `${objectKey(o)} (${arg(cmd, '-f')})`));
    expect(drifted).toEqual([]);
    for (const ns of platformFull.labBuilder.namespaces) expect(cluster.get('Namespace', ns)?.metadata.labels, ns).toEqual({ 'app.kubernetes.io/part-of': 'cicd-lab' });
  });

  it('applies the labs\' steps with a field manager of their own, and the platform\'s files with up\'s', () => {
    const lab = catalog().labs.find((l) => l.id === 'l1-freestyle')!;
    expect(manager(applyCommand('labs/l1-freestyle', platformFull.context))).toBe(FIELD_MANAGERS.labs);
    const reapply = resetCommands(lab, platformFull.context).find(isApply)!;
    expect([arg(reapply, '-f'), manager(reapply)]).toEqual(['platform/manifests/lab-builder-rbac.yaml', FIELD_MANAGERS.platform]);
    expect(FIELD_MANAGERS.labs).not.toBe(FIELD_MANAGERS.platform);
  });

  it('(the model) with one manager for both, the lab\'s Namespace takes the label away and up must apply again', () => {
    const cluster = new ServerSideApply();
    const ns = (labels?: Record<string, string>): ApplyObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'l1-freestyle', ...(labels ? { labels } : {}) } });
    const platform = ns({ 'app.kubernetes.io/part-of': 'cicd-lab' });
    cluster.apply(platform, 'one');
    expect(cluster.apply(ns(), 'one')).toBe(true);
    expect(cluster.wouldChange(platform, 'one')).toBe(true);
    // …while a second manager leaves the label to its owner, and a shared value stays shared.
    cluster.apply(platform, 'one');
    expect(cluster.apply(ns(), 'two')).toBe(false);
    expect(cluster.apply(platform, 'two')).toBe(false);
    expect(cluster.apply(ns(), 'two')).toBe(false);
    expect(cluster.wouldChange(platform, 'one')).toBe(false);
  });
});
