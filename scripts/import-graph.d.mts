// Types of import-graph.mjs, for its test.
export interface ImportEdge { from: string; to: string; typeOnly: boolean }
export interface ImportGraph { files: string[]; edges: ImportEdge[] }
export function importGraph(root?: string): ImportGraph
export function cycles(g: ImportGraph): string[][]
export function folderArrows(g: ImportGraph, depth?: number): { arrow: string; imports: number }[]
