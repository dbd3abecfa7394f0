import type { FeatureOptions } from './extract-features.ts';
import type { Algorithm, TextClassifier } from './train-classifier.ts';

const MAGIC = 0x314d5345; // "ESM1" little-endian
const FORMAT_VERSION = 1;

type Header = { version: number; algorithm: Algorithm; labels: string[]; features: FeatureOptions };

/**
 * Serialises a classifier for the `models.weights` column: a small JSON header, then only the
 * feature rows that carry a weight (most of the hashed space is empty) as Uint32 row numbers and
 * Float32 weights. Layout: magic u32 · header length u32 · header · pad to 4 · rows u32 ·
 * row numbers u32[rows] · weights f32[rows × classes].
 */
export function serialiseClassifier(model: TextClassifier): Buffer {
  const classes = model.labels.length;
  const rowCount = model.weights.length / classes;
  const rows: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    for (let c = 0; c < classes; c++) {
      if (model.weights[r * classes + c] !== 0) {
        rows.push(r);
        break;
      }
    }
  }
  const header: Header = {
    version: FORMAT_VERSION,
    algorithm: model.algorithm,
    labels: model.labels,
    features: model.features,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = 8 + headerBytes.length;
  const bodyStart = headerEnd + ((4 - (headerEnd % 4)) % 4);
  const total = bodyStart + 4 + rows.length * 4 + rows.length * classes * 4;
  const buf = Buffer.alloc(total);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(headerBytes.length, 4);
  headerBytes.copy(buf, 8);
  buf.writeUInt32LE(rows.length, bodyStart);
  let off = bodyStart + 4;
  for (const r of rows) {
    buf.writeUInt32LE(r, off);
    off += 4;
  }
  for (const r of rows) {
    for (let c = 0; c < classes; c++) {
      buf.writeFloatLE(model.weights[r * classes + c]!, off);
      off += 4;
    }
  }
  return buf;
}

/** Reads a classifier written by `serialiseClassifier`; throws on anything else. */
export function deserialiseClassifier(buf: Buffer | Uint8Array): TextClassifier {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.readUInt32LE(0) !== MAGIC) throw new Error('not an Earshot classifier (bad magic)');
  const headerLength = b.readUInt32LE(4);
  const header = JSON.parse(b.subarray(8, 8 + headerLength).toString('utf8')) as Header;
  if (header.version !== FORMAT_VERSION) throw new Error(`unsupported classifier format ${header.version}`);
  const classes = header.labels.length;
  const headerEnd = 8 + headerLength;
  const bodyStart = headerEnd + ((4 - (headerEnd % 4)) % 4);
  const rows = b.readUInt32LE(bodyStart);
  const expected = bodyStart + 4 + rows * 4 + rows * classes * 4;
  if (b.length !== expected) throw new Error('truncated classifier weights');
  const weights = new Float32Array((1 << header.features.hashBits) * classes);
  let rowOff = bodyStart + 4;
  let wOff = rowOff + rows * 4;
  for (let i = 0; i < rows; i++) {
    const r = b.readUInt32LE(rowOff);
    rowOff += 4;
    for (let c = 0; c < classes; c++) {
      weights[r * classes + c] = b.readFloatLE(wOff);
      wOff += 4;
    }
  }
  return { algorithm: header.algorithm, labels: header.labels, features: header.features, weights };
}
