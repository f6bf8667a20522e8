// Exported files are named after the sweep: a file-name-safe stem ("which chip?" -> "which-chip").
export function fileStem(name: string): string {
  return name.trim().replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'sweep'
}
