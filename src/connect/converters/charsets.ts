// The Java charsets StringConverter's `converter.encoding` can name, mapped onto Node's codecs.
// Java matches charset names case-insensitively and knows aliases (UTF8, latin1, ...); unmappable
// characters become '?' when encoding, undecodable bytes U+FFFD when decoding, as Java's String does.

export interface CharsetCodec {
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

const utf8: CharsetCodec = {
  encode: (text) => Buffer.from(text, 'utf8'),
  decode: (bytes) => bytes.toString('utf8'),
};

function singleByte(max: number): CharsetCodec {
  return {
    encode: (text) => {
      const out = Buffer.alloc(text.length);
      let n = 0;
      for (const ch of text) out[n++] = ch.codePointAt(0)! <= max ? ch.codePointAt(0)! : 0x3f;
      return out.subarray(0, n);
    },
    decode: (bytes) => {
      let s = '';
      for (const b of bytes) s += b <= max ? String.fromCharCode(b) : '\ufffd';
      return s;
    },
  };
}

const utf16le: CharsetCodec = {
  encode: (text) => Buffer.from(text, 'utf16le'),
  decode: (bytes) => bytes.subarray(0, bytes.length & ~1).toString('utf16le') + (bytes.length & 1 ? '\ufffd' : ''),
};

const utf16be: CharsetCodec = {
  encode: (text) => Buffer.from(text, 'utf16le').swap16(),
  decode: (bytes) => utf16le.decode(Buffer.from(bytes.subarray(0, bytes.length & ~1)).swap16()) + (bytes.length & 1 ? '\ufffd' : ''),
};

// Java's "UTF-16" writes a big-endian BOM and reads either byte order from a BOM (big-endian without one).
const utf16: CharsetCodec = {
  encode: (text) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be.encode(text)]),
  decode: (bytes) => {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes.subarray(2));
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2));
    return utf16be.decode(bytes);
  },
};

const CODECS = new Map<string, CharsetCodec>([
  ['utf-8', utf8], ['utf8', utf8], ['unicode-1-1-utf-8', utf8],
  ['iso-8859-1', singleByte(0xff)], ['iso8859_1', singleByte(0xff)], ['latin1', singleByte(0xff)], ['l1', singleByte(0xff)],
  ['us-ascii', singleByte(0x7f)], ['ascii', singleByte(0x7f)],
  ['utf-16', utf16], ['utf16', utf16],
  ['utf-16be', utf16be], ['utf_16be', utf16be],
  ['utf-16le', utf16le], ['utf_16le', utf16le],
]);

/** The codec for a Java charset name, or undefined if ktool does not support it. */
export function charsetCodec(name: string): CharsetCodec | undefined {
  return CODECS.get(name.toLowerCase());
}
