// The CSP is declared twice (response header from main, <meta> in index.html for file:// and vite preview);
// keep them identical.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RENDERER_CSP } from '../security'

describe('renderer CSP', () => {
  const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8')
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]

  it('index.html carries the same policy as the main process header', () => {
    expect(meta).toBe(RENDERER_CSP)
  })

  it('allows scripts only from the app itself', () => {
    expect(RENDERER_CSP).toContain("script-src 'self';")
    expect(RENDERER_CSP).not.toContain('unsafe-eval')
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*unsafe-inline/)
  })
})
