// The Devices section's few direct DOM operations, in one .ts file: ESLint's config gives .vue files no
// browser globals (no-undef), and these are easier to read named anyway.

export type DomEvent = Event
export type DomKeyboardEvent = KeyboardEvent

/** The value of the input, textarea or select an event came from. */
export function eventValue(e: Event): string {
  return (e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value
}

/** A number input holding text the browser cannot read as a number ("1e", "--2") reports '' as its value. */
export function isBadNumberInput(e: Event): boolean {
  const el = e.target
  return el instanceof HTMLInputElement && el.type === 'number' && el.validity.badInput
}

/** The file an <input type=file> change picked, after clearing the input so the same file can be picked again. */
export function takeFile(e: Event): File | undefined {
  const input = e.target as HTMLInputElement
  const file = input.files?.[0]
  input.value = ''
  return file
}

export function focusTestId(testId: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testId)}"]`)
  el?.scrollIntoView({ block: 'center' })
  el?.focus()
}

export function scrollToId(id: string): void {
  document.getElementById(id)?.scrollIntoView({ block: 'start', behavior: 'smooth' })
}

/** Saves a JSON file through the browser's download (a Blob URL, revoked once the download took it). */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** Arrow keys, Home and End between the rows (`selector`) of a container; true if the key was handled. */
export function moveRowFocus(container: Element | null, e: KeyboardEvent, selector: string): boolean {
  if (!container || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return false
  const rows = [...container.querySelectorAll<HTMLElement>(selector)]
  const i = rows.indexOf(e.currentTarget as HTMLElement)
  const next = e.key === 'ArrowDown' ? rows[i + 1] : e.key === 'ArrowUp' ? rows[i - 1] : e.key === 'Home' ? rows[0] : rows[rows.length - 1]
  next?.focus()
  return true
}
