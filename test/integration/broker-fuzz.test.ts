// Mutated real client requests thrown at a live broker: each may get an answer or a closed
// connection, but the broker never crashes, never hangs, and keeps serving other clients.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../helpers/raw-socket.js';
import { startTestBroker, type TestBroker } from '../helpers/start-broker.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'captures');
const requests: Buffer[] = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
  .map((l) => Buffer.from((JSON.parse(l) as { request_hex: string }).request_hex, 'hex'))
  // Leave out Fetch long polls, whose legitimate answer takes up to max.wait.ms, and JoinGroup /
  // SyncGroup, which legitimately wait for a rebalance (up to the members' rebalance timeout).
  .filter((f) => ![1, 11, 14].includes(f.readInt16BE(4)));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const HEALTHY = Buffer.from('000000170012000000000001000d6361702d6b70792d61646d696e', 'hex'); // ApiVersions v0

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker({ 'auto.create.topics.enable': 'true' });
});
afterAll(async () => {
  await b.cleanup();
});

describe('broker fed mutated frames', () => {
  it('survives 400 mutated captured requests and still answers', async () => {
    const rand = rng(42);
    for (let i = 0; i < 400; i++) {
      const frame = Buffer.from(requests[Math.floor(rand() * requests.length)]!);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) {
        // Keep the size prefix intact so the mutation reaches the decoders.
        const at = 4 + Math.floor(rand() * (frame.length - 4));
        frame[at] = Math.floor(rand() * 256);
      }
      const s = await RawSocket.open(b.broker.port);
      s.write(frame);
      s.write(HEALTHY);
      // Either both are answered, or the connection is closed: never silence.
      const first = await s.readFrame(5000);
      if (first !== null) {
        const second = await s.readFrame(5000);
        if (second !== null) expect(second.readInt32BE(4)).toBe(1);
      }
      s.close();
    }
    const s = await RawSocket.open(b.broker.port);
    s.write(HEALTHY);
    expect((await s.readFrame())!.readInt32BE(4)).toBe(1);
    s.close();
  });

  it('survives truncated frames and random garbage', async () => {
    const rand = rng(7);
    for (let i = 0; i < 100; i++) {
      const s = await RawSocket.open(b.broker.port);
      const len = Math.floor(rand() * 64);
      const garbage = Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)));
      s.write(garbage);
      s.close();
    }
    const s = await RawSocket.open(b.broker.port);
    s.write(HEALTHY);
    expect((await s.readFrame())!.readInt32BE(4)).toBe(1);
    s.close();
  });
});
