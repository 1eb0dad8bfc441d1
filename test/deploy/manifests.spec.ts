// deploy/kubernetes against Kubernetes' own schemas, offline: kubernetes-models (the Kubernetes
// OpenAPI schemas and the Prometheus Operator CRDs compiled to validators, from the npm registry)
// checks types, formats and required fields; the same package's TypeScript types then reject any
// field the schemas do not define (TypeScript's excess-property check), which the validators allow.
// On top: the references between the objects (selectors, named ports, scrape annotations).
// Not run here: `kubectl apply` (no cluster).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_DIR, ROOT, RULES_FILE } from './support/deploy-files.js';
import { typecheckJson } from './support/typecheck-json.js';

interface Manifest {
  readonly file: string;
  readonly doc: Record<string, any>;
}

/** Kind → the kubernetes-models module that holds its model (validator) and its TypeScript type. */
const MODELS: Record<string, { module: string; exportName: string; typeName: string }> = {
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', exportName: 'Deployment', typeName: 'IDeployment' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', exportName: 'Service', typeName: 'IService' },
  'monitoring.coreos.com/v1/PrometheusRule': {
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    exportName: 'PrometheusRule',
    typeName: 'IPrometheusRule',
  },
  'monitoring.coreos.com/v1/ServiceMonitor': {
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
    exportName: 'ServiceMonitor',
    typeName: 'IServiceMonitor',
  },
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    })
    .sort();
}

function load(): Manifest[] {
  return yamlFiles(KUBERNETES_DIR).flatMap((path) =>
    parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
      assert.deepEqual(d.errors, [], path);
      return { file: relative(KUBERNETES_DIR, path), doc: d.toJS() as Record<string, any> };
    }),
  );
}

const key = (doc: Record<string, any>) => `${doc.apiVersion}/${doc.kind}`;

/** The manifests one applies together: the top folder, or a variant folder with the top folder's Service. */
function sets(manifests: ReadonlyArray<Manifest>): Array<{ name: string; items: Manifest[] }> {
  const top = manifests.filter((m) => !m.file.includes('/'));
  const variants = [...new Set(manifests.filter((m) => m.file.includes('/')).map((m) => m.file.split('/')[0]))];
  return [
    { name: 'deploy/kubernetes', items: top },
    ...variants.map((v) => {
      const items = manifests.filter((m) => m.file.startsWith(`${v}/`));
      const kinds = new Set(items.map((m) => m.doc.kind));
      return { name: `deploy/kubernetes/${v}`, items: [...items, ...top.filter((m) => !kinds.has(m.doc.kind))] };
    }),
  ];
}

describe('deploy/kubernetes manifests', () => {
  const manifests = load();

  it('are a Deployment, a Service, a ServiceMonitor and a PrometheusRule (plus the app-port variant)', () => {
    assert.deepEqual(
      manifests.map((m) => `${m.file}: ${m.doc.kind}`),
      [
        'app-port/deployment.yaml: Deployment',
        'app-port/servicemonitor.yaml: ServiceMonitor',
        'deployment.yaml: Deployment',
        'prometheusrule.yaml: PrometheusRule',
        'service.yaml: Service',
        'servicemonitor.yaml: ServiceMonitor',
      ],
    );
  });

  it('the PrometheusRule holds exactly the groups of deploy/prometheus/rules (node deploy/prometheus/write-prometheusrule.mjs)', () => {
    const rule = manifests.find((m) => m.doc.kind === 'PrometheusRule')!.doc;
    const file = parseAllDocuments(readFileSync(RULES_FILE, 'utf8'))[0].toJS() as { groups: unknown };
    assert.deepEqual(rule.spec.groups, file.groups);
  });

  it('validate against the Kubernetes and Prometheus Operator schemas (kubernetes-models)', async () => {
    for (const { file, doc } of manifests) {
      const model = MODELS[key(doc)];
      assert.ok(model, `${file}: no schema for ${key(doc)}`);
      const Model = ((await import(model.module)) as Record<string, new (data: unknown) => { validate(): void }>)[model.exportName];
      assert.doesNotThrow(() => new Model(doc).validate(), `${file}`);
    }
  });

  it('the schema validation rejects what a cluster would (a number where a string belongs, a missing field)', async () => {
    const { Deployment } = (await import('kubernetes-models/apps/v1/Deployment')) as { Deployment: new (d: unknown) => { validate(): void } };
    const deployment = structuredClone(manifests.find((m) => m.file === 'deployment.yaml')!.doc);
    deployment.spec.template.metadata.annotations['prometheus.io/port'] = 9100;
    assert.throws(() => new Deployment(deployment).validate(), /annotations\/prometheus\.io~1port must be string/);
    delete deployment.spec.selector;
    assert.throws(() => new Deployment(deployment).validate(), /selector/);
  });

  it('define no field the schemas do not know (type-checked against the kubernetes-models types)', () => {
    const check = (docs: ReadonlyArray<Manifest>) => typecheckJson(docs.map(({ doc }) => ({ ...MODELS[key(doc)], value: doc })));
    const ok = check(manifests);
    assert.equal(ok.code, 0, ok.output);
    // the check has teeth: a misspelt field is reported
    const typo = structuredClone(manifests.find((m) => m.file === 'deployment.yaml')!);
    typo.doc.spec.template.spec.containers[0].readinessProbes = typo.doc.spec.template.spec.containers[0].readinessProbe;
    const bad = check([typo]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.output, /readinessProbes/);
  });

  for (const set of sets(manifests)) {
    it(`${set.name}: the Service selects the pods, and every scrape path names a port the container declares`, () => {
      const deployment = set.items.find((m) => m.doc.kind === 'Deployment')!.doc;
      const service = set.items.find((m) => m.doc.kind === 'Service')!.doc;
      const monitor = set.items.find((m) => m.doc.kind === 'ServiceMonitor')!.doc;
      const pod = deployment.spec.template;
      const container = pod.spec.containers[0];
      const containerPorts = new Map<string, number>(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));

      assert.deepEqual(deployment.spec.selector.matchLabels, pick(pod.metadata.labels, Object.keys(deployment.spec.selector.matchLabels)));
      assert.deepEqual(service.spec.selector, pick(pod.metadata.labels, Object.keys(service.spec.selector)));
      assert.deepEqual(monitor.spec.selector.matchLabels, pick(service.metadata.labels, Object.keys(monitor.spec.selector.matchLabels)));

      // pod annotations (prometheus.kubernetes.yml): a declared port, the metrics path
      const annotations = pod.metadata.annotations;
      assert.equal(annotations['prometheus.io/scrape'], 'true');
      assert.equal(annotations['prometheus.io/path'], '/metrics');
      assert.ok([...containerPorts.values()].includes(Number(annotations['prometheus.io/port'])), `annotated port ${annotations['prometheus.io/port']} is declared`);
      // the app listens where the pod says
      const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      assert.equal(Number(env.PORT), containerPorts.get('http'));
      if (containerPorts.has('metrics')) {
        assert.equal(Number(env.PROMETHEUS_METRICS_EXPORT_PORT), containerPorts.get('metrics'));
        assert.equal(annotations['prometheus.io/port'], String(containerPorts.get('metrics')), 'with a metrics port, the annotation scrapes it (not the app port too)');
      } else {
        assert.equal(env.PROMETHEUS_METRICS_EXPORT_PORT, undefined);
        assert.equal(annotations['prometheus.io/port'], String(containerPorts.get('http')));
      }
      // ServiceMonitor → a Service port → a container port of the same number as the annotation
      for (const endpoint of monitor.spec.endpoints) {
        const servicePort = service.spec.ports.find((p: { name: string }) => p.name === endpoint.port);
        assert.ok(servicePort, `ServiceMonitor port ${endpoint.port} is a Service port`);
        assert.ok(containerPorts.has(servicePort.targetPort), `Service targetPort ${servicePort.targetPort} is a container port`);
        assert.equal(String(containerPorts.get(servicePort.targetPort)), annotations['prometheus.io/port'], 'annotation and ServiceMonitor scrape the same port');
        assert.equal(endpoint.path, '/metrics');
      }
      // probes name declared ports
      for (const probe of [container.readinessProbe, container.livenessProbe].filter(Boolean)) assert.ok(containerPorts.has(probe.httpGet.port), `probe port ${probe.httpGet.port}`);
    });
  }
});

function pick(labels: Record<string, string>, keys: ReadonlyArray<string>): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, labels[k]]));
}

describe('deploy/docker/Dockerfile (not built here: no Docker engine on these machines)', () => {
  const text = readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

  it('copies only paths that exist in the checkout (build context = repository root)', () => {
    const copies = instructions.filter((l) => /^COPY\s/.test(l) && !/--from=/.test(l));
    assert.ok(copies.length > 0);
    for (const line of copies) {
      const parts = line.trim().split(/\s+/).slice(1);
      for (const source of parts.slice(0, -1)) assert.ok(statSync(join(ROOT, source), { throwIfNoEntry: false }), `${source} (${line.trim()})`);
    }
  });

  it('runs what `npm start` runs, on the ports the Deployment declares', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.start, /node build\/sample\/main\.js$/);
    assert.ok(instructions.includes('CMD ["node", "build/sample/main.js"]'));
    const deployment = load().find((m) => m.file === 'deployment.yaml')!.doc;
    const ports = deployment.spec.template.spec.containers[0].ports.map((p: { containerPort: number }) => String(p.containerPort));
    const exposed = instructions.find((l) => l.startsWith('EXPOSE'))!.split(/\s+/).slice(1);
    assert.deepEqual(exposed.sort(), ports.sort());
    assert.match(text, new RegExp(`-t ${deployment.spec.template.spec.containers[0].image.replace(/\./g, '\\.')} \\.`), 'the documented tag is the image the Deployment runs');
  });
});
