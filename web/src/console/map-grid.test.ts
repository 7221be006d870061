import { describe, expect, it } from 'vitest';
import { formatCoord, gridLines, gridStep } from './map-grid.ts';

describe('map grid', () => {
  it('picks a finer step when zoomed in', () => {
    expect(gridStep({ west: -180, south: -80, east: 180, north: 80 }, 1000, 800)).toBe(30);
    expect(gridStep({ west: 7.9, south: 46.5, east: 8.0, north: 46.56 }, 1000, 800)).toBe(0.01);
    expect(gridStep({ west: 7.9, south: 46.5, east: 8.0, north: 46.56 }, 400, 300)).toBe(0.05);
  });

  it('labels lines by hemisphere with the decimals of the step', () => {
    expect(formatCoord(46.55, 0.01, 'lat')).toBe('46.55°N');
    expect(formatCoord(-7.25, 0.05, 'lon')).toBe('7.25°W');
    expect(formatCoord(0, 1, 'lon')).toBe('0°');
    expect(formatCoord(190, 10, 'lon')).toBe('170°W');
  });

  it('only labels lines inside the view', () => {
    const grid = gridLines({ west: 7.9, south: 46.5, east: 8.0, north: 46.56 }, 1000, 800);
    expect(grid.lonLabels.every((lon) => lon >= 7.9 && lon <= 8.0)).toBe(true);
    expect(grid.geojson.features.length).toBeGreaterThan(grid.lonLabels.length + grid.latLabels.length);
  });
});
