// Axis ticks and label placement for the SVG charts: round steps, and labels that never overlap
// one another or a point, even when points sit on top of each other.

import { describe, expect, it } from 'vitest';
import { rng } from '../stats.ts';
import { niceTicks, overlaps, placeLabels, textBox } from './scale.ts';

describe('niceTicks', () => {
  it.each([
    [0, 0.0523, [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06]],
    [0, 0.1, [0, 0.02, 0.04, 0.06, 0.08, 0.1]],
    [0.78, 0.92, [0.78, 0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.92]],
    [0, 13, [0, 5, 10, 15]],
    [0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]],
  ])('%f–%f', (lo, hi, want) => {
    const t = niceTicks(lo, hi, lo === 0.78 ? 5 : 4);
    expect(t.values).toEqual(want);
    expect(t.lo).toBeLessThanOrEqual(lo);
    expect(t.hi).toBeGreaterThanOrEqual(hi);
  });
});

describe('placeLabels', () => {
  const bounds = { x: 0, y: 0, w: 500, h: 220 };
  const check = (points: { x: number; y: number; r: number; text: string }[]) => {
    const placed = placeLabels(points, bounds);
    const boxes = placed.flatMap((p) => (p ? [p.box] : []));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!, 0), `${i} × ${j}`).toBe(false);
    for (const b of boxes) for (const p of points) expect(overlaps(b, { x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r }, 0)).toBe(false);
    for (const b of boxes) expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= 500 && b.y + b.h <= 220).toBe(true);
    return placed;
  };

  it('labels points apart from each other beside them, without a leader', () => {
    const placed = check([{ x: 100, y: 100, r: 7, text: '1.1.0' }, { x: 300, y: 50, r: 7, text: '1.2.0' }]);
    expect(placed.every((p) => p && !p.leader)).toBe(true);
  });

  it('labels points on top of each other without overlap (leader lines), dropping only what fits nowhere', () => {
    const same = Array.from({ length: 6 }, (_, i) => ({ x: 250, y: 110, r: 7, text: `1.${i}.0 (compared)` }));
    const placed = check(same);
    expect(placed.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(placed.some((p) => p?.leader)).toBe(true);
  });

  it('never overlaps on random clusters', () => {
    const next = rng('labels');
    for (let round = 0; round < 50; round++) {
      check(Array.from({ length: 2 + Math.floor(next() * 8) }, (_, i) => ({ x: 200 + next() * 60, y: 80 + next() * 60, r: 7, text: `${i}.${Math.floor(next() * 20)}.0` })));
    }
    expect(textBox('1.2.0').w).toBeGreaterThan(30);
  });
});
