// The window's few direct DOM operations, named, in one file shared by the sections (the .vue files stay
// templates and state). Exporting a file goes through the browser's download (Electron shows its save
// dialog); importing reads the file an <input type="file"> picked.

/** The value of the input, textarea or select an event came from. */
export function eventValue(e: Event): string {
  return (e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value
}

export const checkedOf = (e: Event): boolean => (e.target as HTMLInputElement).checked

/** A number input holding text the browser cannot read as a number ("1e", "--2") reports '' as its value. */
export function isBadNumberInput(e: Event): boolean {
  const el = e.target
  return el instanceof HTMLInputElement && el.type === 'number' && el.validity.badInput
}

/** Ctrl+Enter, or Cmd+Enter on a Mac, starts the experiment from anywhere in the form. */
export function isRunShortcut(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey)
}

export const isMac = (): boolean => /Mac|iPhone|iPad/.test(globalThis.navigator?.userAgent ?? '')

export function focusFirstInvalid(root: HTMLElement | null | undefined): void {
  root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
}

export function focusTestId(testId: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testId)}"]`)
  el?.scrollIntoView({ block: 'center' })
  el?.focus()
}

export function scrollToId(id: string): void {
  document.getElementById(id)?.scrollIntoView({ block: 'start', behavior: 'smooth' })
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

/** Saves `text` as a file through the browser's download (a Blob URL, revoked once the download took it). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  downloadBlob(fileName, text, type)
}

/** Saves text or bytes (a PDF) as a file: a Blob URL on a temporary <a download>, no Node in the window. */
export function downloadBlob(fileName: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  // revoked later: the download reads the blob after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Saves a value as a pretty-printed JSON file. */
export function downloadJson(fileName: string, value: unknown): void {
  downloadText(fileName, JSON.stringify(value, null, 2) + '\n')
}

/** The file an <input type=file> change picked, after clearing the input so the same file can be picked again. */
export function takeFile(e: Event): File | undefined {
  const input = e.target as HTMLInputElement
  const file = input.files?.[0]
  input.value = ''
  return file
}

export function openFilePicker(input: HTMLInputElement | null | undefined): void {
  input?.click()
}
