/**
 * GGUF (version 3), the model file format of llama.cpp: enough of it to write a small F32 model
 * (test-model.ts) and to read any model's header — metadata and tensor table — before the runtime
 * sees the file, so that a damaged file is a clear error and not a crash (local-model.ts).
 *
 * Layout (all little-endian):
 *   magic "GGUF" · version u32 · tensor count u64 · metadata count u64
 *   metadata: key (string) · value type u32 · value
 *   tensor infos: name (string) · dimension count u32 · dimensions u64[] · ggml type u32 · offset u64
 *   padding to the alignment (`general.alignment`, default 32) · tensor data, each tensor at its
 *   offset (relative to the start of the data, a multiple of the alignment)
 * A string is a u64 byte length and UTF-8 bytes; an array is an item type u32, a u64 count, items.
 * Dimensions are listed innermost first: a matrix of `rows` rows of `cols` values is [cols, rows].
 */
import fs from 'node:fs';
import path from 'node:path';
import { AnankeError } from '../core/index.ts';

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Value types, by their numbers in the file. */
export const GGUF_TYPE = {
  uint8: 0, int8: 1, uint16: 2, int16: 3, uint32: 4, int32: 5, float32: 6, bool: 7,
  string: 8, array: 9, uint64: 10, int64: 11, float64: 12,
} as const;
export type GgufScalarType = Exclude<keyof typeof GGUF_TYPE, 'array'>;
const TYPE_NAME: readonly (keyof typeof GGUF_TYPE)[] = Object.keys(GGUF_TYPE) as (keyof typeof GGUF_TYPE)[];

export type GgufScalar = number | bigint | boolean | string;
/** A metadata value: arrays of numbers come back as plain arrays, or typed arrays where written so. */
export type GgufValue =
  | { type: GgufScalarType; value: GgufScalar }
  | { type: 'array'; itemType: GgufScalarType; value: readonly GgufScalar[] | Int32Array | Float32Array | Uint32Array };

/** ggml tensor types this module can write, and size facts for validating what it reads. */
export const GGML_TYPE_F32 = 0;

/**
 * Bytes per block and values per block of the ggml tensor types whose layout is fixed and common
 * (plain and k-quant types). A tensor of another type is not size-checked here; llama.cpp checks it.
 */
const GGML_BLOCK: ReadonlyMap<number, { values: number; bytes: number; name: string }> = new Map([
  [0, { values: 1, bytes: 4, name: 'F32' }],
  [1, { values: 1, bytes: 2, name: 'F16' }],
  [2, { values: 32, bytes: 18, name: 'Q4_0' }],
  [3, { values: 32, bytes: 20, name: 'Q4_1' }],
  [6, { values: 32, bytes: 22, name: 'Q5_0' }],
  [7, { values: 32, bytes: 24, name: 'Q5_1' }],
  [8, { values: 32, bytes: 34, name: 'Q8_0' }],
  [10, { values: 256, bytes: 84, name: 'Q2_K' }],
  [11, { values: 256, bytes: 110, name: 'Q3_K' }],
  [12, { values: 256, bytes: 144, name: 'Q4_K' }],
  [13, { values: 256, bytes: 176, name: 'Q5_K' }],
  [14, { values: 256, bytes: 210, name: 'Q6_K' }],
  [24, { values: 1, bytes: 1, name: 'I8' }],
  [25, { values: 1, bytes: 2, name: 'I16' }],
  [26, { values: 1, bytes: 4, name: 'I32' }],
  [27, { values: 1, bytes: 8, name: 'I64' }],
  [28, { values: 1, bytes: 8, name: 'F64' }],
  [30, { values: 1, bytes: 2, name: 'BF16' }],
]);

export interface GgufTensorInfo {
  name: string;
  /** Innermost first (see the layout above). */
  dims: number[];
  /** ggml type number (0 = F32). */
  type: number;
  /** Byte offset of the data, relative to the start of the data section. */
  offset: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute byte offset where tensor data begins. */
  dataOffset: number;
  fileSize: number;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface GgufTensor {
  name: string;
  /** Innermost first: a matrix of `rows` × `cols` is [cols, rows]. */
  dims: readonly number[];
  data: Float32Array;
}

/** Growable little-endian byte writer for the header. */
class ByteWriter {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void { this.room(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  i8(v: number): void { this.room(1); this.buf.writeInt8(v, this.length); this.length += 1; }
  u16(v: number): void { this.room(2); this.buf.writeUInt16LE(v, this.length); this.length += 2; }
  i16(v: number): void { this.room(2); this.buf.writeInt16LE(v, this.length); this.length += 2; }
  u32(v: number): void { this.room(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  i32(v: number): void { this.room(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
  f32(v: number): void { this.room(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
  f64(v: number): void { this.room(8); this.buf.writeDoubleLE(v, this.length); this.length += 8; }
  u64(v: number | bigint): void { this.room(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  i64(v: number | bigint): void { this.room(8); this.buf.writeBigInt64LE(BigInt(v), this.length); this.length += 8; }
  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.u64(n);
    this.room(n);
    this.buf.write(s, this.length, 'utf8');
    this.length += n;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.room(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeScalar(w: ByteWriter, type: GgufScalarType, v: GgufScalar, key: string): void {
  const bad = (): never => { throw new AnankeError('INTERNAL', `GGUF metadata ${key}: ${String(v)} is not a ${type}`); };
  switch (type) {
    case 'string': if (typeof v !== 'string') bad(); w.str(v as string); return;
    case 'bool': if (typeof v !== 'boolean') bad(); w.u8(v ? 1 : 0); return;
    case 'uint64': w.u64(typeof v === 'bigint' ? v : BigInt(num(v, bad))); return;
    case 'int64': w.i64(typeof v === 'bigint' ? v : BigInt(num(v, bad))); return;
    default: break;
  }
  const n = num(v, bad);
  switch (type) {
    case 'uint8': w.u8(n); return;
    case 'int8': w.i8(n); return;
    case 'uint16': w.u16(n); return;
    case 'int16': w.i16(n); return;
    case 'uint32': w.u32(n); return;
    case 'int32': w.i32(n); return;
    case 'float32': w.f32(n); return;
    case 'float64': w.f64(n); return;
  }
}

function num(v: GgufScalar, bad: () => never): number {
  return typeof v === 'number' ? v : bad();
}

/** The header bytes (everything before the tensor data, padding included) and each tensor's offset. */
export function encodeGgufHeader(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[], alignment = GGUF_DEFAULT_ALIGNMENT): { header: Buffer; offsets: number[]; dataBytes: number } {
  const meta = new Map(metadata);
  if (alignment !== GGUF_DEFAULT_ALIGNMENT) meta.set('general.alignment', { type: 'uint32', value: alignment });
  const w = new ByteWriter();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(meta.size);
  for (const [key, v] of meta) {
    w.str(key);
    w.u32(GGUF_TYPE[v.type]);
    if (v.type === 'array') {
      w.u32(GGUF_TYPE[v.itemType]);
      w.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) writeScalar(w, v.itemType, v.value[i]!, key);
    } else {
      writeScalar(w, v.type, v.value, key);
    }
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new AnankeError('INTERNAL', `GGUF tensor ${t.name}: dimensions ${t.dims.join('×')} hold ${count} values, data has ${t.data.length}`);
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_TYPE_F32);
    w.u64(offset);
    offsets.push(offset);
    offset += t.data.byteLength;
    offset += (alignment - (offset % alignment)) % alignment;
  }
  w.pad(alignment);
  return { header: Buffer.from(w.bytes()), offsets, dataBytes: offset };
}

/**
 * Writes a GGUF v3 file of F32 tensors. The file appears complete or not at all: it is written to a
 * temporary file beside `outPath` and renamed into place; on any failure the temporary file is
 * removed. Returns the size in bytes.
 */
export function writeGguf(outPath: string, metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[], alignment = GGUF_DEFAULT_ALIGNMENT): number {
  const { header, offsets, dataBytes } = encodeGgufHeader(metadata, tensors, alignment);
  const dir = path.dirname(path.resolve(outPath));
  const tmp = path.join(dir, `.${path.basename(outPath)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx');
    fs.writeSync(fd, header);
    let pos = 0;
    const zeros = Buffer.alloc(alignment);
    for (let i = 0; i < tensors.length; i++) {
      const t = tensors[i]!;
      if (offsets[i]! > pos) {
        fs.writeSync(fd, zeros, 0, offsets[i]! - pos);
        pos = offsets[i]!;
      }
      // Little-endian hosts only (x64, arm64): the Float32Array's bytes are the file's bytes.
      fs.writeSync(fd, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      pos += t.data.byteLength;
    }
    if (dataBytes > pos) fs.writeSync(fd, zeros, 0, dataBytes - pos);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, outPath);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if (e instanceof AnankeError) throw e;
    throw new AnankeError('IO', `cannot write ${outPath}: ${(e as Error).message}`, { file: outPath }, { cause: e });
  }
  return header.length + dataBytes;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Bounds that keep a damaged header from allocating without end. */
const MAX_STRING_BYTES = 1 << 20;
const MAX_ARRAY_ITEMS = 16_000_000;
const MAX_METADATA_ENTRIES = 1_000_000;
const MAX_TENSORS = 1_000_000;
const MAX_DIMS = 8;
/** The header is read in growing chunks, starting here, up to the limit below. */
const FIRST_READ_BYTES = 8 << 20;
const MAX_HEADER_BYTES = 1 << 30;

/** Thrown inside the parser when the buffer ends before the header does: read more, parse again. */
class NeedMore {}

class ByteReader {
  pos = 0;
  constructor(private readonly buf: Buffer, private readonly complete: boolean, private readonly file: string) {}

  private need(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (!this.complete) throw new NeedMore();
    throw this.fail(`the file ends inside the header (at byte ${this.pos}, ${n} more bytes needed): it is truncated`);
  }
  fail(what: string): AnankeError {
    return new AnankeError('PARSE', `${this.file} is not a valid GGUF model file: ${what}`, { file: this.file });
  }
  u8(): number { this.need(1); return this.buf.readUInt8(this.pos++); }
  i8(): number { this.need(1); return this.buf.readInt8(this.pos++); }
  u16(): number { this.need(2); const v = this.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  i16(): number { this.need(2); const v = this.buf.readInt16LE(this.pos); this.pos += 2; return v; }
  u32(): number { this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  i32(): number { this.need(4); const v = this.buf.readInt32LE(this.pos); this.pos += 4; return v; }
  f32(): number { this.need(4); const v = this.buf.readFloatLE(this.pos); this.pos += 4; return v; }
  f64(): number { this.need(8); const v = this.buf.readDoubleLE(this.pos); this.pos += 8; return v; }
  u64(): bigint { this.need(8); const v = this.buf.readBigUInt64LE(this.pos); this.pos += 8; return v; }
  i64(): bigint { this.need(8); const v = this.buf.readBigInt64LE(this.pos); this.pos += 8; return v; }
  /** A u64 that must fit a safe integer no larger than `max`. */
  count(what: string, max: number): number {
    const v = this.u64();
    if (v > BigInt(max)) throw this.fail(`${what} is ${v}, more than ${max}`);
    return Number(v);
  }
  str(what: string): string {
    const n = this.count(`the length of ${what}`, MAX_STRING_BYTES);
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

function readScalar(r: ByteReader, type: GgufScalarType, key: string): GgufScalar {
  switch (type) {
    case 'uint8': return r.u8();
    case 'int8': return r.i8();
    case 'uint16': return r.u16();
    case 'int16': return r.i16();
    case 'uint32': return r.u32();
    case 'int32': return r.i32();
    case 'float32': return r.f32();
    case 'float64': return r.f64();
    case 'bool': {
      const b = r.u8();
      if (b > 1) throw r.fail(`metadata ${key}: a bool is ${b}`);
      return b === 1;
    }
    case 'string': return r.str(`a string of ${key}`);
    case 'uint64': { const v = r.u64(); return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v; }
    case 'int64': { const v = r.i64(); return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v; }
  }
}

function scalarType(r: ByteReader, n: number, key: string): GgufScalarType {
  const name = TYPE_NAME[n];
  if (name === undefined || name === 'array') throw r.fail(`metadata ${key}: unknown value type ${n}`);
  return name;
}

function parseHeader(buf: Buffer, complete: boolean, file: string, fileSize: number): GgufHeader {
  const r = new ByteReader(buf, complete, file);
  if (buf.length < 4 && complete) throw r.fail(`it is ${fileSize} bytes long, too short for a GGUF header`);
  const magic = r.u32();
  if (magic !== GGUF_MAGIC) {
    const shown = buf.subarray(0, 4).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    throw r.fail(`it does not start with "GGUF" (it starts with "${shown}")`);
  }
  const version = r.u32();
  if (version !== 2 && version !== 3) throw r.fail(`GGUF version ${version} is not supported (2 and 3 are)`);
  const tensorCount = r.count('the tensor count', MAX_TENSORS);
  const metaCount = r.count('the metadata count', MAX_METADATA_ENTRIES);
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < metaCount; i++) {
    const key = r.str(`metadata key ${i}`);
    const typeNum = r.u32();
    if (typeNum === GGUF_TYPE.array) {
      const itemType = scalarType(r, r.u32(), key);
      const n = r.count(`the length of the array ${key}`, MAX_ARRAY_ITEMS);
      let value: GgufScalar[] | Int32Array | Float32Array | Uint32Array;
      if (itemType === 'int32' || itemType === 'float32' || itemType === 'uint32') {
        value = itemType === 'int32' ? new Int32Array(n) : itemType === 'float32' ? new Float32Array(n) : new Uint32Array(n);
        for (let k = 0; k < n; k++) value[k] = readScalar(r, itemType, key) as number;
      } else {
        value = new Array<GgufScalar>(n);
        for (let k = 0; k < n; k++) value[k] = readScalar(r, itemType, key);
      }
      metadata.set(key, { type: 'array', itemType, value });
    } else {
      const type = scalarType(r, typeNum, key);
      metadata.set(key, { type, value: readScalar(r, type, key) });
    }
  }
  const alignValue = metadata.get('general.alignment');
  let alignment = GGUF_DEFAULT_ALIGNMENT;
  if (alignValue !== undefined) {
    const a = alignValue.type === 'array' ? NaN : Number(alignValue.value);
    if (!Number.isInteger(a) || a <= 0 || (a & (a - 1)) !== 0) throw r.fail(`general.alignment is ${String(alignValue.value)}, not a power of two`);
    alignment = a;
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.str(`the name of tensor ${i}`);
    const nDims = r.u32();
    if (nDims < 1 || nDims > MAX_DIMS) throw r.fail(`tensor ${name} has ${nDims} dimensions`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(r.count(`a dimension of tensor ${name}`, Number.MAX_SAFE_INTEGER));
    const type = r.u32();
    const offset = r.count(`the offset of tensor ${name}`, Number.MAX_SAFE_INTEGER);
    if (offset % alignment !== 0) throw r.fail(`tensor ${name} is at offset ${offset}, not a multiple of the alignment ${alignment}`);
    tensors.push({ name, dims, type, offset });
  }
  const dataOffset = Math.ceil(r.pos / alignment) * alignment;
  const header: GgufHeader = { version, metadata, tensors, alignment, dataOffset, fileSize };
  // Tensor data must lie inside the file (checked for the types whose size is known here).
  for (const t of tensors) {
    const block = GGML_BLOCK.get(t.type);
    if (!block) continue;
    const values = t.dims.reduce((a, b) => a * b, 1);
    const bytes = Math.ceil(values / block.values) * block.bytes;
    if (dataOffset + t.offset + bytes > fileSize) {
      throw r.fail(`tensor ${t.name} (${block.name}, ${t.dims.join('×')}) ends at byte ${dataOffset + t.offset + bytes}, past the end of the file (${fileSize} bytes): the file is truncated`);
    }
  }
  return header;
}

/**
 * Reads and checks the header of a GGUF file (metadata and tensor table; not the tensor data).
 * Missing file: NOT_FOUND; anything malformed: PARSE, saying what and where.
 */
export function readGgufHeader(file: string): GgufHeader {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AnankeError('NOT_FOUND', `${file}: no such model file (give the path of a .gguf file, or \`test\` for Ananke's test model)`, { file });
  }
  if (stat.isDirectory()) throw new AnankeError('NOT_FOUND', `${file} is a folder, not a GGUF model file`, { file });
  const fd = fs.openSync(file, 'r');
  try {
    let want = Math.min(stat.size, FIRST_READ_BYTES);
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const got = fs.readSync(fd, buf, 0, want, 0);
      const complete = got >= stat.size;
      try {
        return parseHeader(buf.subarray(0, got), complete, file, stat.size);
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        if (want >= MAX_HEADER_BYTES) throw new AnankeError('PARSE', `${file}: the GGUF header is larger than ${MAX_HEADER_BYTES >> 20} MB`, { file });
        want = Math.min(stat.size, want * 2, MAX_HEADER_BYTES);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A metadata value as a string, number or array, or undefined when absent (for convenience). */
export function metaString(h: GgufHeader, key: string): string | undefined {
  const v = h.metadata.get(key);
  return v && v.type === 'string' ? (v.value as string) : undefined;
}

export function metaNumber(h: GgufHeader, key: string): number | undefined {
  const v = h.metadata.get(key);
  if (!v || v.type === 'array' || v.type === 'string' || v.type === 'bool') return undefined;
  return Number(v.value);
}

export function metaBool(h: GgufHeader, key: string): boolean | undefined {
  const v = h.metadata.get(key);
  return v && v.type === 'bool' ? (v.value as boolean) : undefined;
}

export function metaArray(h: GgufHeader, key: string): GgufValue & { type: 'array' } | undefined {
  const v = h.metadata.get(key);
  return v && v.type === 'array' ? v : undefined;
}
