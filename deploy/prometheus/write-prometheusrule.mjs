// Writes deploy/kubernetes/prometheusrule.yaml (the rules for the Prometheus Operator) from
// deploy/prometheus/rules/nest-prometheus.rules.yml:
//   node deploy/prometheus/write-prometheusrule.mjs
// test/deploy checks that the two hold the same groups.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const { groups } = parse(readFileSync(join(here, 'rules/nest-prometheus.rules.yml'), 'utf8'));
const rule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'nest-prometheus', labels: { 'app.kubernetes.io/name': 'nest-prometheus-sample' } },
  spec: { groups },
};
const header = [
  '# Generated from deploy/prometheus/rules/nest-prometheus.rules.yml by',
  '# deploy/prometheus/write-prometheusrule.mjs: edit the rules file, then run the script.',
  '# For the Prometheus Operator: its ruleSelector must match the labels below.',
];
writeFileSync(join(here, '../kubernetes/prometheusrule.yaml'), `${header.join('\n')}\n${stringify(rule, { lineWidth: 0 })}`);
