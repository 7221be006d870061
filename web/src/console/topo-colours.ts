/** Contour lines and their elevation labels, by theme: a warm brown that no basemap layer uses. */
export const CONTOUR_COLOURS = { light: '#8a5a2b', dark: '#c9b28a' } as const;

/** Footpaths and tracks, and their names: what a search team walks, stronger than the basemap draws them. */
export const TRAIL_COLOURS = { light: '#2f6b1f', dark: '#9ccc7c' } as const;
