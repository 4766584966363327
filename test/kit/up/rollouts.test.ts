/** Component `rollouts` of `npm run up` (scripts/lib/up/components/rollouts.ts): the plugin and Argo Rollouts' values. */
import { describe, expect, it } from 'vitest';
import { platformFull as p } from '../../../scripts/lib/platform.js';
import { chartValues } from '../../../scripts/lib/up/renderers/chart-values.js';
import { versions } from '../../../scripts/lib/versions.js';

describe('the Argo Rollouts values (platform/values/argo-rollouts.yaml + versions.json)', () => {
  it('the Gateway API plugin by the name of versions.json, loaded from the node, with its RBAC', () => {
    const v = chartValues('argo-rollouts', versions, p) as any;
    expect(v.controller.trafficRouterPlugins).toEqual([{ name: versions.rolloutsPlugin.name, location: `file:///lab-plugins/gatewayapi-plugin-${versions.rolloutsPlugin.version}` }]);
    expect(v.controller.volumeMounts[0].mountPath).toBe('/lab-plugins');
    expect(v.providerRBAC.providers.gatewayAPI).toBe(true);
  });
});
