/**
 * Where the pull-through mirrors are (platform.yaml `mirrors`): local containers published on this
 * machine, the room's shared machine (LAB_MIRROR_HOST), or none (LAB_MIRRORS=off). Read by the
 * registry step (the containers), the cluster steps (the kind network, the node's hosts.toml) and
 * `prefetch`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mirror } from '../platform.js';
import { labDir, type UpContext } from './context.js';

/** A mirror's address as the node's containerd reaches it: the shared room mirror, or the local container. */
export function mirrorEndpoint(m: Mirror, env: NodeJS.ProcessEnv): string {
  return env.LAB_MIRROR_HOST ? `http://${env.LAB_MIRROR_HOST}:${m.port}` : `http://${m.container}:5000`;
}

/** Local mirror containers are used unless a shared one is named (LAB_MIRROR_HOST) or they are off (LAB_MIRRORS=off). */
export const localMirrors = (env: NodeJS.ProcessEnv) => !env.LAB_MIRROR_HOST && env.LAB_MIRRORS !== 'off';
/** Mirrors of some kind are used (local or shared) unless LAB_MIRRORS=off. */
export const mirrorsUsed = (env: NodeJS.ProcessEnv) => env.LAB_MIRRORS !== 'off';

/**
 * The address the mirrors are published on: LAB_MIRROR_BIND, else what the last `npm run prefetch`
 * chose (`--share`: 0.0.0.0, so a room can use this machine's cache; without it: 127.0.0.1), kept in
 * .lab/mirrors.json so that a later `up` converges on it instead of taking the room's mirrors away.
 */
export function mirrorBind(ctx: Pick<UpContext, 'root' | 'env'>): string {
  if (ctx.env.LAB_MIRROR_BIND) return ctx.env.LAB_MIRROR_BIND;
  const file = join(labDir(ctx), 'mirrors.json');
  return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { bind?: string }).bind ?? '127.0.0.1') : '127.0.0.1';
}

export function saveMirrorBind(ctx: Pick<UpContext, 'root'>, bind: string): void {
  mkdirSync(labDir(ctx), { recursive: true });
  writeFileSync(join(labDir(ctx), 'mirrors.json'), `${JSON.stringify({ bind }, null, 2)}\n`);
}
