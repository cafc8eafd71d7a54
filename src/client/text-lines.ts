// Splits a byte stream into UTF-8 text lines (`\n` or `\r\n`; the terminator is not part of the
// line). Yields all complete lines of each chunk together so the caller awaits once per chunk,
// not once per line; a final line without a terminator is still a line.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

const stripCR = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

export async function* readLineBatches(input: Readable): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) yield lines.map(stripCR);
  }
  const tail = rest + decoder.end();
  if (tail !== '') yield [stripCR(tail)];
}
