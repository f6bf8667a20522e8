// The few browser calls of the experiment form, kept out of the .vue files so those stay plain templates
// and state (and ESLint's .vue config, which has no browser globals, stays quiet).

// aliases for the .vue files, whose lint config does not know the DOM's global types
export type KeyEvent = KeyboardEvent
export type DomEvent = Event

/** Ctrl+Enter, or Cmd+Enter on a Mac, starts the run from anywhere in the form. */
export function isRunShortcut(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey)
}

export const isMac = (): boolean => /Mac|iPhone|iPad/.test(globalThis.navigator?.userAgent ?? '')

export function focusFirstInvalid(root: HTMLElement | null | undefined): void {
  root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
}

export const checkedOf = (e: Event): boolean => (e.target as HTMLInputElement).checked

/** Saves `text` as a file through the browser's download (Electron shows its save dialog). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.click()
  // revoked later: the download reads the blob after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The file chosen in an <input type="file">, read as text; the input is cleared so it can be chosen again. */
export async function takeChosenFile(e: Event): Promise<{ name: string; text: string } | null> {
  const input = e.target as HTMLInputElement
  const file = input.files?.[0]
  input.value = ''
  return file ? { name: file.name, text: await file.text() } : null
}

export function openFilePicker(input: HTMLInputElement | null | undefined): void {
  input?.click()
}
