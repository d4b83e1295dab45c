import type { BusEvent, DriftExecution, DriftResult, ExpectedEvent, ScriptedCall } from './drift.js';

/** The bus events that satisfy an expectation (finding events of that target, control and resource). */
export function matchingEvents(result: DriftResult, expect: ExpectedEvent, after: number): BusEvent[] {
  return result.events.filter((e) => {
    if (e.at < after || e.detailType !== expect.detailType) return false;
    const d = e.detail as { controlId?: string; target?: Record<string, unknown>; resource?: { name?: string }; resolvedReason?: string };
    const t = d.target ?? {};
    if (
      t['kind'] !== expect.target.kind ||
      t['accountId'] !== expect.target.accountId ||
      t['region'] !== expect.target.region ||
      t['name'] !== expect.target.name
    )
      return false;
    if (expect.controlId && d.controlId !== expect.controlId) return false;
    if (expect.resourceName && d.resource?.name !== expect.resourceName) return false;
    return !expect.resolvedReason || d.resolvedReason === expect.resolvedReason;
  });
}

/** Seconds from the API call to the first bus event it must lead to; undefined when it never came. */
export function driftSeconds(result: DriftResult, call: ScriptedCall): number | undefined {
  if (!call.expect) return undefined;
  const at = result.start + call.at;
  const first = matchingEvents(result, call.expect, at)[0];
  return first ? (first.at - at) / 1000 : undefined;
}

const targetOf = (input: unknown) =>
  ((input as { targets?: { kind: string; accountId: string; region: string; name?: string }[] }).targets ?? []).map(
    (t) => `${t.kind}|${t.accountId}|${t.region}|${t.name ?? ''}`,
  );

/** The rescans (executions started with targets) that named this target, `kind|account|region|name` (registry: empty name). */
export function rescansOf(result: DriftResult, key: string): DriftExecution[] {
  return result.executions.filter((x) => targetOf(x.input).includes(key));
}

export const rescans = (result: DriftResult): DriftExecution[] => result.executions.filter((x) => targetOf(x.input).length > 0);

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
