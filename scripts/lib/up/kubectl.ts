/**
 * kubectl as `up` runs it (always with the lab's context, server-side apply with the platform's field
 * manager), and the steps made of it: a manifest of platform/, a component's namespaces, and the
 * Secrets the charts read their logins from.
 */
import { isDeepStrictEqual } from 'node:util';
import { L, type Localized } from '../../../src/i18n.js';
import { readCredentials } from '../../../src/platform.js';
import type { Cmd } from '../exec.js';
import { FIELD_MANAGERS, type Component } from '../platform.js';
import type { UpContext } from './context.js';
import { cmd, task, type Observation, type Step } from './plan.js';
import { componentNamespaces, namespacesManifest } from './renderers/cluster-objects.js';
import { platformSecrets } from './renderers/secrets.js';

export const kubectl = (ctx: UpContext, ...args: string[]): Cmd => ({ cmd: 'kubectl', args: ['--context', ctx.context, ...args] });

/** Server-side apply of generated text, from stdin (shown by its label, never by its content). */
export const applyText = (ctx: UpContext, text: string, label: string): Cmd => ({
  ...kubectl(ctx, 'apply', '--server-side', '--force-conflicts', '--field-manager', FIELD_MANAGERS.platform, '-f', '-'),
  input: text,
  inputLabel: label,
});

export const applyFile = (ctx: UpContext, file: string): Cmd => kubectl(ctx, 'apply', '--server-side', '--force-conflicts', '--field-manager', FIELD_MANAGERS.platform, '-f', file);

/** Wait for a workload's rollout, with a deadline. */
export const rollout = (ctx: UpContext, namespace: string, workload: string, seconds: number): Cmd => kubectl(ctx, '-n', namespace, 'rollout', 'status', workload, `--timeout=${seconds}s`);

/** A manifest step: in sync per `kubectl diff --server-side`, else server-side apply. */
export function manifestStep(id: string, component: Component, title: Localized, file: string, ready?: (ctx: UpContext) => Cmd[]): Step {
  return {
    id,
    component,
    title,
    async observe(ctx) {
      return (await ctx.machine.inSync({ file })) ? { done: true, reason: `${file} is applied` } : { done: false, reason: `${file} differs from the cluster (or is not applied)` };
    },
    actions: (ctx) => [cmd(applyFile(ctx, file))],
    ready: ready ? (ctx) => ready(ctx).map(cmd) : undefined,
  };
}

/** A component's first step: the namespaces of its Helm releases, labelled as the kit's (renderers/cluster-objects.ts). */
export function namespaceStep(component: Component): Step {
  return {
    id: `${component}-namespace`,
    component,
    title: L('네임스페이스', 'Namespace'),
    async observe(ctx) {
      const names = componentNamespaces(ctx.platform, component).join(', ');
      return (await ctx.machine.inSync({ text: namespacesManifest(ctx.platform, component) })) ? { done: true, reason: names } : { done: false, reason: `${names} missing or unlabelled` };
    },
    actions: (ctx) => [cmd(applyText(ctx, namespacesManifest(ctx.platform, component), `Namespace ${componentNamespaces(ctx.platform, component).join(', ')}`))],
  };
}

const secretMeta = (object: Record<string, unknown>) => object.metadata as { name: string; namespace: string };

/** A step that applies a component's login Secrets (renderers/secrets.ts) from .lab/credentials.json. */
export function secretsStep(id: string, component: Component, title: Localized): Step {
  return {
    id,
    component,
    title,
    async observe(ctx): Promise<Observation> {
      const objects = platformSecrets(ctx.platform, readCredentials()).filter((s) => s.component === component);
      for (const { object } of objects) {
        const meta = secretMeta(object);
        const found = await ctx.machine.secret(meta.namespace, meta.name);
        // Key order is not part of a Secret's data: isDeepStrictEqual compares keys as a set.
        if (!found || !isDeepStrictEqual(found, object.stringData)) return { done: false, reason: `Secret ${meta.namespace}/${meta.name} missing or not matching .lab/credentials.json` };
      }
      return { done: true, reason: 'match .lab/credentials.json' };
    },
    actions(ctx) {
      return platformSecrets(ctx.platform, readCredentials())
        .filter((s) => s.component === component)
        .map(({ object }) => {
          const meta = secretMeta(object);
          // Built when run, from the file as it is then (the credentials step may just have written it).
          return task(`apply Secret ${meta.namespace}/${meta.name} from .lab/credentials.json (values not shown)`, async (c) => {
            const fresh = platformSecrets(c.platform, readCredentials()).find((s) => secretMeta(s.object).name === meta.name)!;
            const r = await c.runner(applyText(c, JSON.stringify(fresh.object), `Secret ${meta.namespace}/${meta.name}`));
            if (r.code !== 0) throw new Error(`kubectl apply Secret ${meta.name} failed: ${r.stderr}`);
          });
        });
    },
  };
}
