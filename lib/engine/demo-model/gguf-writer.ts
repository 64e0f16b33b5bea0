// A minimal GGUF (v3) writer: metadata key/values and F32 tensors. Enough to write Bora's demo
// model; not a general converter.
const enum ValueType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}

export type MetaValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: string[] }
  | { type: "f32[]"; value: number[] }
  | { type: "i32[]"; value: number[] };

export type Tensor = { name: string; dims: number[]; data: Float32Array };

const alignment = 32;

class Out {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer) {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string) {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad() {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }
  buffer() {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: Out, v: MetaValue) {
  switch (v.type) {
    case "u32":
      out.u32(ValueType.Uint32);
      return out.u32(v.value);
    case "i32":
      out.u32(ValueType.Int32);
      return out.i32(v.value);
    case "f32":
      out.u32(ValueType.Float32);
      return out.f32(v.value);
    case "bool":
      out.u32(ValueType.Bool);
      return out.push(Buffer.from([v.value ? 1 : 0]));
    case "string":
      out.u32(ValueType.String);
      return out.str(v.value);
    case "string[]":
      out.u32(ValueType.Array);
      out.u32(ValueType.String);
      out.u64(v.value.length);
      return v.value.forEach((s) => out.str(s));
    case "f32[]":
      out.u32(ValueType.Array);
      out.u32(ValueType.Float32);
      out.u64(v.value.length);
      return v.value.forEach((n) => out.f32(n));
    case "i32[]":
      out.u32(ValueType.Array);
      out.u32(ValueType.Int32);
      out.u64(v.value.length);
      return v.value.forEach((n) => out.i32(n));
  }
}

export function writeGguf(metadata: Record<string, MetaValue>, tensors: Tensor[]): Buffer {
  const out = new Out();
  out.push(Buffer.from("GGUF", "ascii"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    out.str(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const t of tensors) {
    out.str(t.name);
    out.u32(t.dims.length);
    t.dims.forEach((d) => out.u64(d));
    out.u32(0); // GGML_TYPE_F32
    out.u64(offset);
    offset += Math.ceil((t.data.length * 4) / alignment) * alignment;
  }
  out.pad();
  for (const t of tensors) {
    out.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    out.pad();
  }
  return out.buffer();
}
