/**
 * src/argocd.ts reads Argo CD's objects as Argo CD does (argo-cd v3.5: util/argo/resource_tracking.go
 * GetAppName and ParseAppInstanceValue, controller/state.go isSelfReferencedObj and
 * specEqualsCompareTo, util/settings/settings.go GetTrackingMethod). The l4-argocd kit cases use
 * these on the simulated platform; the edges are here.
 */
import { describe, expect, it } from 'vitest';
import { appInstanceName, appRevisions, staleComparison, trackingSettings } from '../../src/argocd.js';
import type { KubeObject } from '../../src/snapshot.js';

const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' }, data });
const deployment = (annotations: Record<string, string> = {}, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hello-app', namespace: 'l4-dev', annotations, labels },
});
const ID = 'hello-dev:apps/Deployment:l4-dev/hello-app';

describe('resource tracking', () => {
  it('defaults to the annotation when argocd-cm sets no method (or there is no argocd-cm)', () => {
    expect(trackingSettings(undefined)).toMatchObject({ method: 'annotation', configured: false, labelKey: 'app.kubernetes.io/instance' });
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': ID }), trackingSettings(cm({})))).toBe('hello-dev');
    expect(appInstanceName(deployment({}, { 'app.kubernetes.io/instance': 'hello-dev' }), trackingSettings(cm({})))).toBeUndefined();
  });

  it('with label tracking reads only the configured instance label key', () => {
    const settings = trackingSettings(cm({ 'application.resourceTrackingMethod': 'label', 'application.instanceLabelKey': 'argocd.argoproj.io/instance' }));
    expect(appInstanceName(deployment({}, { 'argocd.argoproj.io/instance': 'hello-dev' }), settings)).toBe('hello-dev');
    expect(appInstanceName(deployment({}, { 'app.kubernetes.io/instance': 'hello-dev' }), settings)).toBeUndefined();
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': ID }), settings)).toBeUndefined();
  });

  it('annotation+label reads the annotation', () => {
    const settings = trackingSettings(cm({ 'application.resourceTrackingMethod': 'annotation+label' }));
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': ID }), settings)).toBe('hello-dev');
    expect(appInstanceName(deployment({}, { 'app.kubernetes.io/instance': 'hello-dev' }), settings)).toBeUndefined();
  });

  it('an id that names another object, or is malformed, does not count', () => {
    const settings = trackingSettings(undefined);
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': 'hello-dev:apps/Deployment:l4-dev/other' }), settings)).toBeUndefined();
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': 'hello-dev' }), settings)).toBeUndefined();
  });

  it('with an installationID, only objects carrying the same installation-id annotation count', () => {
    const settings = trackingSettings(cm({ installationID: 'lab-1' }));
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': ID }), settings)).toBeUndefined();
    expect(appInstanceName(deployment({ 'argocd.argoproj.io/tracking-id': ID, 'argocd.argoproj.io/installation-id': 'lab-1' }), settings)).toBe('hello-dev');
  });
});

describe('comparison', () => {
  const source = { repoURL: 'http://gitea/lab/hello-app.git', path: 'deploy/kustomize/overlays/dev', targetRevision: 'main' };
  const destination = { server: 'https://kubernetes.default.svc', namespace: 'l4-dev' };
  const app = (spec: any, sync: any): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'hello-dev', namespace: 'argocd' }, spec, status: { sync } });

  it('is current when comparedTo equals the spec, empty fields left out as Go writes them', () => {
    expect(staleComparison(app({ source, destination, ignoreDifferences: [] }, { comparedTo: { source, destination } }))).toBeNull();
    // Argo CD writes its own key order; only the values count.
    const reordered = { targetRevision: 'main', path: source.path, repoURL: source.repoURL, helm: { valueFiles: [] } };
    expect(staleComparison(app({ source, destination }, { comparedTo: { destination: { namespace: 'l4-dev', server: destination.server }, source: reordered } }))).toBeNull();
  });

  it('is stale when the source, the destination or the form (sources) differ, and says what', () => {
    const moved = app({ source: { ...source, path: 'deploy/kustomize/overlays/prod' }, destination }, { comparedTo: { source, destination } });
    expect(staleComparison(moved)!.en).toContain('source: {"path":"deploy/kustomize/overlays/dev"');
    expect(staleComparison(app({ source, destination: { ...destination, namespace: 'l4-prod' } }, { comparedTo: { source, destination } }))).not.toBeNull();
    expect(staleComparison(app({ sources: [source], destination }, { comparedTo: { source, destination } }))).not.toBeNull();
  });

  it('reads one revision per source: revisions[] for spec.sources, revision otherwise; an empty sources list is one source', () => {
    expect(appRevisions(app({ sources: [source, { repoURL: 'x', ref: 'values' }], destination }, { revisions: ['a', 'b'], revision: '' }))).toEqual(['a', 'b']);
    expect(appRevisions(app({ source, sources: [], destination }, { revision: 'c' }))).toEqual(['c']);
  });
});
