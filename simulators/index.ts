/**
 * The engine's version, and nothing else. There is deliberately no barrel here: the engine's front doors
 * are its layers (README "Where things live", enforced by scripts/eslint-layers.mjs), each imported by
 * path. A barrel would hide those walls behind one name, and any runtime import through it (the window
 * wants only the phase and memory-category names) would drag every registry and kernel into the
 * importer's bundle. Bump the version when simulation results may change.
 */
export const ENGINE_VERSION = '0.1.0'
