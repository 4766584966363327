/**
 * How a Gateway routes a request by HTTPRoutes (gateway.networking.k8s.io/v1), in one place: the
 * graders' route checks and the kit's simulated gateway both ask `routeRequest`, so a check says
 * what a request really gets. The rules, as the Gateway API spec states them
 * (kubernetes-sigs/gateway-api v1.6, apis/v1/httproute_types.go):
 *
 * - HTTPRouteRule.matches: "Each match is independent, i.e. this rule will be matched if **any**
 *   one of the matches is satisfied"; no matches means a prefix match on "/" (every request).
 * - HTTPRouteMatch: "Multiple match types are ANDed together": path AND headers AND query
 *   parameters AND method. A match without a path matches the prefix "/".
 * - Paths: `Exact` is case-sensitive equality; `PathPrefix` matches element by element ("/abc"
 *   matches "/abc", "/abc/" and "/abc/def", not "/abcd"; a trailing "/" of the prefix is ignored);
 *   `RegularExpression` is implementation-specific (here: a full match of a JavaScript RegExp).
 * - Headers: names case-insensitive, `Exact` (default) or `RegularExpression`; of several entries
 *   with the same name only the first counts. Query parameters: names exact (case-sensitive).
 * - Precedence across all rules of the routes that apply: an Exact path match; then the longest
 *   PathPrefix; then a method match; then the most header matches; then the most query matches;
 *   then the oldest route, then "{namespace}/{name}" alphabetically; then the first rule in list
 *   order. No rule → HTTP 404.
 * - Backends: weights are relative (`weight`, default 1; 0 sends nothing), so 80/20 and 4/1 give
 *   the same shares; a rule whose backends all have weight 0 (or none) answers HTTP 500.
 *
 * Filters (redirects, rewrites, mirrors) are not evaluated: no lab uses them.
 */
import type { KubeObject } from '../snapshot.js';

export interface Share {
  service: string;
  weight: number;
  share: number;
}

/** The backends of one rule with their weights and shares of that rule's traffic. */
export function ruleShares(rule: any): Share[] {
  const refs = (rule?.backendRefs ?? []).filter((b: any) => (b.kind ?? 'Service') === 'Service');
  const total = refs.reduce((sum: number, b: any) => sum + (b.weight ?? 1), 0);
  return refs.map((b: any) => ({ service: b.name, weight: b.weight ?? 1, share: total > 0 ? (b.weight ?? 1) / total : 0 }));
}

/** The backends that receive traffic (weight absent means 1, weight 0 means none). */
export const activeShares = (rule: any): Share[] => ruleShares(rule).filter((b) => b.weight > 0);

/** "web-stable 80, web-canary 20" */
export function describeShares(shares: Share[]): string {
  return shares.length ? shares.map((s) => `${s.service} ${s.weight}`).join(', ') : 'no backends';
}

/** A request as a client sends it through the gateway. */
export interface RouteRequest {
  host?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** "GET / with X-Canary: always" */
export function describeRequest(req: RouteRequest): string {
  const query = Object.entries(req.query ?? {}).map(([k, v]) => `${k}=${v}`).join('&');
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `${req.method ?? 'GET'} ${req.path ?? '/'}${query ? `?${query}` : ''}${headers ? ` with ${headers}` : ''}`;
}

/** The first entry of each name (header names compared case-insensitively): later ones are ignored. */
function firstByName(entries: any[] | undefined, fold: boolean): any[] {
  const seen = new Set<string>();
  return (entries ?? []).filter((e) => {
    const name = fold ? String(e.name).toLowerCase() : String(e.name);
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
}

const fullMatch = (pattern: string, value: string) => {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
};

function pathMatches(p: any, path: string): boolean {
  const type = p?.type ?? 'PathPrefix';
  const value: string = p?.value ?? '/';
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return fullMatch(value, path);
  const prefix = value.replace(/\/+$/, '');
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

/** One condition of a match, for messages: "path /api", "header env: test", "method POST". */
function describePath(p: any): string {
  const type = p?.type ?? 'PathPrefix';
  const value = p?.value ?? '/';
  return type === 'PathPrefix' ? `path ${value}` : type === 'Exact' ? `exact path ${value}` : `path ~ ${value}`;
}
const describeValue = (type: string | undefined, value: string) => ((type ?? 'Exact') === 'Exact' ? value : `~ ${value}`);

/** The conditions of a match that a request does not meet (all must hold: they are ANDed). */
export function unmetConditions(match: any, req: RouteRequest): string[] {
  const unmet: string[] = [];
  const path = req.path ?? '/';
  if (!pathMatches(match?.path, path)) unmet.push(describePath(match?.path));
  if (match?.method && match.method !== (req.method ?? 'GET')) unmet.push(`method ${match.method}`);
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const h of firstByName(match?.headers, true)) {
    const got = headers[String(h.name).toLowerCase()];
    const ok = got !== undefined && ((h.type ?? 'Exact') === 'Exact' ? got === h.value : fullMatch(h.value, got));
    if (!ok) unmet.push(`header ${h.name}: ${describeValue(h.type, h.value)}`);
  }
  for (const q of firstByName(match?.queryParams, false)) {
    const got = req.query?.[q.name];
    const ok = got !== undefined && ((q.type ?? 'Exact') === 'Exact' ? got === q.value : fullMatch(q.value, got));
    if (!ok) unmet.push(`query ${q.name}=${describeValue(q.type, q.value)}`);
  }
  return unmet;
}

/** The matches of a rule, with the spec's default when it has none. */
export const matchesOf = (rule: any): any[] => (rule?.matches?.length ? rule.matches : [{ path: { type: 'PathPrefix', value: '/' } }]);

/** "header X-Canary: always", "path /api, header X-Canary: always", "all requests" */
export function describeMatch(match: any): string {
  const parts: string[] = [];
  const p = match?.path;
  if (p && !((p.type ?? 'PathPrefix') === 'PathPrefix' && (p.value ?? '/').replace(/\/+$/, '') === '')) parts.push(describePath(p));
  if (match?.method) parts.push(`method ${match.method}`);
  for (const h of match?.headers ?? []) parts.push(`header ${h.name}: ${describeValue(h.type, h.value)}`);
  for (const q of match?.queryParams ?? []) parts.push(`query ${q.name}=${describeValue(q.type, q.value)}`);
  return parts.length ? parts.join(', ') : 'all requests';
}

/** The precedence of a match, compared left to right (higher wins). */
function precedence(match: any): number[] {
  const type = match?.path?.type ?? 'PathPrefix';
  const value: string = match?.path?.value ?? '/';
  return [type === 'Exact' ? 1 : 0, type === 'PathPrefix' || type === 'Exact' ? value.length : 0, match?.method ? 1 : 0, firstByName(match?.headers, true).length, firstByName(match?.queryParams, false).length];
}

export interface RouteHit {
  route: KubeObject;
  rule: any;
  /** 0-based positions, for messages (shown 1-based). */
  ruleIndex: number;
  match: any;
  matchIndex: number;
}

/** Does a route serve this host? No hostnames means every host; `*.example` matches one label or more. */
export function routeServesHost(route: KubeObject, host: string | undefined): boolean {
  const names: string[] = route.spec?.hostnames ?? [];
  if (!host || names.length === 0) return true;
  return names.some((n) => (n.startsWith('*.') ? host.endsWith(n.slice(1)) && host.length > n.length - 1 : n === host));
}

/**
 * The rule (and match) of these routes that a request gets, by the spec's precedence; undefined
 * when none matches (the gateway answers 404). The caller passes the routes that apply (attached
 * to the gateway); routes that do not serve the request's host are left out here.
 */
export function routeRequest(routes: KubeObject[], req: RouteRequest): RouteHit | undefined {
  const order = (r: KubeObject) => [String(r.metadata.creationTimestamp ?? ''), `${r.metadata.namespace ?? ''}/${r.metadata.name}`];
  let best: { hit: RouteHit; key: number[]; route: string[] } | undefined;
  for (const route of routes) {
    if (!routeServesHost(route, req.host)) continue;
    (route.spec?.rules ?? []).forEach((rule: any, ruleIndex: number) => {
      matchesOf(rule).forEach((match: any, matchIndex: number) => {
        if (unmetConditions(match, req).length) return;
        const key = precedence(match);
        const candidate = { hit: { route, rule, ruleIndex, match, matchIndex }, key, route: order(route) };
        if (!best || wins(candidate, best)) best = candidate;
      });
    });
  }
  return best?.hit;
}

function wins(a: { key: number[]; route: string[]; hit: RouteHit }, b: { key: number[]; route: string[]; hit: RouteHit }): boolean {
  for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] > b.key[i];
  // Ties across routes: the oldest, then {namespace}/{name}; within a route, the first rule (kept: b came first).
  if (a.hit.route !== b.hit.route) {
    if (a.route[0] !== b.route[0]) return a.route[0] !== '' && (b.route[0] === '' || a.route[0] < b.route[0]);
    return a.route[1] < b.route[1];
  }
  return false;
}

/** "rule 2 (all requests): web-stable 80, web-canary 20" */
export function describeHit(hit: RouteHit): string {
  return `rule ${hit.ruleIndex + 1} (${describeMatch(hit.match)}): ${describeShares(activeShares(hit.rule))}`;
}

/**
 * Why rules that mention something (a header, say) did not take a request: "rule 1 matches
 * header X-Canary: always only with header env: test". For messages when a request lands
 * elsewhere than the learner meant.
 */
export function nearMisses(route: KubeObject, req: RouteRequest, relevant: (match: any) => boolean, except?: RouteHit): string[] {
  const out: string[] = [];
  (route.spec?.rules ?? []).forEach((rule: any, ruleIndex: number) => {
    if (except && except.route === route && except.ruleIndex === ruleIndex) return;
    for (const match of matchesOf(rule)) {
      if (!relevant(match)) continue;
      const unmet = unmetConditions(match, req);
      if (unmet.length) out.push(`rule ${ruleIndex + 1} (${describeMatch(match)}) does not match it: it also needs ${unmet.join(', ')}`);
      else out.push(`rule ${ruleIndex + 1} (${describeMatch(match)}) matches it but loses to a more specific rule`);
    }
  });
  return out;
}

/** The route's conditions that are not True, from each Gateway ("…: Accepted=False (NoMatchingParent: …)"). */
export function routeConditionLines(route: KubeObject | undefined): string[] {
  if (!route) return [];
  return (route.status?.parents ?? []).flatMap((p: any) =>
    (p.conditions ?? [])
      .filter((c: any) => c.status !== 'True')
      .map((c: any) => `HTTPRoute ${route.metadata.name}, parent ${p.parentRef?.namespace ?? route.metadata.namespace}/${p.parentRef?.name}: ${c.type}=${c.status} (${c.reason}: ${c.message})`),
  );
}

/** Is the route attached to a Gateway (some parent reports Accepted=True)? */
export const routeAccepted = (route: KubeObject): boolean =>
  (route.status?.parents ?? []).some((p: any) => (p.conditions ?? []).some((c: any) => c.type === 'Accepted' && c.status === 'True'));
