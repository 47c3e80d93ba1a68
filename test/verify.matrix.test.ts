import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { MlflowChartProps } from '../src/chart/mlflow-chart';
import { MlflowServerProps } from '../src/server/mlflow-server-props';
import { ServiceExposure } from '../src/server/service-exposure';
import { expectCompliant, report, SUITE_OPTIONS } from './helpers/verify';
import { synthMlflow } from './helpers/synth';

// The checker over a matrix of option combinations: replicas × ingress × exposure × static prefix.

const exposures: [string, () => ServiceExposure][] = [
  ['clusterIp', () => ServiceExposure.clusterIp()],
  ['nodePort', () => ServiceExposure.nodePort(30080)],
  ['loadBalancer', () => ServiceExposure.loadBalancer({ loadBalancerIp: '192.168.1.240', sourceRanges: ['192.168.1.0/24'], annotations: { 'example.com/lb': 'internal' } })],
];
const ingresses: [string, MlflowServerProps['ingress']][] = [
  ['no ingress', undefined],
  ['ingress+tls', { hosts: ['mlflow.example.com', 'ml.example.com'], className: 'nginx', clusterIssuer: 'letsencrypt-prod' }],
  ['ingress plain http', { hosts: ['mlflow.lab.internal'], disableTls: true }],
];
const cases: [string, Partial<MlflowChartProps>, boolean][] = [];
for (const replicas of [1, 3]) {
  for (const [exposureName, exposure] of exposures) {
    for (const [ingressName, ingress] of ingresses) {
      for (const staticPrefix of [undefined, '/mlflow']) {
        const name = `replicas=${replicas} ${exposureName} ${ingressName} prefix=${staticPrefix ?? 'none'}`;
        cases.push([name, {
          replicas,
          service: exposure(),
          ingress,
          staticPrefix,
          resources: { cpu: { request: Cpu.millis(100), limit: Cpu.units(2) }, memory: { request: Size.mebibytes(768), limit: Size.gibibytes(3) } },
        }, ingressName !== 'ingress plain http']);
      }
    }
  }
}

let objects = 0;
afterAll(() => report(`objects checked in ${cases.length} matrix configurations`, objects));

test.each(cases)('%s passes every rule', (_name, props, tls) => {
  const out = synthMlflow(props, Testing.app());
  expectCompliant(out, { ...SUITE_OPTIONS, requireIngressTls: tls });
  objects += out.length;
  if ((props.replicas ?? 1) >= 2) expect(out.some(o => o.kind === 'PodDisruptionBudget')).toBe(true);
  expect(out.some(o => o.kind === 'Ingress')).toBe(props.ingress !== undefined);
});

test('the matrix covers every combination', () => {
  expect(cases).toHaveLength(2 * 3 * 3 * 2);
});
