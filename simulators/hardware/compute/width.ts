/** Looking up per-width tables ({ "8": x, "16": y, "32": z }): the narrowest entry that holds `bits`. */
export function byWidth(table: Record<string, number>, bits: number): number {
  const widths = Object.keys(table).map(Number).sort((a, b) => a - b)
  for (const w of widths) if (w >= bits) return table[String(w)]
  return table[String(widths[widths.length - 1])]
}

/** The operand width that decides a MAC's cost: the wider of the two operands. */
export function macBits(op: { bits: { a: number; w: number } }): number {
  return Math.max(op.bits.a, op.bits.w)
}

/** Outputs of a MAC op (for per-output overheads): the GEMM's M·N. */
export function outputsOf(op: { gemm?: { M: number; N: number } }): number {
  return op.gemm ? op.gemm.M * op.gemm.N : 0
}
