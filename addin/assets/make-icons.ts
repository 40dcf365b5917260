// Draws the add-in's icons (a green sheet with table lines and an upward "submit" arrow) and writes them as PNG
// with node:zlib — no image tooling needed. Run: npx tsx addin/assets/make-icons.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type RGBA = [number, number, number, number];
const GREEN: RGBA = [16, 124, 65, 255];
const WHITE: RGBA = [255, 255, 255, 255];
const LINE: RGBA = [120, 180, 140, 255];
const ARROW: RGBA = [232, 120, 20, 255];
const CLEAR: RGBA = [0, 0, 0, 0];

const inRoundRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

/** The icon in unit coordinates (0..1, y down). */
function paint(x: number, y: number): RGBA {
  // Upward arrow in the lower right: shaft and head.
  const inShaft = x >= 0.7 && x <= 0.8 && y >= 0.62 && y <= 0.92;
  const inHead = y >= 0.48 && y <= 0.66 && Math.abs(x - 0.75) <= (y - 0.48) * 0.95;
  if (inShaft || inHead) return ARROW;
  if (!inRoundRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.16)) return CLEAR;
  if (inRoundRect(x, y, 0.2, 0.16, 0.66, 0.84, 0.04)) {
    const rowLine = [0.32, 0.46, 0.6, 0.74].some((ly) => Math.abs(y - ly) < 0.025);
    const colLine = Math.abs(x - 0.34) < 0.02 && y > 0.26;
    const header = y < 0.26;
    return header ? [200, 230, 210, 255] : rowLine || colLine ? LINE : WHITE;
  }
  return GREEN;
}

function render(size: number): Buffer {
  const samples = 4;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const c = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          for (let k = 0; k < 3; k++) acc[k] += c[k] * c[3];
          acc[3] += c[3];
        }
      const o = py * (size * 4 + 1) + 1 + px * 4;
      const alpha = acc[3] / (samples * samples);
      for (let k = 0; k < 3; k++) raw[o + k] = acc[3] ? Math.round(acc[k] / acc[3]) : 0;
      raw[o + 3] = Math.round(alpha);
    }
  }
  return png(size, size, raw);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(width: number, height: number, raw: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const here = dirname(fileURLToPath(import.meta.url));
for (const size of [16, 32, 64, 80, 128]) writeFileSync(join(here, `icon-${size}.png`), render(size));
