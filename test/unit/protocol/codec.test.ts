// Every message of every API round-trips at every version Kafka defines: a value generated from
// the schema at that version is encoded, decoded, and compared.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, defaultValue, isFlexible } from '../../../src/protocol/codec.js';
import { ALL_APIS } from '../../../src/protocol/messages/index.js';
import { Reader } from '../../../src/protocol/reader.js';
import { inRange, type Field, type MessageSchema } from '../../../src/protocol/schema.js';

/** Small deterministic generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sample(fields: readonly Field[], version: number, flexible: boolean, rand: () => number, depth = 0): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const f of fields) {
    const present = f.tag !== undefined ? inRange(version, f.taggedVersions) && flexible : inRange(version, f.versions);
    if (!present || (f.tag !== undefined && rand() < 0.3)) {
      obj[f.name] = defaultValue(f, version);
      continue;
    }
    obj[f.name] = sampleField(f, version, flexible, rand, depth);
  }
  return obj;
}

function sampleField(f: Field, version: number, flexible: boolean, rand: () => number, depth: number): unknown {
  if (inRange(version, f.nullable) && rand() < 0.2) return null;
  if (f.array) {
    const n = depth > 3 ? 0 : Math.floor(rand() * 3);
    return Array.from({ length: n }, () => sampleValue(f, version, flexible, rand, depth + 1));
  }
  return sampleValue(f, version, flexible, rand, depth);
}

function sampleValue(f: Field, version: number, flexible: boolean, rand: () => number, depth: number): unknown {
  const int = (bits: number) => Math.floor(rand() * 2 ** bits) - 2 ** (bits - 1);
  switch (f.type) {
    case 'bool': return rand() < 0.5;
    case 'int8': return int(8);
    case 'int16': return int(16);
    case 'uint16': return Math.floor(rand() * 65536);
    case 'int32': return int(32);
    case 'uint32': return Math.floor(rand() * 2 ** 32);
    case 'int64': return BigInt(int(32)) * 4294967296n + BigInt(Math.floor(rand() * 2 ** 32));
    case 'float64': return rand() * 1000;
    case 'uuid': return [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('')).join('-');
    case 'string': return `s${Math.floor(rand() * 1e6)}-é`;
    case 'bytes':
    case 'records': return Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
    case 'struct': return sample(f.fields!, version, flexible, rand, depth);
  }
}

function roundTrip(schema: MessageSchema, version: number, seed: number): void {
  const flexible = isFlexible(schema, version);
  const value = sample(schema.fields, version, flexible, rng(seed));
  const bytes = encodeMessage(schema, version, value).toBuffer();
  const r = new Reader(bytes);
  const back = decodeMessage(schema, version, r);
  expect(r.remaining).toBe(0);
  expect(back).toEqual(value);
  // Re-encoding what was decoded gives the same bytes.
  expect(encodeMessage(schema, version, back).toBuffer().equals(bytes)).toBe(true);
}

describe('schema-driven codec', () => {
  it('knows every API key Kafka 4.0 defines', () => {
    expect(ALL_APIS.map((a) => a.apiKey)).toEqual(Array.from({ length: 88 }, (_, i) => i));
  });

  for (const api of ALL_APIS) {
    const [min, max] = api.request.validVersions;
    if (min > max) continue; // retired APIs (keys 4-7) have no versions
    it(`${api.name} (key ${api.apiKey}) round-trips v${min}-v${max}`, () => {
      for (let v = min; v <= max; v++) {
        for (let seed = 1; seed <= 4; seed++) {
          roundTrip(api.request, v, api.apiKey * 1000 + v * 10 + seed);
          roundTrip(api.response, v, api.apiKey * 1000 + v * 10 + seed + 5);
        }
      }
    });
  }

  it('skips unknown tagged fields when decoding', () => {
    const api = ALL_APIS[18]!; // ApiVersions v3 request: two compact strings then tags
    const bytes = Buffer.from([0x02, 0x61, 0x02, 0x62, 0x01, 0x63, 0x02, 0xaa, 0xbb]);
    const r = new Reader(bytes);
    expect(decodeMessage(api.request, 3, r)).toEqual({ clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
    expect(r.remaining).toBe(0);
  });

  it('refuses a null where the version does not allow one, both ways', () => {
    const api = ALL_APIS[18]!; // ApiVersions v3 request: clientSoftwareName is a non-nullable compact string
    const nullName = Buffer.from([0x00, 0x02, 0x62, 0x00]);
    expect(() => decodeMessage(api.request, 3, new Reader(nullName))).toThrow(/clientSoftwareName is null but not nullable in v3/);
    expect(() => encodeMessage(api.request, 3, { clientSoftwareName: null, clientSoftwareVersion: 'b' })).toThrow(/clientSoftwareName is null/);
  });

  it('refuses tagged fields out of order', () => {
    const api = ALL_APIS[18]!;
    const bytes = Buffer.from([0x02, 0x61, 0x02, 0x62, 0x02, 0x05, 0x00, 0x03, 0x00]);
    expect(() => decodeMessage(api.request, 3, new Reader(bytes))).toThrow(/tagged fields out of order/);
  });

  it('gives every decoded message defaults of its own', () => {
    const api = ALL_APIS[0]!; // Produce v3 response: recordErrors (v8+) is absent, so it decodes as its default []
    const partition = { index: 0, errorCode: 0, baseOffset: 0n, logAppendTimeMs: -1n };
    const bytes = encodeMessage(api.response, 3, { responses: [{ name: 't', partitionResponses: [partition] }], throttleTimeMs: 0 }).toBuffer();
    type Decoded = { responses: Array<{ partitionResponses: Array<{ recordErrors: unknown[] }> }> };
    const a = decodeMessage<Decoded>(api.response, 3, new Reader(bytes));
    const b = decodeMessage<Decoded>(api.response, 3, new Reader(bytes));
    a.responses[0]!.partitionResponses[0]!.recordErrors.push({ batchIndex: 0 });
    expect(b.responses[0]!.partitionResponses[0]!.recordErrors).toEqual([]);
  });

  it('meets random bytes with a ProtocolError, never another exception', () => {
    const next = rng(99);
    for (const api of ALL_APIS) {
      const [min, max] = api.request.validVersions;
      if (min > max) continue;
      for (const version of [min, max]) {
        for (let i = 0; i < 20; i++) {
          const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256)));
          try {
            decodeMessage(api.request, version, new Reader(bytes));
          } catch (err) {
            expect((err as Error).name).toBe('ProtocolError');
          }
        }
      }
    }
  });

  it('rejects truncated input with a ProtocolError, never another exception', () => {
    for (const api of ALL_APIS) {
      const [min, max] = api.request.validVersions;
      if (min > max) continue;
      const value = sample(api.request.fields, max, isFlexible(api.request, max), rng(api.apiKey + 7));
      const bytes = encodeMessage(api.request, max, value).toBuffer();
      for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 16))) {
        try {
          decodeMessage(api.request, max, new Reader(bytes.subarray(0, cut)));
        } catch (err) {
          expect((err as Error).name).toBe('ProtocolError');
        }
      }
    }
  });
});
