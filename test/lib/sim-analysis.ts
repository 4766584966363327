/**
 * A simulated Argo Rollouts analysis controller with the web metric provider, for the kit tests.
 * The Rollout side (creating runs at analysis steps or in the background, aborting on a failed
 * run) is in sim-rollouts.ts; this file is the AnalysisRun itself, following argo-rollouts v1.9.1:
 *
 * - A run is made from AnalysisTemplates with the Rollout's args (rollout/analysis.go
 *   newAnalysisRunFromRollout, utils/analysis/factory.go NewAnalysisRunFromTemplates): named
 *   `<rollout>-<pod hash>-<revision>[-<step index>]`, labelled `rollouts-pod-template-hash`,
 *   `rollout-type` (Step | Background), `step-index`, annotated `rollout.argoproj.io/revision`,
 *   owned by the Rollout; `{{args.<name>}}` in a metric is replaced by the argument's value
 *   (src/rollouts.ts resolvedMetrics, which the grader reads the template with too); an argument
 *   left without a value stops the run's creation ("args.<name> was not resolved").
 * - Measuring (analysis/analysis.go): the first measurement when the run starts, then one every
 *   `interval`; a metric without interval or count measures once (v1alpha1 Metric.EffectiveCount).
 *   Assessment (assessMetricStatus, assessMetricFailureInconclusiveOrError): failed > failureLimit
 *   (default 0) → Failed, inconclusive > inconclusiveLimit (default 0) → Inconclusive,
 *   consecutiveError > consecutiveErrorLimit (default 4) → Error, count reached → Successful; the
 *   run takes its worst metric's phase, with the message `Metric "<name>" assessed <Phase> due to
 *   <why>` (assessRunStatus). `spec.terminate` (a canceled run) ends it Successful with the message
 *   "Run Terminated" unless a metric already failed.
 * - Status as the controller writes it (pkg/apis/rollouts/v1alpha1/analysis_types.go
 *   AnalysisRunStatus): phase, message, startedAt, metricResults[] {name, phase, measurements[]
 *   {phase, value, startedAt, finishedAt, message}, count, successful, failed, inconclusive, error,
 *   consecutiveError, message}, runSummary {count, successful, failed, inconclusive, error}.
 * - The web provider (metricproviders/webmetric/webmetric.go Run, parseResponse): a GET of `url`
 *   (method GET only here); a status outside 2xx is an Error measurement "received non 2xx response
 *   code: <n>"; a JSON body goes through `jsonPath` (default `{$}`; the subset `{$}`, `{$.a.b}`,
 *   `{.a[0]}` of client-go's jsonpath) and the value, JSON-encoded, is the measurement's value; it is
 *   judged by successCondition/failureCondition as utils/evaluate/evaluate.go EvaluateResult does
 *   (only a success condition: failed when it is false; only a failure condition: successful when
 *   it is false; neither: successful; both false: inconclusive). Conditions are expr-lang
 *   expressions; this evaluates the part of expr the labs use: `result`, member access
 *   (`result.errorRate`), numbers, strings, true/false/nil, comparison, `&&`/`and`, `||`/`or`,
 *   `!`/`not`, parentheses, + - * /, and the functions asInt, asFloat, isNaN, isInf, len.
 * - The address: `http://<service>[.<namespace>[.svc[.cluster.local]]][:port]/path` reaches a ready
 *   Pod of that Service (the first by name: kube-proxy would pick one), which answers as hello-app
 *   does (GET /stats: the requests it has answered and how many failed, sim.ts podStats). No
 *   Service, or one without a ready Pod, is an Error measurement, as a refused connection is.
 *
 * Not modelled: other providers, dryRun, consecutiveSuccessLimit, initialDelay, measurement
 * retention limits, POST bodies, headers, timeouts.
 */
import { appContainer, imageRepository } from '../../src/kube/objects.js';
import { resolvedMetrics } from '../../src/rollouts.js';
import type { KubeObject } from '../../src/snapshot.js';
import { matchesSelector } from '../../src/state.js';
import type { SimCluster } from './sim.js';

export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';
export const COMPLETED: AnalysisPhase[] = ['Successful', 'Failed', 'Error', 'Inconclusive'];
const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

/**
 * Seconds of an Argo Rollouts duration: a metric's interval (DurationString, read with Go's
 * time.ParseDuration: pkg/apis/rollouts/v1alpha1/analysis_types.go) or a pause's duration (an int of
 * seconds or such a string). The single units the labs use; anything else reads as 0.
 */
export function durationSeconds(value: string | number | undefined): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(value ?? '0'));
  if (!m) return 0;
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2] ?? 's'];
}

/** The run's spec from templates and the Rollout's args: metrics with args resolved (NewAnalysisRunFromTemplates). */
export function runSpec(templates: KubeObject[], rolloutArgs: { name: string; value?: string }[]): { args: any[]; metrics: any[] } | { error: string } {
  const args: { name: string; value?: string }[] = [];
  for (const t of templates) for (const a of t.spec?.args ?? []) if (!args.some((x) => x.name === a.name)) args.push({ name: a.name, value: a.value });
  for (const a of rolloutArgs) {
    const i = args.findIndex((x) => x.name === a.name);
    if (i >= 0) args[i] = { name: a.name, value: a.value };
  }
  const missing = args.find((a) => a.value === undefined);
  if (missing) return { error: `args.${missing.name} was not resolved` };
  return { args, metrics: templates.flatMap((t) => resolvedMetrics(t, rolloutArgs)) };
}

/** The subset of client-go jsonpath the web provider's `jsonPath` uses here: `{$}`, `{$.a.b}`, `{.a[0].b}`. */
export function jsonPathValue(data: unknown, path: string): { value: unknown } | { error: string } {
  const m = /^\{\s*\$?((?:\.[\w-]+|\[\d+\])*)\s*\}$/.exec(path.trim());
  if (!m) return { error: `sim-analysis: jsonPath ${path} is beyond the simulated subset` };
  let value: any = data;
  for (const part of m[1].match(/\.[\w-]+|\[\d+\]/g) ?? []) {
    const key = part.startsWith('.') ? part.slice(1) : Number(part.slice(1, -1));
    if (value === null || typeof value !== 'object' || !(key in value)) return { error: `Could not find JSONPath in body: ${String(key)} is not found` };
    value = value[key];
  }
  return { value };
}

// ---- a small evaluator for the expr-lang conditions the labs write ----------------------------

type Token = { t: 'num' | 'str' | 'id' | 'op'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][\w]*)|(&&|\|\||==|!=|<=|>=|[<>!+\-*/().,]))/gy;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error(`unexpected token ${JSON.stringify(text.slice(at).trim()[0])}`);
    at = re.lastIndex;
    if (m[1]) tokens.push({ t: 'num', v: m[1] });
    else if (m[2]) tokens.push({ t: 'str', v: m[2].slice(1, -1) });
    else if (m[3]) tokens.push({ t: ['and', 'or', 'not'].includes(m[3]) ? 'op' : 'id', v: m[3] });
    else tokens.push({ t: 'op', v: m[4] });
  }
  return tokens;
}

/** Evaluate a condition with `result` bound, as evaluate.go EvalCondition does (it must give a bool). */
export function evalCondition(result: unknown, condition: string): boolean {
  const tokens = tokenize(condition);
  let i = 0;
  const peek = () => tokens[i];
  const take = (v?: string) => {
    const tok = tokens[i++];
    if (!tok || (v !== undefined && tok.v !== v)) throw new Error(`unexpected token ${tok ? JSON.stringify(tok.v) : 'EOF'}${v ? ` (expected ${v})` : ''}`);
    return tok;
  };
  const functions: Record<string, (...a: any[]) => unknown> = {
    asInt: (x) => Math.trunc(Number(x)),
    asFloat: (x) => Number(x),
    isNaN: (x) => Number.isNaN(x),
    isInf: (x) => x === Infinity || x === -Infinity,
    len: (x) => (typeof x === 'string' || Array.isArray(x) ? x.length : Object.keys(x ?? {}).length),
  };
  const number = (x: unknown) => {
    if (typeof x !== 'number') throw new Error(`invalid operation: ${JSON.stringify(x)} is not a number`);
    return x;
  };
  function primary(): any {
    const tok = take();
    if (tok.t === 'num') return Number(tok.v);
    if (tok.t === 'str') return tok.v;
    if (tok.v === '(') {
      const v = or();
      take(')');
      return postfix(v);
    }
    if (tok.v === '!' || tok.v === 'not') return !truthy(unary());
    if (tok.v === '-') return -number(unary());
    if (tok.t === 'id') {
      if (tok.v === 'true') return true;
      if (tok.v === 'false') return false;
      if (tok.v === 'nil') return null;
      if (peek()?.v === '(' && functions[tok.v]) {
        take('(');
        const args: unknown[] = [];
        while (peek()?.v !== ')') {
          args.push(or());
          if (peek()?.v === ',') take(',');
        }
        take(')');
        return postfix(functions[tok.v](...args));
      }
      if (tok.v === 'result') return postfix(result);
      throw new Error(`unknown name ${tok.v}`);
    }
    throw new Error(`unexpected token ${JSON.stringify(tok.v)}`);
  }
  function postfix(value: any): any {
    while (peek()?.v === '.') {
      take('.');
      const key = take().v;
      value = value === null || value === undefined ? undefined : value[key];
    }
    return value;
  }
  const truthy = (v: unknown) => {
    if (typeof v !== 'boolean') throw new Error(`invalid operation: ${JSON.stringify(v)} is not a bool`);
    return v;
  };
  function unary(): any {
    return primary();
  }
  function product(): any {
    let v = unary();
    while (peek() && ['*', '/'].includes(peek().v)) {
      const op = take().v;
      const r = unary();
      v = op === '*' ? number(v) * number(r) : number(v) / number(r);
    }
    return v;
  }
  function sum(): any {
    let v = product();
    while (peek() && ['+', '-'].includes(peek().v)) {
      const op = take().v;
      const r = product();
      v = op === '+' ? number(v) + number(r) : number(v) - number(r);
    }
    return v;
  }
  function comparison(): any {
    let v = sum();
    while (peek() && ['<', '<=', '>', '>=', '==', '!='].includes(peek().v)) {
      const op = take().v;
      const r = sum();
      if (op === '==') v = v === r;
      else if (op === '!=') v = v !== r;
      else {
        const [a, b] = [number(v), number(r)];
        v = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      }
    }
    return v;
  }
  function and(): any {
    let v = comparison();
    while (peek() && ['&&', 'and'].includes(peek().v)) {
      take();
      const r = comparison();
      v = truthy(v) && truthy(r);
    }
    return v;
  }
  function or(): any {
    let v = and();
    while (peek() && ['||', 'or'].includes(peek().v)) {
      take();
      const r = and();
      v = truthy(v) || truthy(r);
    }
    return v;
  }
  const value = or();
  if (i < tokens.length) throw new Error(`unexpected token ${JSON.stringify(tokens[i].v)}`);
  if (typeof value !== 'boolean') throw new Error(`expected bool, but got ${value === null ? 'nil' : typeof value}`);
  return value;
}

/** evaluate.go EvaluateResult. */
export function evaluateResult(result: unknown, metric: any): { phase: AnalysisPhase; error?: string } {
  try {
    const success = metric.successCondition ? evalCondition(result, metric.successCondition) : false;
    const failure = metric.failureCondition ? evalCondition(result, metric.failureCondition) : false;
    if (!metric.successCondition && !metric.failureCondition) return { phase: 'Successful' };
    const failed = metric.successCondition && !metric.failureCondition ? !success : failure;
    const succeeded = !metric.successCondition && metric.failureCondition ? !failure : success;
    if (failed) return { phase: 'Failed' };
    if (!succeeded) return { phase: 'Inconclusive' };
    return { phase: 'Successful' };
  } catch (error) {
    return { phase: 'Error', error: (error as Error).message };
  }
}

/** What GET `url` answers inside the simulated cluster: a Service's first ready Pod, as hello-app answers. */
function httpGet(sim: SimCluster, namespace: string, url: string): { status: number; body: string } | { error: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: `parse "${url}": invalid URL` };
  }
  const parts = u.hostname.split('.');
  const [name, ns = namespace] = parts;
  const rest = parts.slice(2).join('.');
  if (parts.length > 2 && !['svc', 'svc.cluster.local'].includes(rest)) return { error: `Get "${url}": dial tcp: lookup ${u.hostname}: no such host` };
  const svc = sim.get('Service', ns, name);
  if (!svc) return { error: `Get "${url}": dial tcp: lookup ${u.hostname}: no such host` };
  const port = Number(u.port || 80);
  if (!(svc.spec?.ports ?? []).some((p: any) => p.port === port)) return { error: `Get "${url}": dial tcp ${u.hostname}:${port}: connect: connection refused` };
  const ready = sim
    .list('Pod', ns)
    .filter((p) => matchesSelector(p.metadata.labels, svc.spec?.selector) && sim.podState(p).state === 'ready')
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const pod = ready[0];
  if (!pod) return { error: `Get "${url}": dial tcp ${u.hostname}:${port}: connect: connection refused` };
  if (imageRepository(appContainer({ spec: pod.spec })?.image) !== 'hello-app') return { error: `sim-analysis: ${pod.metadata.name} does not run hello-app` };
  if (u.pathname === '/stats') return { status: 200, body: JSON.stringify(sim.podStats(pod)) };
  if (u.pathname === '/healthz') return { status: 200, body: 'ok\n' };
  return { status: 404, body: JSON.stringify({ error: `no such page: ${u.pathname}` }) };
}

/** One measurement of a web metric (webmetric.go Run). */
function measureWeb(sim: SimCluster, namespace: string, metric: any): any {
  const startedAt = sim.now();
  const error = (message: string) => ({ phase: 'Error', message, startedAt, finishedAt: startedAt });
  const web = metric.provider?.web;
  if ((web.method ?? 'GET') !== 'GET') return error('sim-analysis: only GET is simulated');
  const answer = httpGet(sim, namespace, web.url);
  if ('error' in answer) return error(answer.error);
  if (answer.status < 200 || answer.status >= 300) return error(`received non 2xx response code: ${answer.status}`);
  let data: unknown;
  try {
    data = JSON.parse(answer.body);
  } catch {
    return { phase: 'Successful', value: answer.body, startedAt, finishedAt: startedAt };
  }
  const found = jsonPathValue(data, web.jsonPath ?? '{$}');
  if ('error' in found) return error(found.error);
  const judged = evaluateResult(found.value, metric);
  return { phase: judged.phase, value: JSON.stringify(found.value), ...(judged.error ? { message: judged.error } : {}), startedAt, finishedAt: startedAt };
}

const intOf = (v: unknown, fallback: number) => (v === undefined || v === null ? fallback : Number(v));

/** analysis.go assessMetricStatus (with assessMetricFailureInconclusiveOrError). */
function assessMetric(metric: any, result: any, terminating: boolean): { phase: AnalysisPhase; why?: string } {
  if (COMPLETED.includes(result.phase)) return { phase: result.phase };
  if (!result.measurements?.length) return { phase: terminating ? 'Successful' : 'Pending' };
  const failureLimit = intOf(metric.failureLimit, 0);
  const inconclusiveLimit = intOf(metric.inconclusiveLimit, 0);
  const errorLimit = intOf(metric.consecutiveErrorLimit, DEFAULT_CONSECUTIVE_ERROR_LIMIT);
  let phase: AnalysisPhase | undefined;
  let why: string | undefined;
  if (failureLimit >= 0 && result.failed > failureLimit) [phase, why] = ['Failed', `failed (${result.failed}) > failureLimit (${failureLimit})`];
  if (result.inconclusive > inconclusiveLimit) [phase, why] = ['Inconclusive', `inconclusive (${result.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`];
  if (result.consecutiveError > errorLimit) [phase, why] = ['Error', `consecutiveErrors (${result.consecutiveError}) > consecutiveErrorLimit (${errorLimit})`];
  if (phase) return { phase, why };
  const count = metric.count ? Number(metric.count) : metric.interval ? undefined : 1;
  if (count !== undefined && result.count >= count) return { phase: 'Successful' };
  return { phase: terminating ? 'Successful' : 'Running' };
}

/** Measure what is due and assess one AnalysisRun; returns whether it changed. */
export function reconcileAnalysisRun(sim: SimCluster, run: KubeObject): boolean {
  const before = JSON.stringify(run.status ?? {});
  const status = structuredClone(run.status ?? {});
  if (COMPLETED.includes(status.phase)) return false;
  status.startedAt ??= sim.now();
  const metrics: any[] = run.spec?.metrics ?? [];
  const terminating = Boolean(run.spec?.terminate);
  const results: any[] = (status.metricResults ??= []);
  const order: AnalysisPhase[] = ['Successful', 'Pending', 'Running', 'Inconclusive', 'Error', 'Failed'];
  let worst: AnalysisPhase = 'Successful';
  let message = terminating ? 'Run Terminated' : '';
  for (const metric of metrics) {
    let result = results.find((r) => r.name === metric.name);
    if (!result) {
      result = { name: metric.name, phase: 'Pending', measurements: [], count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0 };
      results.push(result);
    }
    if (!COMPLETED.includes(result.phase) && !terminating) {
      const last = result.measurements.at(-1);
      const due = !last || Date.parse(sim.now()) >= Date.parse(last.finishedAt) + durationSeconds(metric.interval) * 1000;
      const count = metric.count ? Number(metric.count) : metric.interval ? Infinity : 1;
      if (due && result.count < count) {
        const m = metric.provider?.web ? measureWeb(sim, run.metadata.namespace!, metric) : { phase: 'Error', message: 'sim-analysis: only the web provider is simulated', startedAt: sim.now(), finishedAt: sim.now() };
        result.measurements.push(m);
        result.count++;
        const key = ({ Successful: 'successful', Failed: 'failed', Inconclusive: 'inconclusive', Error: 'error' } as Record<string, string>)[m.phase];
        result[key]++;
        result.consecutiveError = m.phase === 'Error' ? result.consecutiveError + 1 : 0;
      }
    }
    const assessed = assessMetric(metric, result, terminating);
    if (assessed.phase !== result.phase) {
      result.phase = assessed.phase;
      if (['Failed', 'Error'].includes(assessed.phase)) {
        const lastMessage = result.measurements.at(-1)?.message;
        if (lastMessage) result.message = lastMessage;
      }
      if (assessed.why && order.indexOf(assessed.phase) > order.indexOf(worst)) {
        message = `Metric "${metric.name}" assessed ${assessed.phase} due to ${assessed.why}${result.message ? `: "Error Message: ${result.message}"` : ''}`;
      }
    }
    if (order.indexOf(result.phase) > order.indexOf(worst)) worst = result.phase;
  }
  const summary = { count: metrics.length, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  for (const r of results) {
    const key = ({ Successful: 'successful', Failed: 'failed', Inconclusive: 'inconclusive', Error: 'error' } as Record<string, keyof typeof summary>)[r.phase];
    if (key) summary[key]++;
  }
  status.runSummary = summary;
  status.phase = worst === 'Pending' ? 'Running' : worst;
  if (message && status.phase !== 'Running') status.message = message;
  else if (!COMPLETED.includes(status.phase)) delete status.message;
  if (JSON.stringify(status) === before) return false;
  return sim.setStatus(run, status);
}
