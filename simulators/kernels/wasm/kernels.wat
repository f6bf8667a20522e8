;; Lastmile Studio: exact integer kernels in WebAssembly SIMD (128-bit).
;; Source of kernels.wasm and kernels-wasm.ts: rebuild both with `node scripts/build-wasm.mjs`,
;; check them with `node scripts/build-wasm.mjs --check`. Hand-written; see docs/kernels.md.
;;
;; Every kernel works on centred operands (q − z) stored as int16, which the TypeScript glue
;; (wasm-backend.ts) writes into this module's memory. All sums are int32 with two's-complement wrap;
;; the glue only routes a call here when the exact sum provably fits int32, so these sums are exact.

(module
  (memory (export "memory") 1)

  ;; The four lanes of an i32x4 added (wrapping).
  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; C[r·ldc + m] = Σ_k A[r·Kp + k] · B[m·Kp + k]  for r < R, m < M (int16 × int16 → int32).
  ;; A and B rows are Kp int16 long (Kp a multiple of 8, zero-padded past the real K), R a multiple
  ;; of 4 and M a multiple of 2 (padding rows are zero); a, b, c are byte addresses, ldc in elements.
  ;; Register block: 4 rows of A × 2 rows of B = 8 i32x4 accumulators; per 8 values of K it does
  ;; 6 loads and 8 i32x4.dot_i16x8_s (64 MACs).
  (func $gemm (export "gemm_i16")
    (param $a i32) (param $b i32) (param $c i32) (param $R i32) (param $M i32) (param $Kp i32) (param $ldc i32)
    (local $rs i32) (local $cs i32) (local $r i32) (local $m i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $q0 i32) (local $q1 i32) (local $pend i32)
    (local $pc i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $rs (i32.shl (local.get $Kp) (i32.const 1)))
    (local.set $cs (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $R)))
        (local.set $m (i32.const 0))
        (block $mdone
          (loop $mloop
            (br_if $mdone (i32.ge_u (local.get $m) (local.get $M)))
            (local.set $p0 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rs))))
            (local.set $p1 (i32.add (local.get $p0) (local.get $rs)))
            (local.set $p2 (i32.add (local.get $p1) (local.get $rs)))
            (local.set $p3 (i32.add (local.get $p2) (local.get $rs)))
            (local.set $q0 (i32.add (local.get $b) (i32.mul (local.get $m) (local.get $rs))))
            (local.set $q1 (i32.add (local.get $q0) (local.get $rs)))
            (local.set $pend (local.get $p1))
            (local.set $s00 (v128.const i64x2 0 0))
            (local.set $s01 (v128.const i64x2 0 0))
            (local.set $s10 (v128.const i64x2 0 0))
            (local.set $s11 (v128.const i64x2 0 0))
            (local.set $s20 (v128.const i64x2 0 0))
            (local.set $s21 (v128.const i64x2 0 0))
            (local.set $s30 (v128.const i64x2 0 0))
            (local.set $s31 (v128.const i64x2 0 0))
            (loop $kloop
              (local.set $y0 (v128.load (local.get $q0)))
              (local.set $y1 (v128.load (local.get $q1)))
              (local.set $x0 (v128.load (local.get $p0)))
              (local.set $x1 (v128.load (local.get $p1)))
              (local.set $x2 (v128.load (local.get $p2)))
              (local.set $x3 (v128.load (local.get $p3)))
              (local.set $s00 (i32x4.add (local.get $s00) (i32x4.dot_i16x8_s (local.get $x0) (local.get $y0))))
              (local.set $s01 (i32x4.add (local.get $s01) (i32x4.dot_i16x8_s (local.get $x0) (local.get $y1))))
              (local.set $s10 (i32x4.add (local.get $s10) (i32x4.dot_i16x8_s (local.get $x1) (local.get $y0))))
              (local.set $s11 (i32x4.add (local.get $s11) (i32x4.dot_i16x8_s (local.get $x1) (local.get $y1))))
              (local.set $s20 (i32x4.add (local.get $s20) (i32x4.dot_i16x8_s (local.get $x2) (local.get $y0))))
              (local.set $s21 (i32x4.add (local.get $s21) (i32x4.dot_i16x8_s (local.get $x2) (local.get $y1))))
              (local.set $s30 (i32x4.add (local.get $s30) (i32x4.dot_i16x8_s (local.get $x3) (local.get $y0))))
              (local.set $s31 (i32x4.add (local.get $s31) (i32x4.dot_i16x8_s (local.get $x3) (local.get $y1))))
              (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
              (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
              (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
              (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
              (local.set $q0 (i32.add (local.get $q0) (i32.const 16)))
              (local.set $q1 (i32.add (local.get $q1) (i32.const 16)))
              (br_if $kloop (i32.lt_u (local.get $p0) (local.get $pend))))
            (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ldc)) (local.get $m)) (i32.const 2))))
            (i32.store offset=0 (local.get $pc) (call $hsum (local.get $s00)))
            (i32.store offset=4 (local.get $pc) (call $hsum (local.get $s01)))
            (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
            (i32.store offset=0 (local.get $pc) (call $hsum (local.get $s10)))
            (i32.store offset=4 (local.get $pc) (call $hsum (local.get $s11)))
            (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
            (i32.store offset=0 (local.get $pc) (call $hsum (local.get $s20)))
            (i32.store offset=4 (local.get $pc) (call $hsum (local.get $s21)))
            (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
            (i32.store offset=0 (local.get $pc) (call $hsum (local.get $s30)))
            (i32.store offset=4 (local.get $pc) (call $hsum (local.get $s31)))
            (local.set $m (i32.add (local.get $m) (i32.const 2)))
            (br $mloop)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rloop))))
)
