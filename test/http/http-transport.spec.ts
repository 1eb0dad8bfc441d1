import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { ADAPTERS, type StartedApp } from '../support/adapters.js';
import { httpTestModule } from './support/http-test-app.js';
import { assertMetricDiff, assertMetricNoDiff, saveRegistry } from 'nest-prometheus/testing';
import { startApp as startHttpApp } from '../support/adapters.js';

const P = 'nestjs_http_';

/** A self-signed certificate for 127.0.0.1, made with the system's openssl. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function getTls(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca, servername: undefined, checkServerIdentity: () => undefined, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

const tls = selfSigned();

for (const adapter of ADAPTERS) {
  describe(`HTTP transport over TLS (${adapter})`, () => {
    const registry = new Registry();
    let app: StartedApp;
    before(async () => {
      app = await startHttpApp(httpTestModule({ registry, defaultMetrics: false }), adapter, { https: tls });
    });
    after(() => app.close());

    it('labels requests served over TLS transport="https"', async () => {
      const s0 = await saveRegistry(registry);
      assert.equal(await getTls(`${app.url}/help`, tls.cert), 200);
      await assertMetricDiff(s0, 1, `${P}requests_total_by_transport_total`, { transport: 'https' });
      await assertMetricNoDiff(s0, `${P}requests_total_by_transport_total`, { transport: 'http' });
      await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.help', transport: 'https', method: 'GET' });
    });
  });
}
