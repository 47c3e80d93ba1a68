import { IConstruct } from 'constructs';
import { maskCredentials } from './credentials';

/**
 * Thrown when a prop is invalid. The message always names the construct path,
 * the prop, the bad value and what is allowed, so a failed synth is actionable.
 */
export class MlflowConfigError extends Error {
  constructor(scope: IConstruct, prop: string, value: unknown, allowed: string) {
    super(`${scope.node.path}: invalid ${prop} ${formatValue(value)}: ${allowed}`);
    this.name = 'MlflowConfigError';
  }
}

/** Throws an {@link MlflowConfigError}. */
export function invalid(scope: IConstruct, prop: string, value: unknown, allowed: string): never {
  throw new MlflowConfigError(scope, prop, value, allowed);
}

function formatValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // Error messages end up in CI logs: never echo a credential.
  return maskCredentials(text);
}
