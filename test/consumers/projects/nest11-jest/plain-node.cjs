// Plain CommonJS under Node (no Jest): require() resolves the CommonJS build; decorators applied by hand.
require('reflect-metadata');
const { Module, Controller, Get, Injectable, Inject } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { PrometheusModule, makeCounterProvider, getMetricToken } = require('nest-prometheus');

class HitsController {
  constructor(hits) {
    this.hits = hits;
  }
  hit() {
    this.hits.inc();
    return { ok: true };
  }
}
Inject(getMetricToken('compat_hits_total'))(HitsController, undefined, 0);
Controller('hit')(HitsController);
Get()(HitsController.prototype, 'hit', Object.getOwnPropertyDescriptor(HitsController.prototype, 'hit'));

class AppModule {}
Module({
  imports: [PrometheusModule.forRoot({ defaultMetrics: false })],
  controllers: [HitsController],
  providers: [makeCounterProvider({ name: 'compat_hits_total', help: 'Hits' })],
})(AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  await fetch(`${url}/hit`);
  const res = await fetch(`${url}/metrics`);
  const body = await res.text();
  const nestVersion = require('@nestjs/core/package.json').version;
  const sameCommon = require.resolve('@nestjs/common') === require.resolve('@nestjs/common', { paths: [require.resolve('nest-prometheus')] });
  const httpCounted = body.includes('nestjs_http_requests_total_by_view_transport_method_total{view="HitsController.hit",transport="http",method="GET"} 1');
  const format = require.resolve('nest-prometheus').endsWith(require('path').join('dist', 'cjs', 'index.js')) ? 'commonjs' : 'esm';
  console.log(JSON.stringify({ status: res.status, hits: /^compat_hits_total 1$/m.test(body), httpCounted, nestVersion, sameCommon, format }));
  await app.close();
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
