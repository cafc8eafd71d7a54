// Splitting stdin into lines as Java's BufferedReader.readLine does (\n, \r, \r\n), whatever the
// chunk boundaries, with bad UTF-8 repaired as Java's decoder repairs it.
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamChunks } from '../../../src/client/stream-chunks.js';
import { LineSplitter, readLines } from '../../../src/client/text-lines.js';

/** Java's readLine over the whole input, as the reference. */
function javaLines(input: Buffer): string[] {
  const text = input.toString('utf8');
  const out: string[] = [];
  let line = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      out.push(line);
      line = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      line += c;
    }
  }
  if (line !== '') out.push(line);
  return out;
}

function splitAll(chunks: Buffer[], groupLines = Infinity): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  for (const c of chunks) for (const group of s.split(c, groupLines)) out.push(...[...group].map((l) => l.toString('utf8')));
  out.push(...s.end().map((l) => l.toString('utf8')));
  return out;
}

describe('LineSplitter', () => {
  it.each<[string, string, string[]]>([
    ['\\n', 'a\nb\n', ['a', 'b']],
    ['\\r\\n', 'a\r\nb\r\n', ['a', 'b']],
    ['a lone \\r ends a line too', 'a\rb\r', ['a', 'b']],
    ['\\n\\r is two terminators', 'a\n\rb', ['a', '', 'b']],
    ['empty lines are lines', '\n\nx\n', ['', '', 'x']],
    ['a last line without terminator', 'a\nlast', ['a', 'last']],
    ['no input, no lines', '', []],
    ['tabs and separators stay in the line', 'k\tv\tw\n', ['k\tv\tw']],
  ])('%s', (_name, input, expected) => {
    expect(splitAll([Buffer.from(input)])).toEqual(expected);
  });

  it('gives the same lines for any chunking of the input', () => {
    const alphabet = fc.constantFrom('a', 'é', '€', '😀', '\n', '\r', '\r\n', '\t', 'x');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cutsRaw) => {
        const input = Buffer.from(parts.join(''));
        const cuts = [...new Set(cutsRaw.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const c of cuts) {
          chunks.push(input.subarray(at, c));
          at = c;
        }
        chunks.push(input.subarray(at));
        expect(splitAll(chunks)).toEqual(javaLines(input));
        expect(splitAll(chunks, 2)).toEqual(javaLines(input));
      }),
      { numRuns: 300 },
    );
  });

  it('splits at every byte boundary of a mixed input', () => {
    const input = Buffer.from('héllo\r\nwörld\r\rend\n€\n');
    for (let cut = 0; cut <= input.length; cut++) {
      expect(splitAll([input.subarray(0, cut), input.subarray(cut)])).toEqual(['héllo', 'wörld', '', 'end', '€']);
    }
  });

  it('repairs invalid UTF-8 with U+FFFD, as Java decodes it', () => {
    const input = Buffer.concat([Buffer.from('ok\nbad'), Buffer.from([0xff, 0xc3]), Buffer.from('\nfine\n')]);
    expect(splitAll([input])).toEqual(['ok', 'bad\ufffd\ufffd', 'fine']);
    const lines = new LineSplitter().push(input);
    expect(lines[1]).toEqual(Buffer.from('bad\ufffd\ufffd'));
  });

  it('keeps valid lines as views of the chunk (no copy)', () => {
    const chunk = Buffer.from('one\ntwo\n');
    const [one] = new LineSplitter().push(chunk);
    expect(one!.buffer).toBe(chunk.buffer);
  });

  it('hands out at most the group size per group', () => {
    const s = new LineSplitter();
    const sizes = [...s.split(Buffer.from('1\n2\n3\n4\n5\n'), 2)].map((g) => g.length);
    expect(sizes).toEqual([2, 2, 1]);
  });
});

describe('readLines', () => {
  const collect = async (input: Readable): Promise<string[]> => {
    const out: string[] = [];
    for await (const group of readLines(input)) out.push(...[...group].map((l) => l.toString('utf8')));
    return out;
  };

  it('reads an object-mode stream of chunks', async () => {
    expect(await collect(Readable.from([Buffer.from('a\nb'), Buffer.from('c\nd')]))).toEqual(['a', 'bc', 'd']);
  });

  it('reads a byte stream, including one that ended before reading began', async () => {
    const ended = new PassThrough();
    ended.end('x\ny\nz');
    expect(await collect(ended)).toEqual(['x', 'y', 'z']);

    const live = new PassThrough();
    const lines = collect(live);
    live.write('1\n2');
    setTimeout(() => live.end('\n3\n'), 5);
    expect(await lines).toEqual(['1', '2', '3']);
  });

  it('groups a large chunk into bounded groups', async () => {
    const input = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n'));
    const sizes: number[] = [];
    for await (const group of readLines(Readable.from([input]))) sizes.push(group.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
  });
});

describe('streamChunks', () => {
  const collect = async (input: Readable, maxQueued = 1 << 20): Promise<string[]> => {
    const out: string[] = [];
    for await (const chunk of streamChunks(input, maxQueued)) out.push(chunk.toString('utf8'));
    return out;
  };

  it('hands over each chunk as it was read, never joined with the next', async () => {
    const input = new PassThrough();
    for (const c of ['ab', 'cd', 'ef']) input.write(c);
    input.end();
    expect(await collect(input)).toEqual(['ab', 'cd', 'ef']);
  });

  it('pauses the stream while enough bytes wait, and resumes it', async () => {
    const input = new PassThrough();
    const out: string[] = [];
    const reading = (async () => {
      for await (const chunk of streamChunks(input, 4)) {
        out.push(chunk.toString('utf8'));
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    for (const c of ['1234', '5678', '9']) input.write(c);
    input.end();
    await reading;
    expect(out.join('')).toBe('123456789');
  });

  it('throws the stream error, and a premature close for a destroyed stream', async () => {
    const failing = new PassThrough();
    setTimeout(() => failing.destroy(new Error('boom')), 1);
    await expect(collect(failing)).rejects.toThrow('boom');
    const destroyed = new PassThrough();
    setTimeout(() => destroyed.destroy(), 1);
    await expect(collect(destroyed)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
