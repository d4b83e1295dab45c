import type { ResourceMessage, ResourceRef } from '../core/types.js';
import { describeRef } from '../inventory/objects.js';

/**
 * Messages that name their resource, as ResourceMessages: the text is written when a result is
 * read, and every result with the same words after the name shares one function (one entry in the
 * result columns) instead of keeping a string each.
 */

/** How a message names its resource. */
export type NameOf = (ref: ResourceRef) => string;

/** `Kind ns/name`: how workload messages name the workload (a workload's ref always has a namespace). */
export const workloadName: NameOf = (ref) => `${ref.kind} ${ref.namespace ?? ''}/${ref.name}`;

/** `namespace x`: how messages about a namespace (whose ref is namespaceRef) name it. */
export const namespaceName: NameOf = (ref) => `namespace ${ref.name}`;

/** `<name of the resource><tail>`. */
export function named(nameOf: NameOf, tail: string): ResourceMessage {
  return (ref) => nameOf(ref) + tail;
}

/** `Kind/ns/name<tail>` (describeRef). */
export function described(tail: string): ResourceMessage {
  return named(describeRef, tail);
}

/**
 * Messages whose tail depends on one key (an account, a namespace): one function per key for a
 * check's run, so the results of one key share it.
 */
export class NamedMessages {
  private readonly byKey = new Map<string, ResourceMessage>();

  constructor(
    private readonly nameOf: NameOf,
    private readonly tailOf: (key: string) => string,
  ) {}

  of(key: string): ResourceMessage {
    let message = this.byKey.get(key);
    if (message === undefined) this.byKey.set(key, (message = named(this.nameOf, this.tailOf(key))));
    return message;
  }
}
