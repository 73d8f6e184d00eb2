// Axis ticks and label placement for the report's SVG charts. Ticks are "nice" numbers (1, 2 or
// 5 times a power of ten, as d3-scale's ticks() picks them) so an axis reads $0, $0.02, $0.04
// rather than $0.013, $0.038. Labels are placed where they overlap no other label, no point and
// stay inside the plot; one that fits nowhere near its point is moved further out with a leader
// line, and one that fits nowhere at all is dropped (its point keeps its tooltip and the table
// below the chart lists every value), because an overlapping label is worse than none.
// Text widths are estimated here (no browser at render time), on the generous side.

export interface Ticks {
  lo: number;
  hi: number;
  step: number;
  values: number[];
}

/** Round ticks covering [lo, hi] with about `count` intervals; the domain is widened to them. */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!(hi > lo)) hi = lo + (lo === 0 ? 1 : Math.abs(lo));
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  // d3-array's thresholds (√50, √10, √2): the step whose tick count is nearest to `count`.
  const step = (f >= Math.SQRT2 * 5 ? 10 : f >= Math.sqrt(10) ? 5 : f >= Math.SQRT2 ? 2 : 1) * power;
  const start = Math.floor(lo / step + 1e-9);
  const end = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  // Rounded to the step's own decimals, so 0.1 + 0.2 prints as 0.3.
  const decimals = decimalsOf(step);
  for (let i = start; i <= end; i++) values.push(Number((i * step).toFixed(decimals)));
  return { lo: values[0]!, hi: values.at(-1)!, step, values };
}

/** Decimals that print every multiple of `step` exactly (0.02 → 2, 0.005 → 3, 5 → 0). */
export function decimalsOf(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A label's size in an 11 px system font: a generous estimate (wide glyphs, bold digits). */
export const textBox = (text: string, size = 11): { w: number; h: number } => ({ w: Math.ceil(text.length * size * 0.62) + 2, h: size + 3 });

export const overlaps = (a: Box, b: Box, pad = 1) => a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;

export interface Placed {
  /** Text anchor point (start anchor, middle baseline): the label's left edge and vertical centre. */
  x: number;
  y: number;
  box: Box;
  /** Set when the label sits away from its point: draw a line from the point to here. */
  leader: { x: number; y: number } | null;
}

/**
 * Places one label per point (in order), avoiding every point, every label already placed and
 * the plot's edges. Returns null for a label that fits nowhere.
 */
export function placeLabels(points: { x: number; y: number; r: number; text: string }[], bounds: Box): (Placed | null)[] {
  const placed: Box[] = [];
  const dots: Box[] = points.map((p) => ({ x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r }));
  const inside = (b: Box) => b.x >= bounds.x && b.y >= bounds.y && b.x + b.w <= bounds.x + bounds.w && b.y + b.h <= bounds.y + bounds.h;
  return points.map((p) => {
    const { w, h } = textBox(p.text);
    const gap = p.r + 4;
    // Near the point first (right, left, above, below, the corners), then further out with a leader.
    const near: [number, number][] = [
      [gap, -h / 2],
      [-gap - w, -h / 2],
      [-w / 2, -gap - h],
      [-w / 2, gap],
      [gap, -gap - h + 4],
      [gap, gap - 4],
      [-gap - w, -gap - h + 4],
      [-gap - w, gap - 4],
    ];
    const far: [number, number][] = [];
    for (const d of [18, 30, 44, 60, 78]) far.push([gap, -h / 2 - d], [gap, -h / 2 + d], [-gap - w, -h / 2 - d], [-gap - w, -h / 2 + d], [gap + d, -h / 2]);
    for (const [i, [dx, dy]] of [...near, ...far].entries()) {
      const box = { x: p.x + dx, y: p.y + dy, w, h };
      if (!inside(box) || placed.some((b) => overlaps(b, box, 2)) || dots.some((d) => overlaps(d, box, 1))) continue;
      placed.push(box);
      const leader = i >= near.length ? { x: dx > 0 ? box.x : box.x + w, y: box.y + h / 2 } : null;
      return { x: box.x, y: box.y + h / 2, box, leader };
    }
    return null;
  });
}
