// The renderer's Content-Security-Policy. Sent as a response header by the main process and mirrored in
// src-renderer/index.html's <meta> (a unit test keeps the two identical).
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/** Dev server only: Vite injects SFC styles as <style> elements for HMR. */
export const RENDERER_CSP_DEV = RENDERER_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
