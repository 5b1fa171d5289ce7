import { COLOURS, COLOUR_NAMES, SHAPES, type Colour, type FrameLabel, type Shape } from './scene';

/** Features of one decoded frame. */
export interface FrameFeatures {
  /** Pixels classed as foreground (saturated). */
  area: number;
  /** Foreground area / bounding-box area: square 1, circle π/4, triangle 1/2. */
  fill: number;
  /** Bounding box width / height. */
  aspect: number;
  /** Mean RGB of the foreground. */
  meanRgb: [number, number, number];
  /** Foreground hue histogram, 12 bins of 30°, normalised to sum 1. */
  hueHistogram: number[];
  /** Fraction of pixels whose Sobel gradient magnitude exceeds the edge threshold. */
  edgeDensity: number;
}

// Background saturation stays below ~40 after JPEG; object colours are above 150.
const SATURATION_THRESHOLD = 90;
const EDGE_THRESHOLD = 120;
const MIN_OBJECT_AREA = 60;

function hueBin(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  let h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  if (h < 0) h += 6;
  return Math.min(11, Math.floor(h * 2));
}

/** Computes the frame's colour, shape and edge features from RGBA pixels. */
export function extractFeatures(rgba: Uint8Array, width: number, height: number): FrameFeatures {
  let area = 0;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  const sum = [0, 0, 0];
  const hist = new Array<number>(12).fill(0);
  const luma = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const r = rgba[i * 4];
      const g = rgba[i * 4 + 1];
      const b = rgba[i * 4 + 2];
      luma[i] = 0.299 * r + 0.587 * g + 0.114 * b;
      if (Math.max(r, g, b) - Math.min(r, g, b) > SATURATION_THRESHOLD) {
        area++;
        sum[0] += r;
        sum[1] += g;
        sum[2] += b;
        hist[hueBin(r, g, b)]++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  let edges = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx = luma[i - width + 1] + 2 * luma[i + 1] + luma[i + width + 1] - luma[i - width - 1] - 2 * luma[i - 1] - luma[i + width - 1];
      const gy =
        luma[i + width - 1] + 2 * luma[i + width] + luma[i + width + 1] - luma[i - width - 1] - 2 * luma[i - width] - luma[i - width + 1];
      if (gx * gx + gy * gy > EDGE_THRESHOLD * EDGE_THRESHOLD) edges++;
    }
  }
  const boxW = maxX - minX + 1;
  const boxH = maxY - minY + 1;
  return {
    area,
    fill: area > 0 ? area / (boxW * boxH) : 0,
    aspect: area > 0 ? boxW / boxH : 0,
    meanRgb: area > 0 ? [sum[0] / area, sum[1] / area, sum[2] / area] : [0, 0, 0],
    hueHistogram: hist.map((h) => (area > 0 ? h / area : 0)),
    edgeDensity: edges / ((width - 2) * (height - 2)),
  };
}

// Nearest-centroid shape classifier on (fill ratio, aspect ratio).
const SHAPE_CENTROIDS: Record<Shape, [number, number]> = { square: [1, 1], circle: [Math.PI / 4, 1], triangle: [0.5, 1] };

/** Labels a frame from its features: a tiny deterministic nearest-centroid classifier. */
export function classify(f: FrameFeatures): FrameLabel {
  if (f.area < MIN_OBJECT_AREA) return 'empty';
  const dist = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  const shape = SHAPES.reduce((best, s) =>
    dist([f.fill, f.aspect], SHAPE_CENTROIDS[s]) < dist([f.fill, f.aspect], SHAPE_CENTROIDS[best]) ? s : best,
  );
  const colour = COLOUR_NAMES.reduce((best: Colour, c) => (dist(f.meanRgb, COLOURS[c]) < dist(f.meanRgb, COLOURS[best]) ? c : best));
  return `${colour} ${shape}`;
}
