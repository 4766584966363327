/**
 * Readings of Gateway API HTTPRoutes (gateway.networking.k8s.io/v1): which rule applies to plain
 * requests, and the share of traffic each backend gets. Weights are relative
 * (spec.rules[].backendRefs[].weight, default 1; https://gateway-api.sigs.k8s.io/reference/spec/
 * "HTTPBackendRef"), so 80/20 and 4/1 give the same shares.
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

/** "web-stable 80, web-canary 20" */
export function describeShares(shares: Share[]): string {
  return shares.length ? shares.map((s) => `${s.service} ${s.weight}`).join(', ') : 'no backends';
}

/** The rules of a route that send to both of these Services. */
export function rulesWith(route: KubeObject, ...services: string[]): any[] {
  return (route.spec?.rules ?? []).filter((rule: any) => services.every((svc) => (rule.backendRefs ?? []).some((b: any) => b.name === svc)));
}
