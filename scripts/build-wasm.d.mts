export const paths: { wat: string; wasm: string; ts: string }
export function buildWasm(): Promise<{ bytes: Uint8Array; ts: string }>
export function checkWasm(): Promise<string[]>
