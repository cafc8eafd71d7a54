// The chunks of a readable stream, each as it was read. A stream's own async iterator hands over
// everything buffered since the last step as one Buffer, which means copying every chunk once
// more whenever the consumer lags (100 MB of console-producer input: ~40 ms). Here chunks are
// queued as they arrive and the stream is paused while `maxQueued` bytes wait.
import type { Readable } from 'node:stream';

const bytesOf = (chunk: unknown): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));

/** What a stream's own iterator throws for a stream destroyed before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Yields the chunks of `input` (strings as UTF-8 bytes) until it ends; throws its error, or if it is destroyed first. */
export async function* streamChunks(input: Readable, maxQueued: number): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = input.readableEnded;
  let failure: unknown = input.errored ?? undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (chunk: unknown): void => {
    const b = bytesOf(chunk);
    queue.push(b);
    queued += b.length;
    if (queued >= maxQueued) input.pause();
    notify();
  };
  const onEnd = (): void => {
    ended = true;
    notify();
  };
  const onError = (err: unknown): void => {
    failure ??= err;
    notify();
  };
  const onClose = (): void => {
    if (!ended) failure ??= input.errored ?? prematureClose();
    notify();
  };
  input.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  if (input.destroyed && !ended) failure ??= input.errored ?? prematureClose();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queued -= chunk.length;
        if (queued < maxQueued && input.isPaused() && !ended) input.resume();
        yield chunk;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    input.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
  }
}
