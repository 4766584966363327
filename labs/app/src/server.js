// hello-app: the sample app of cicd-lab. Settings come from the environment (see README.md).
//
// Shutdown (SIGTERM from Kubernetes, or SIGINT): /readyz turns 503 at once, the app keeps
// answering for SHUTDOWN_DELAY_SECONDS while the Pod leaves the Service's endpoints, then stops
// accepting, finishes what is in flight, closes its database connection and exits. That is what
// lets a rolling update run without failed requests.
import { createServer } from 'node:http';
import { createApp, missingReason } from './app.js';
import { readConfig } from './config.js';
import { Shop } from './shop.js';

const log = (line) => console.log(`${new Date().toISOString()} ${line}`);

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  console.error(`hello-app: ${error.message}`);
  process.exit(2);
}

const shop = config.databaseUrl ? new Shop({ databaseUrl: config.databaseUrl, schemaVersion: config.schemaVersion, log: (l) => log(`shop: ${l}`) }) : undefined;
const app = createApp({ config, shop });
const server = createServer((req, res) => void app.handle(req, res));
// Behind a gateway that keeps connections open, idle keep-alive must outlast the proxy's.
server.keepAliveTimeout = 65_000;

server.listen(config.port, () => {
  const { port } = server.address();
  log(`hello-app ${config.version} (${config.color.name}) listening on :${port}${shop ? `, database mode (schema ${config.schemaVersion})` : ''}${config.readyDelaySeconds ? `, ready in ${config.readyDelaySeconds} s` : ''}`);
  // What keeps it from ever being ready, or makes it fail requests, said once at start (kubectl logs).
  if (config.missingSettings.length) log(`never ready: ${missingReason(config.missingSettings)}`);
  if (config.failPercent) log(`FAIL_PERCENT=${config.failPercent}: ${config.failPercent}% of GET / requests will fail with 500`);
});
shop?.start();

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  app.startShutdown();
  log(`${signal}: not ready any more; stopping in ${config.shutdownDelaySeconds} s`);
  setTimeout(() => {
    server.close(async () => {
      await shop?.close();
      log('stopped');
      process.exit(0);
    });
    server.closeIdleConnections?.();
    // Whatever is still open after 10 s is not going to finish.
    setTimeout(() => process.exit(0), 10_000).unref();
  }, config.shutdownDelaySeconds * 1000);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
