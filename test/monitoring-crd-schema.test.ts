import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Duration } from 'cdk8s';
import { synthMlflow } from './helpers/synth';
import { SecretKey } from '../src';

// The CRDs cdk8s.yaml imports from (outside the repository: ../shared/crds next to the checkout).
const CRD_DIR = path.join(__dirname, '..', '..', 'shared', 'crds');
const CRD_DIR_ALT = '/work/shared/crds';
const dir = fs.existsSync(CRD_DIR) ? CRD_DIR : CRD_DIR_ALT;
const available = fs.existsSync(path.join(dir, 'monitoring.coreos.com_servicemonitors.yaml'));

function schemaOf(file: string): any {
  const crd = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  return crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema;
}

/** Structural-schema check: types, required, enums, patterns, and no field the schema does not know. */
function validate(value: any, schema: any, at: string, errors: string[]): void {
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) errors.push(`${at}: not int-or-string`);
    return;
  }
  const t = schema.type;
  const ok = t === undefined
    || (t === 'object' && value && typeof value === 'object' && !Array.isArray(value))
    || (t === 'array' && Array.isArray(value))
    || (t === 'string' && typeof value === 'string')
    || (t === 'integer' && Number.isInteger(value))
    || (t === 'number' && typeof value === 'number')
    || (t === 'boolean' && typeof value === 'boolean');
  if (!ok) {
    errors.push(`${at}: expected ${t}, got ${JSON.stringify(value)}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${schema.enum.join('|')}`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: ${value} does not match ${schema.pattern}`);
  if (t === 'array') value.forEach((v: any, i: number) => validate(v, schema.items ?? {}, `${at}[${i}]`, errors));
  if (t === 'object') {
    for (const r of schema.required ?? []) if (!(r in value)) errors.push(`${at}: missing ${r}`);
    for (const [k, v] of Object.entries(value)) {
      if (at === '' && k === 'metadata') continue; // ObjectMeta: checked by the Kubernetes schema suite
      if (schema.properties?.[k]) validate(v, schema.properties[k], `${at}.${k}`, errors);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') validate(v, schema.additionalProperties, `${at}.${k}`, errors);
      else if (!schema['x-kubernetes-preserve-unknown-fields']) errors.push(`${at}.${k}: unknown field`);
    }
  }
}

(available ? describe : describe.skip)('monitoring objects pass the prometheus-operator CRD schemas', () => {
  const objects = synthMlflow({
    monitoring: {
      serviceMonitor: {
        labels: { release: 'prometheus' }, interval: Duration.minutes(1), scrapeTimeout: Duration.seconds(20), namespace: 'monitoring',
        basicAuth: { username: SecretKey.fromExisting('mlflow-admin', 'username'), password: SecretKey.fromExisting('mlflow-admin', 'password') },
      },
      prometheusRule: { databaseStatefulSet: 'mlflow-postgresql', minioStatefulSet: 'mlflow-minio', for: Duration.minutes(15) },
    },
  });
  test.each([
    ['ServiceMonitor', 'monitoring.coreos.com_servicemonitors.yaml'],
    ['PrometheusRule', 'monitoring.coreos.com_prometheusrules.yaml'],
  ])('%s', (kind, file) => {
    const found = objects.filter(o => o.kind === kind);
    expect(found).toHaveLength(1);
    const errors: string[] = [];
    validate(found[0], schemaOf(file), '', errors);
    expect(errors).toEqual([]);
  });
  test('the check catches unknown fields, bad durations and wrong types', () => {
    const errors: string[] = [];
    validate({ spec: { selector: {}, endpoints: [{ port: 'http', interval: '30 seconds', bogus: 1, honorLabels: 'no' }] } }, schemaOf('monitoring.coreos.com_servicemonitors.yaml'), '', errors);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/endpoints\[0\]\.bogus: unknown field/),
      expect.stringMatching(/endpoints\[0\]\.interval: 30 seconds does not match/),
      expect.stringMatching(/endpoints\[0\]\.honorLabels: expected boolean/),
    ]));
  });
});
