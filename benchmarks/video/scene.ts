import { Rng } from '../shared/rng';

/** Shape classes of the synthetic scenes. */
export const SHAPES = ['circle', 'square', 'triangle'] as const;
export type Shape = (typeof SHAPES)[number];

/** Object colours: saturated, so a saturation threshold separates them from the grey background. */
export const COLOURS = { red: [220, 40, 40], green: [40, 190, 60], blue: [40, 70, 220], yellow: [230, 210, 40] } as const;
export type Colour = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as Colour[];

/** Ground truth of one frame: `empty`, or e.g. `red circle`. */
export type FrameLabel = 'empty' | `${Colour} ${Shape}`;

export interface SceneObject {
  shape: Shape;
  colour: Colour;
  cx: number;
  cy: number;
  /** Radius, half side, or half height (pixels). */
  r: number;
}

/** Chooses one frame's content; one frame in eight is empty. */
export function randomScene(rng: Rng, width: number, height: number): SceneObject | undefined {
  if (rng.next() < 0.125) return undefined;
  const r = rng.int(Math.floor(height / 7), Math.floor(height / 3.2));
  return {
    shape: rng.pick(SHAPES),
    colour: rng.pick(COLOUR_NAMES),
    cx: rng.int(r + 2, width - r - 3),
    cy: rng.int(r + 2, height - r - 3),
    r,
  };
}

/** The label a frame with this content must get. */
export function labelOf(obj: SceneObject | undefined): FrameLabel {
  return obj ? `${obj.colour} ${obj.shape}` : 'empty';
}

function inside(obj: SceneObject, x: number, y: number): boolean {
  const dx = x - obj.cx;
  const dy = y - obj.cy;
  switch (obj.shape) {
    case 'circle':
      return dx * dx + dy * dy <= obj.r * obj.r;
    case 'square':
      return Math.abs(dx) <= obj.r && Math.abs(dy) <= obj.r;
    case 'triangle': {
      // Upright isosceles triangle: apex at the top, base 2r wide, height 2r (fills half its box).
      const fromApex = dy + obj.r;
      return fromApex >= 0 && fromApex <= 2 * obj.r && Math.abs(dx) <= fromApex / 2;
    }
  }
}

/** Renders a frame as RGBA: a noisy grey gradient background and the object, if any. */
export function renderFrame(rng: Rng, width: number, height: number, obj: SceneObject | undefined): Uint8Array {
  const px = new Uint8Array(width * height * 4);
  const tint = rng.int(-8, 8);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const noise = rng.int(-6, 6);
      if (obj && inside(obj, x, y)) {
        const c = COLOURS[obj.colour];
        px[o] = c[0] + noise;
        px[o + 1] = c[1] + noise;
        px[o + 2] = c[2] + noise;
      } else {
        const g = 50 + Math.floor((90 * x) / width + (40 * y) / height) + noise;
        px[o] = g + tint;
        px[o + 1] = g;
        px[o + 2] = g - tint;
      }
      px[o + 3] = 255;
    }
  }
  return px;
}
