import type { Evidence, Status } from '../../core/types.js';
import type { ContainerType } from '../../inventory/workloads.js';
import type { CheckContext } from '../types.js';

/** What a workload check says about a pod or a container: nothing (PASS) or why not. */
export interface Verdict {
  status?: Exclude<Status, 'PASS' | 'ERROR'>;
  message: string;
  evidence?: Evidence;
}
export type VerdictOrPass = Verdict | undefined;

/** What a kept container verdict may depend on: the container's type and name, nothing else of it. */
export interface ContainerName {
  readonly type: ContainerType;
  readonly name: string;
}

/** Verdicts kept per control and evaluation; past this many, new ones are built and not kept. */
const LIMIT = 8192;

/**
 * A control's FAIL verdicts, built once per container name and cause and then handed out again:
 * thousands of pods fail the same way ("container 'app' may run as root"), and a lookup by strings
 * the objects already hold (their hashes cached) costs less than building a message, an evidence
 * object and a field path per pod — and recording a verdict seen before costs a comparison.
 * The build functions see only the container's type and name and the causes, so a kept verdict is
 * exactly what building it again would give. Kept for one evaluation at a time.
 */
export class KeptVerdicts<Cause extends string = string> {
  /** Per container type: name → cause → detail → verdict. */
  private readonly containers: Record<ContainerType, Map<string, Map<string, Map<string, Verdict>>>> = {
    container: new Map(),
    initContainer: new Map(),
    ephemeralContainer: new Map(),
  };
  private readonly pods = new Map<string, Map<string, Verdict>>();
  private serial = 0;
  private size = 0;

  constructor(
    private readonly build: {
      container?: (c: ContainerName, cause: Cause, detail: string) => Verdict;
      pod?: (cause: Cause, detail: string) => Verdict;
    },
  ) {}

  /** The verdict for this container, cause and detail (e.g. the image it names). */
  container(ctx: CheckContext, c: ContainerName, cause: Cause, detail = ''): Verdict {
    this.forEvaluation(ctx);
    const byName = this.containers[c.type];
    let byCause = byName.get(c.name);
    if (!byCause) byName.set(c.name, (byCause = new Map()));
    let byDetail = byCause.get(cause);
    if (!byDetail) byCause.set(cause, (byDetail = new Map()));
    return byDetail.get(detail) ?? this.keep(byDetail, detail, this.build.container!({ type: c.type, name: c.name }, cause, detail));
  }

  /** The verdict for a pod with this cause and detail. */
  pod(ctx: CheckContext, cause: Cause, detail = ''): Verdict {
    this.forEvaluation(ctx);
    let byDetail = this.pods.get(cause);
    if (!byDetail) this.pods.set(cause, (byDetail = new Map()));
    return byDetail.get(detail) ?? this.keep(byDetail, detail, this.build.pod!(cause, detail));
  }

  /** Freezes a verdict just built and keeps it under its detail while the limit allows. */
  private keep(byDetail: Map<string, Verdict>, detail: string, built: Verdict): Verdict {
    const verdict = frozen(built);
    if (this.size < LIMIT) {
      byDetail.set(detail, verdict);
      this.size++;
    }
    return verdict;
  }

  private forEvaluation(ctx: CheckContext): void {
    if (ctx.index.serial === this.serial) return;
    this.serial = ctx.index.serial;
    this.containers.container.clear();
    this.containers.initContainer.clear();
    this.containers.ephemeralContainer.clear();
    this.pods.clear();
    this.size = 0;
  }
}

/** Shared by every result that names it: nobody may change it afterwards. */
function frozen(v: Verdict): Verdict {
  if (v.evidence) Object.freeze(v.evidence);
  return Object.freeze(v);
}
