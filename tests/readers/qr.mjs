// Reads a QR code from a PNG or an SVG file with jsQR, a decoder independent of the library that drew it, and prints
// its text. An SVG is rasterized here: its rectangles (rect elements, and path subpaths) painted on a white canvas.
// Usage (from the repository root): node tests/readers/qr.mjs file.png|file.svg
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const file = process.argv[2];
const image = file.endsWith('.svg') ? rasterize(readFileSync(file, 'utf8')) : fromPng(readFileSync(file));
const code = jsQR(image.data, image.width, image.height);
if (!code) {
  console.error(`no QR code found in ${file}`);
  process.exit(2);
}
process.stdout.write(code.data);

function fromPng(bytes) {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
}

function attributes(text) {
  const found = {};
  for (const [, name, value] of text.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) found[name] = value;
  return found;
}

function colour(fill) {
  if (!fill || fill === 'none') return null;
  const hex = fill.replace('#', '');
  if (/^[0-9a-f]{6}$/i.test(hex)) return [0, 2, 4].map(i => parseInt(hex.slice(i, i + 2), 16));
  return fill === 'white' ? [255, 255, 255] : [0, 0, 0];
}

// The rectangles an SVG paints: its <rect> elements, and each closed subpath of a <path> (QRCoder draws a run of modules
// as "M x y h w v 1 h -w z"), taken as the box around its points. Enough for a QR code, which is nothing but squares.
function boxes(svg) {
  const found = [];
  for (const [element] of svg.matchAll(/<rect\b[^>]*>/g)) {
    const a = attributes(element);
    const x = parseFloat(a.x ?? '0'), y = parseFloat(a.y ?? '0');
    found.push({ fill: a.fill ?? '#000000', x0: x, y0: y, x1: x + parseFloat(a.width), y1: y + parseFloat(a.height) });
  }
  for (const [element] of svg.matchAll(/<path\b[^>]*>/g)) {
    const a = attributes(element);
    let x = 0, y = 0, points = [];
    for (const [, command, number] of (a.d ?? '').matchAll(/([MmHhVvLlZz])\s*([-\d.]*(?:[\s,]+[-\d.]+)?)/g)) {
      const n = number.trim().split(/[\s,]+/).filter(Boolean).map(Number);
      switch (command) {
        case 'M': [x, y] = n; points = [[x, y]]; break;
        case 'm': x += n[0]; y += n[1]; points = [[x, y]]; break;
        case 'L': [x, y] = n; points.push([x, y]); break;
        case 'l': x += n[0]; y += n[1]; points.push([x, y]); break;
        case 'H': x = n[0]; points.push([x, y]); break;
        case 'h': x += n[0]; points.push([x, y]); break;
        case 'V': y = n[0]; points.push([x, y]); break;
        case 'v': y += n[0]; points.push([x, y]); break;
        default: {
          const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
          found.push({ fill: a.fill ?? '#000000', x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) });
        }
      }
    }
  }
  return found;
}

// Paints the SVG on a white canvas, ten pixels a unit of its viewBox.
function rasterize(svg) {
  const scale = 10;
  const root = attributes(svg.match(/<svg\b[^>]*>/)[0]);
  const box = (root.viewBox ?? `0 0 ${parseFloat(root.width)} ${parseFloat(root.height)}`).split(/[\s,]+/).map(Number);
  const [left, top] = box;
  const width = Math.round(box[2] * scale), height = Math.round(box[3] * scale);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const b of boxes(svg)) {
    const rgb = colour(b.fill);
    if (!rgb) continue;
    const x0 = Math.round((b.x0 - left) * scale), y0 = Math.round((b.y0 - top) * scale);
    const x1 = Math.round((b.x1 - left) * scale), y1 = Math.round((b.y1 - top) * scale);
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) data.set([...rgb, 255], (y * width + x) * 4);
  }
  return { width, height, data };
}
