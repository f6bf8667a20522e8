// One line per preset profile (a JSON file in this folder); library.ts parses them.
export const PRESET_FILES: readonly unknown[] = []
