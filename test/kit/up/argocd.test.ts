/** Component `argocd` of `npm run up` (scripts/lib/up/components/argocd.ts): Argo CD's values. */
import { describe, expect, it } from 'vitest';
import { platformFull as p } from '../../../scripts/lib/platform.js';
import { chartValues } from '../../../scripts/lib/up/renderers/chart-values.js';
import { versions } from '../../../scripts/lib/versions.js';

describe('the Argo CD values (platform/values/argo-cd.yaml + platform.yaml)', () => {
  it('reduced footprint, plain HTTP behind the gateway', () => {
    const v = chartValues('argo-cd', versions, p) as any;
    expect(v.dex.enabled).toBe(false);
    expect(v.notifications.enabled).toBe(false);
    expect(v.configs.params['server.insecure']).toBe(true);
    expect(v.configs.cm.url).toBe('http://argocd.localhost:8080');
  });
});
