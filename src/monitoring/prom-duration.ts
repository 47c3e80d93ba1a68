import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';

/**
 * A cdk8s Duration as a Prometheus duration string in its largest whole unit (`30s`, `5m`, `1h`),
 * checked to be a whole number of seconds within [min, max] seconds.
 */
export function promDuration(scope: IConstruct, prop: string, value: Duration, minSeconds = 1, maxSeconds = 86400): string {
  if (!(value instanceof Duration)) {
    invalid(scope, prop, value, "must be a cdk8s Duration such as Duration.seconds(30) (a plain string like '30s' is not accepted)");
  }
  const s = value.toMilliseconds() / 1000;
  if (!Number.isInteger(s) || s < minSeconds || s > maxSeconds) {
    invalid(scope, prop, `${s}s`, `must be a whole number of seconds from ${minSeconds} to ${maxSeconds}`);
  }
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Seconds of a Prometheus duration rendered by {@link promDuration} (`30s`, `5m`, `1h`). */
export function promSeconds(rendered: string): number {
  const n = Number.parseInt(rendered, 10);
  return rendered.endsWith('h') ? n * 3600 : rendered.endsWith('m') ? n * 60 : n;
}
