import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { PrometheusModule } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { ADAPTERS, startApp } from '../support/adapters.js';

for (const adapter of ADAPTERS) {
  describe(`smoke (${adapter})`, () => {
    const registry = new Registry();
    @Module({ imports: [PrometheusModule.forRoot({ registry })] })
    class AppModule {}
    let close: () => Promise<void> = async () => {};
    after(() => close());

    it('serves /metrics', async () => {
      const started = await startApp(AppModule, adapter);
      close = started.close;
      const res = await fetch(`${started.url}/metrics`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), registry.contentType);
      assert.match(await res.text(), /process_cpu_user_seconds_total/);
    });
  });
}
