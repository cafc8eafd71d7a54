// Kafka's own standalone offsets file: a Java object-serialisation stream holding one
// `HashMap<byte[], byte[]>` (FileOffsetBackingStore). Only that one shape is read and written:
//
//   AC ED 00 05                          magic, version 5
//   73 72 <utf "java.util.HashMap"> <u8 serialVersionUID> 03 (flags) 00 02
//      46 <utf "loadFactor"> 49 <utf "threshold"> 78 70      two fields, end of block, no superclass
//   <f4 loadFactor> <i4 threshold>                           the fields' values
//   77 08 <i4 buckets> <i4 size>                             block data written by HashMap.writeObject
//   size × (key, value), each: 70 (null) | 75 <class desc of [B> <i4 length> <bytes>
//        where the first [B class desc is 72 <utf "[B"> <u8 uid> 02 00 00 78 70
//        and later ones are 71 <i4 handle> (a back-reference)
//   78                                                       end of the HashMap's data
//
// Handles are numbered from 0x7E0000 in order of appearance: HashMap's class desc, the map, [B's
// class desc, then each array. A file that is cut short reads as empty, as Kafka treats an EOF.

export const JAVA_SERIALIZATION_MAGIC = Buffer.from([0xac, 0xed, 0x00, 0x05]);

const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_ARRAY = 0x75;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const BASE_HANDLE = 0x7e0000;

const HASHMAP_UID = Buffer.from([0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1]);
const BYTE_ARRAY_UID = Buffer.from([0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0]);

export class JavaOffsetsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JavaOffsetsFormatError';
  }
}

class Truncated extends Error {}

class Reader {
  at = 0;
  constructor(private readonly buf: Buffer) {}
  need(n: number): void {
    if (this.at + n > this.buf.length) throw new Truncated();
  }
  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  utf(): string {
    this.need(2);
    const n = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return this.bytes(n).toString('utf8');
  }
}

type Entry = [Buffer, Buffer | null];

/** Reads Kafka's offsets file. Throws JavaOffsetsFormatError for any other serialised content. */
export function readJavaOffsetsFile(data: Buffer): Entry[] {
  const r = new Reader(data);
  const handles: Array<{ kind: 'class'; name: string } | { kind: 'array'; value: Buffer } | { kind: 'object' }> = [];
  const expect = (byte: number, what: string): void => {
    const got = r.u8();
    if (got !== byte) throw new JavaOffsetsFormatError(`not a Kafka offsets file: expected ${what} at byte ${r.at - 1}, found 0x${got.toString(16)}`);
  };
  try {
    if (!r.bytes(4).equals(JAVA_SERIALIZATION_MAGIC)) throw new JavaOffsetsFormatError('not a Java serialization stream');
    expect(TC_OBJECT, 'an object');
    expect(TC_CLASSDESC, 'a class description');
    const className = r.utf();
    if (className !== 'java.util.HashMap') throw new JavaOffsetsFormatError(`not a Kafka offsets file: it holds a ${className}, not a java.util.HashMap`);
    r.bytes(8 + 1); // serialVersionUID, flags
    const fieldCount = r.bytes(2).readUInt16BE(0);
    for (let i = 0; i < fieldCount; i++) {
      const type = String.fromCharCode(r.u8());
      r.utf();
      if (type === 'L' || type === '[') throw new JavaOffsetsFormatError('not a Kafka offsets file: unexpected object field in HashMap');
    }
    expect(TC_ENDBLOCKDATA, 'the end of the class annotation');
    expect(TC_NULL, 'no superclass');
    handles.push({ kind: 'class', name: className }, { kind: 'object' });
    r.bytes(4 + 4); // loadFactor, threshold
    expect(TC_BLOCKDATA, 'block data');
    if (r.u8() !== 8) throw new JavaOffsetsFormatError('not a Kafka offsets file: unexpected HashMap block size');
    r.i32(); // buckets
    const size = r.i32();
    if (size < 0) throw new JavaOffsetsFormatError('not a Kafka offsets file: negative entry count');

    const readArray = (): Buffer | null => {
      const tag = r.u8();
      if (tag === TC_NULL) return null;
      if (tag === TC_REFERENCE) {
        const h = handles[r.i32() - BASE_HANDLE];
        if (h?.kind !== 'array') throw new JavaOffsetsFormatError('not a Kafka offsets file: bad back-reference');
        return h.value;
      }
      if (tag !== TC_ARRAY) throw new JavaOffsetsFormatError(`not a Kafka offsets file: expected a byte array, found 0x${tag.toString(16)}`);
      const desc = r.u8();
      if (desc === TC_CLASSDESC) {
        const name = r.utf();
        if (name !== '[B') throw new JavaOffsetsFormatError(`not a Kafka offsets file: found an array of ${name}`);
        r.bytes(8 + 1 + 2);
        expect(TC_ENDBLOCKDATA, 'the end of the class annotation');
        expect(TC_NULL, 'no superclass');
        handles.push({ kind: 'class', name });
      } else if (desc === TC_REFERENCE) {
        const h = handles[r.i32() - BASE_HANDLE];
        if (h?.kind !== 'class' || h.name !== '[B') throw new JavaOffsetsFormatError('not a Kafka offsets file: array of an unexpected class');
      } else {
        throw new JavaOffsetsFormatError('not a Kafka offsets file: bad array class description');
      }
      const length = r.i32();
      const value = Buffer.from(r.bytes(length));
      handles.push({ kind: 'array', value });
      return value;
    };

    const entries: Entry[] = [];
    for (let i = 0; i < size; i++) {
      const key = readArray();
      const value = readArray();
      if (key !== null) entries.push([key, value]);
    }
    return entries;
  } catch (err) {
    if (err instanceof Truncated) return [];
    throw err;
  }
}

/** Writes entries as Java's FileOffsetBackingStore would, so a Java worker can read the file back. */
export function writeJavaOffsetsFile(entries: ReadonlyArray<readonly [Buffer, Buffer | null]>): Buffer {
  const parts: Buffer[] = [];
  const u8 = (...b: number[]): void => void parts.push(Buffer.from(b));
  const i32 = (n: number): void => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    parts.push(b);
  };
  const utf = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    parts.push(len, b);
  };
  // HashMap sizes its table to the next power of two holding `size` at load factor 0.75.
  let buckets = 16;
  while (entries.length > buckets * 0.75) buckets *= 2;
  parts.push(JAVA_SERIALIZATION_MAGIC);
  u8(TC_OBJECT, TC_CLASSDESC);
  utf('java.util.HashMap');
  parts.push(HASHMAP_UID);
  u8(0x03, 0x00, 0x02, 0x46);
  utf('loadFactor');
  u8(0x49);
  utf('threshold');
  u8(TC_ENDBLOCKDATA, TC_NULL);
  u8(0x3f, 0x40, 0x00, 0x00);
  i32(buckets * 0.75);
  u8(TC_BLOCKDATA, 8);
  i32(buckets);
  i32(entries.length);
  let classWritten = false;
  const array = (value: Buffer | null): void => {
    if (value === null) return u8(TC_NULL);
    u8(TC_ARRAY);
    if (classWritten) {
      u8(TC_REFERENCE);
      i32(BASE_HANDLE + 2);
    } else {
      u8(TC_CLASSDESC);
      utf('[B');
      parts.push(BYTE_ARRAY_UID);
      u8(0x02, 0x00, 0x00, TC_ENDBLOCKDATA, TC_NULL);
      classWritten = true;
    }
    i32(value.length);
    parts.push(value);
  };
  for (const [key, value] of entries) {
    array(key);
    array(value);
  }
  u8(TC_ENDBLOCKDATA);
  return Buffer.concat(parts);
}
