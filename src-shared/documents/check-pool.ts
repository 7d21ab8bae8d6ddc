/**
 * PDF checks in a thread of their own, with a wall-clock and a memory limit (issue 13): a hostile
 * PDF may cost CPU and memory, but never the event loop of the portal or the app's back end, and
 * a check that runs too long or grows too large ends with its own code instead of a stall:
 * `pdf_check_timeout`, `pdf_check_out_of_memory` (`pdf_check_failed` when the thread died otherwise).
 *
 * The hosts (src-main, src-portal) pass in how a worker is started (node:worker_threads with
 * `resourceLimits`; src-shared has no Node); this module owns the protocol, the queue, the limits
 * and the codes, so both hosts behave the same. Workers are kept for the next check (starting one
 * loads pdf-lib, pkijs and pdf.js again) and ended after `idleMs`, or at once when a check failed.
 */
import { AppError, isErrorCode } from '../rpc/errors';

export interface CheckLimits {
  /** Wall-clock time of one check; past it the worker is terminated. */
  timeoutMs: number;
  /** V8 old-generation heap of one worker, MB (node:worker_threads resourceLimits). */
  maxOldGenerationMb: number;
  /** V8 young-generation heap of one worker, MB. */
  maxYoungGenerationMb: number;
  /** Checks that run at once, one worker each; more wait their turn. */
  concurrency: number;
  /** An idle worker is ended after this long. */
  idleMs: number;
}

/** The part of node:worker_threads' Worker the pool uses. */
export interface CheckWorker {
  postMessage(value: unknown): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'message' | 'error' | 'exit', listener: (value: any) => void): unknown;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

/** The part of node:worker_threads' parentPort a worker serves checks on. */
export interface CheckPort {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'message', listener: (value: any) => void): unknown;
  postMessage(value: unknown): void;
}

interface Job {
  id: number;
  request: unknown;
  /**
   * Tests only: the worker sets hold[1] (and notifies it), then blocks synchronously, as a bomb
   * would (Atomics.wait), until hold[0] is made non-zero and notified: a test can watch the host
   * while a check is in progress, without guessing how long the check takes.
   */
  hold?: Int32Array;
}
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; code: string; message: string };

export type CheckFailureCode = 'pdf_check_timeout' | 'pdf_check_out_of_memory' | 'pdf_check_failed';
const MESSAGES: Record<CheckFailureCode, string> = {
  pdf_check_timeout: 'Checking the PDF took too long',
  pdf_check_out_of_memory: 'Checking the PDF needed too much memory',
  pdf_check_failed: 'The PDF check stopped unexpectedly',
};
export const checkFailure = (code: CheckFailureCode, details?: Record<string, unknown>): AppError => new AppError(code, MESSAGES[code], details);

/** In the worker: answers each job with the handler's result, or its error's code. */
export function serveChecks<Req, Res>(port: CheckPort, handler: (request: Req) => Promise<Res>): void {
  port.on('message', (job: Job) => {
    if (job.hold) {
      Atomics.store(job.hold, 1, 1);
      Atomics.notify(job.hold, 1);
      Atomics.wait(job.hold, 0, 0);
    }
    const answer = (a: Answer) => port.postMessage(a);
    Promise.resolve()
      .then(() => handler(job.request as Req))
      .then(
        (result) => answer({ id: job.id, ok: true, result }),
        (e: unknown) => answer({ id: job.id, ok: false, code: e instanceof AppError ? e.code : 'pdf_check_failed', message: e instanceof Error ? e.message : String(e) }),
      );
  });
}

interface Slot {
  worker: CheckWorker;
  dead: boolean;
  idleTimer?: ReturnType<typeof setTimeout>;
  current?: { id: number; settle: (a: Answer | AppError) => void };
}

const unrefTimer = (t: ReturnType<typeof setTimeout>) => (t as { unref?: () => void }).unref?.();

export class CheckPool<Req, Res> {
  private readonly idle: Slot[] = [];
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;

  constructor(
    private readonly spawn: () => CheckWorker,
    readonly limits: Readonly<CheckLimits>,
  ) {}

  /** Runs one check; rejects with the handler's AppError or a CheckFailureCode. */
  async run(request: Req, o: { hold?: Int32Array } = {}): Promise<Res> {
    // A finished check hands its turn straight to the next waiting one, so no newcomer slips in between.
    if (this.running < Math.max(1, this.limits.concurrency)) this.running++;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await this.runOn(this.idle.pop() ?? this.start(), { id: this.nextId++, request, ...(o.hold ? { hold: o.hold } : {}) });
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private start(): Slot {
    const slot: Slot = { worker: this.spawn(), dead: false };
    let lastError: { code?: unknown } | undefined;
    const fail = (e: { code?: unknown } | undefined) =>
      checkFailure(e?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'pdf_check_out_of_memory' : 'pdf_check_failed', e instanceof Error ? { reason: e.message } : undefined);
    slot.worker.on('message', (a: Answer) => {
      if (slot.current?.id === a.id) slot.current.settle(a);
    });
    slot.worker.on('error', (e: { code?: unknown }) => {
      lastError = e;
      slot.current?.settle(fail(e));
      this.retire(slot);
    });
    slot.worker.on('exit', () => {
      slot.current?.settle(fail(lastError));
      slot.dead = true;
      this.retire(slot);
    });
    return slot;
  }

  private runOn(slot: Slot, job: Job): Promise<Res> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.worker.ref();
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => {
        slot.current?.settle(checkFailure('pdf_check_timeout', { limitMs: this.limits.timeoutMs }));
        this.retire(slot);
      }, this.limits.timeoutMs);
      slot.current = {
        id: job.id,
        settle: (a) => {
          clearTimeout(timer);
          slot.current = undefined;
          if (a instanceof AppError) return reject(a);
          if (a.ok) {
            this.park(slot);
            return resolve(a.result as Res);
          }
          this.park(slot);
          reject(new AppError(isErrorCode(a.code) ? a.code : 'pdf_check_failed', a.message));
        },
      };
      slot.worker.postMessage(job);
    });
  }

  /** Back to the idle list, not keeping the process alive, ended after idleMs. */
  private park(slot: Slot): void {
    if (slot.dead) return;
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => this.retire(slot), this.limits.idleMs);
    unrefTimer(slot.idleTimer);
    this.idle.push(slot);
  }

  private retire(slot: Slot): void {
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (!slot.dead) {
      slot.dead = true;
      void slot.worker.terminate().catch(() => undefined);
    }
  }

  /** Ends every idle worker (running checks finish first). */
  close(): void {
    for (const s of [...this.idle]) this.retire(s);
  }
}

/**
 * Limits from the environment over defaults: SERIKTES_PDF_CHECK_TIMEOUT_MS,
 * SERIKTES_PDF_CHECK_MEMORY_MB (old generation), SERIKTES_PDF_CHECK_CONCURRENCY.
 */
export function checkLimitsFromEnv(env: Readonly<Record<string, string | undefined>>, defaults: CheckLimits): CheckLimits {
  const num = (name: string): number | undefined => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  return {
    ...defaults,
    timeoutMs: num('SERIKTES_PDF_CHECK_TIMEOUT_MS') ?? defaults.timeoutMs,
    maxOldGenerationMb: num('SERIKTES_PDF_CHECK_MEMORY_MB') ?? defaults.maxOldGenerationMb,
    concurrency: Math.floor(num('SERIKTES_PDF_CHECK_CONCURRENCY') ?? defaults.concurrency),
  };
}
