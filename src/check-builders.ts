/**
 * One-line builders for the common shapes of a check about one Kubernetes object, after
 * Kubeasy's typed objectives: the object exists, a field of it equals a value, a condition on it
 * holds. Each looks the object up with `state.must`, so a missing object fails the check with the
 * standard not-found message (src/state.ts), like every other check.
 *
 *   strategy: fieldEquals(WEB, 'spec.strategy.type', 'Recreate', { expected: 'strategy Recreate' }),
 *   warmup: holds(GREEN, { expected: '…', test: (d) => …, observed: (d) => … }),
 *
 * One traffic shape has a builder too, the end state of a release gone back to a known version:
 *
 *   traffic: everyAnswerIs(TRAFFIC, 'v2'),
 *
 * What is particular — other traffic, Jenkins, SQL, a check made of several conditions or with
 * hints and evidence of its own — stays a function (src/engine.ts `CheckFn`).
 */
import { isDeepStrictEqual } from 'node:util';
import { fail, pass } from './checks.js';
import type { CheckFn } from './engine.js';
import { L, type Text } from './i18n.js';
import { anyFailed, describeTraffic, failedTrafficHint } from './probes.js';
import type { KindName } from './kube/resources.js';
import type { KubeObject, TrafficProbe } from './snapshot.js';

/** The object a check is about. */
export interface Target {
  kind: KindName;
  namespace: string;
  name: string;
}

/** Passes when the object exists. */
export function exists(target: Target): CheckFn {
  return (state) => {
    state.must(target.kind, target.namespace, target.name);
    return pass(`${target.kind} ${target.name}`);
  };
}

/**
 * Passes when `test` is true of the object. `observed` describes the object, in a pass and in a
 * failure alike: the reader sees what was there either way.
 */
export function holds(target: Target, spec: { expected: Text; test: (o: KubeObject) => boolean; observed: (o: KubeObject) => Text }): CheckFn {
  return (state) => {
    const o = state.must(target.kind, target.namespace, target.name);
    const observed = spec.observed(o);
    return spec.test(o) ? pass(observed) : fail(spec.expected, observed);
  };
}

const show = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Passes when a field of the object equals `value` (deeply, for objects and lists). The field is
 * a dotted path (`spec.strategy.type`), or its keys when a key has dots of its own (a label).
 * Without texts, expected reads `<path> = <value>` and observed `<path> = <what is there>`.
 */
export function fieldEquals(target: Target, path: string | readonly string[], value: unknown, text: { expected?: Text; observed?: (o: KubeObject) => Text } = {}): CheckFn {
  const keys = typeof path === 'string' ? path.split('.') : path;
  const read = (o: KubeObject): unknown => keys.reduce<any>((v, k) => v?.[k], o);
  return holds(target, {
    expected: text.expected ?? `${keys.join('.')} = ${show(value)}`,
    test: (o) => isDeepStrictEqual(read(o), value),
    observed: text.observed ?? ((o) => `${keys.join('.')} = ${show(read(o))}`),
  });
}

/**
 * Every request of a traffic probe answered `version`, and none failed: a failed request is no
 * version of the app (ARCHITECTURE.md#failed-requests), so failures fail the check with their own hint.
 */
export function everyAnswerIs(probe: string, version: string): CheckFn {
  return (s) => {
    const p = s.probe<TrafficProbe>(probe);
    const seen = describeTraffic(p);
    const expected = L(`모든 응답이 ${version}, 실패 없음`, `every answer from ${version}, none failed`);
    if (anyFailed(p)) return fail(expected, seen, { hint: failedTrafficHint(p) });
    return p.requests > 0 && (p.versions[version] ?? 0) === p.requests ? pass(seen) : fail(expected, seen);
  };
}
