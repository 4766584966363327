/** Component `gateway` of `npm run up` (scripts/lib/up/components/gateway.ts): the Gateway API CRDs and NGINX Gateway Fabric's values. */
import { describe, expect, it } from 'vitest';
import { platformFull as p } from '../../../scripts/lib/platform.js';
import { plan } from '../../../scripts/lib/up/plan.js';
import { chartValues } from '../../../scripts/lib/up/renderers/chart-values.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { actionLines, fakeContext, freshState, testCredentials } from '../../lib/fake-platform.js';

testCredentials();

describe('the Gateway API CRDs', () => {
  it('are the pinned release\'s standard channel', async () => {
    const { ctx } = fakeContext(freshState());
    expect(actionLines(await plan(upSteps(['gateway']), ctx)).join('\n')).toContain(`gateway-api/releases/download/${versions.gatewayApi.version}/standard-install.yaml`);
  });
});

describe('the NGINX Gateway Fabric values (platform/values/nginx-gateway-fabric.yaml + platform.yaml)', () => {
  it('the NGINX Service is a NodePort on the port kind maps', () => {
    const v = chartValues('nginx-gateway-fabric', versions, p) as any;
    expect(v.nginx.service).toMatchObject({ type: 'NodePort', nodePorts: [{ port: p.kind.gatewayNodePort, listenerPort: 80 }] });
  });
});
