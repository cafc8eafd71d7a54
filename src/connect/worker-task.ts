// What source and sink task runners share: the task's id, its state as the REST status shows it
// (UNASSIGNED → RUNNING ⇄ PAUSED, FAILED with a trace, or stopped), pause/resume, and a stop that
// waits for the run loop to finish its last commit, bounded by task.shutdown.graceful.timeout.ms.
import type { Logger } from '../log.js';
import { javaTrace } from './error-handling.js';

export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING';

export interface TaskId {
  connector: string;
  task: number;
}

export const taskName = (id: TaskId): string => `${id.connector}-${id.task}`;

export abstract class WorkerTask {
  state: TaskState = 'UNASSIGNED';
  trace: string | undefined;
  protected paused = false;
  protected stopping = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    readonly id: TaskId,
    protected readonly log: Logger,
    /** The logger prefix Kafka uses, e.g. `WorkerSourceTask{id=local-file-source-0}`. */
    protected readonly label: string,
  ) {}

  /** Starts the run loop in the background; `startPaused` for a connector whose target is PAUSED. */
  start(startPaused: boolean): void {
    this.paused = startPaused;
    this.running = this.execute().then(
      () => {},
      (err: unknown) => this.fail(err),
    );
  }

  protected fail(err: unknown): void {
    this.log.error(`${this.label} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted`, err);
    this.state = 'FAILED';
    this.trace = javaTrace(err);
  }

  /** The loop: start the task, move records until stopping, then commit and release everything. */
  protected abstract execute(): Promise<void>;

  /** Called when stopping begins, to cut a blocking poll short. */
  protected abstract interrupt(): void;

  pause(): void {
    if (this.state === 'FAILED') return;
    this.paused = true;
    if (this.state === 'RUNNING') this.state = 'PAUSED';
  }

  resume(): void {
    if (this.state === 'FAILED') return;
    this.paused = false;
    if (this.state === 'PAUSED') this.state = 'RUNNING';
    this.wake();
  }

  /** Marks the task running (or paused) once it has started. */
  protected started(): void {
    this.state = this.paused ? 'PAUSED' : 'RUNNING';
  }

  protected wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  /** Sleeps until woken (resume, stop, commit due) or `ms` passes. */
  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(done, Math.max(0, ms));
      this.wakeUp = done;
    });
  }

  /** Stops the task, waiting for its final commit for up to `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.interrupt();
    this.wake();
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.running.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) this.log.error(`Graceful stop of task ${taskName(this.id)} failed.`);
  }
}
