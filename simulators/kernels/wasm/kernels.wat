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
  ;; n int16 from src to dst (byte addresses): bulk copy for long runs, element by element for short ones
  (func $copy16 (param $dst i32) (param $src i32) (param $n i32)
    (if (i32.ge_u (local.get $n) (i32.const 16))
      (then (memory.copy (local.get $dst) (local.get $src) (i32.shl (local.get $n) (i32.const 1))) (return)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store16 (local.get $dst) (i32.load16_s (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; Centres and packs rows: dst[r·Kp + k] = src[r·K + k] − z(r) as int16 (src int32; z = zps[r] when
  ;; perRow, else zps[0]), columns K..Kp and rows rows..rowsP zero. The caller guarantees every centred
  ;; value fits int16 and K ≤ 32768 (so a row's L1 norm fits int32). Writes the largest row L1 norm and
  ;; the largest |value| to norms[0] and norms[1] (int32).
  (func $pack (export "pack_rows")
    (param $src i32) (param $rows i32) (param $K i32) (param $Kp i32) (param $zps i32) (param $perRow i32)
    (param $dst i32) (param $rowsP i32) (param $norms i32)
    (local $r i32) (local $k i32) (local $z i32) (local $zv v128) (local $v v128) (local $a v128)
    (local $l1v v128) (local $infv v128) (local $l1 i32) (local $inf i32) (local $x i32)
    (local $maxl1 i32) (local $maxinf i32) (local $ps i32) (local $pd i32) (local $k4 i32)
    (local.set $k4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $z (i32.load (i32.add (local.get $zps) (i32.shl (i32.mul (local.get $r) (local.get $perRow)) (i32.const 2)))))
        (local.set $zv (i32x4.splat (local.get $z)))
        (local.set $ps (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $K)) (i32.const 2))))
        (local.set $pd (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $Kp)) (i32.const 1))))
        (local.set $l1v (v128.const i64x2 0 0))
        (local.set $infv (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (block $vdone
          (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $k) (local.get $k4)))
            (local.set $v (i32x4.sub (v128.load (local.get $ps)) (local.get $zv)))
            (v128.store64_lane 0 (local.get $pd) (i16x8.narrow_i32x4_s (local.get $v) (local.get $v)))
            (local.set $a (i32x4.abs (local.get $v)))
            (local.set $l1v (i32x4.add (local.get $l1v) (local.get $a)))
            (local.set $infv (i32x4.max_s (local.get $infv) (local.get $a)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 16)))
            (local.set $pd (i32.add (local.get $pd) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $vloop)))
        (local.set $l1 (call $hsum (local.get $l1v)))
        (local.set $inf (i32x4.extract_lane 0 (local.get $infv)))
        (if (i32.gt_s (i32x4.extract_lane 1 (local.get $infv)) (local.get $inf)) (then (local.set $inf (i32x4.extract_lane 1 (local.get $infv)))))
        (if (i32.gt_s (i32x4.extract_lane 2 (local.get $infv)) (local.get $inf)) (then (local.set $inf (i32x4.extract_lane 2 (local.get $infv)))))
        (if (i32.gt_s (i32x4.extract_lane 3 (local.get $infv)) (local.get $inf)) (then (local.set $inf (i32x4.extract_lane 3 (local.get $infv)))))
        (block $sdone
          (loop $sloop
            (br_if $sdone (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $x (i32.sub (i32.load (local.get $ps)) (local.get $z)))
            (i32.store16 (local.get $pd) (local.get $x))
            (if (i32.lt_s (local.get $x) (i32.const 0)) (then (local.set $x (i32.sub (i32.const 0) (local.get $x)))))
            (local.set $l1 (i32.add (local.get $l1) (local.get $x)))
            (if (i32.gt_s (local.get $x) (local.get $inf)) (then (local.set $inf (local.get $x))))
            (local.set $ps (i32.add (local.get $ps) (i32.const 4)))
            (local.set $pd (i32.add (local.get $pd) (i32.const 2)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $sloop)))
        (memory.fill (local.get $pd) (i32.const 0) (i32.shl (i32.sub (local.get $Kp) (local.get $K)) (i32.const 1)))
        (if (i32.gt_s (local.get $l1) (local.get $maxl1)) (then (local.set $maxl1 (local.get $l1))))
        (if (i32.gt_s (local.get $inf) (local.get $maxinf)) (then (local.set $maxinf (local.get $inf))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
    (memory.fill
      (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $rows) (local.get $Kp)) (i32.const 1)))
      (i32.const 0)
      (i32.shl (i32.mul (i32.sub (local.get $rowsP) (local.get $rows)) (local.get $Kp)) (i32.const 1)))
    (i32.store (local.get $norms) (local.get $maxl1))
    (i32.store offset=4 (local.get $norms) (local.get $maxinf)))

  ;; im2col: for output pixels p0 … p0+rows−1 (pixel p = (n·oh + oy)·ow + ox), row r of dst (Pp int16)
  ;; is the patch of x (centred int16, NHWC [N, H, W, C]) in (ky, kx, c) order, padded taps 0, then
  ;; zeros up to Pp. Returns the number of valid (in-bounds) tap values written.
  (func $im2col (export "im2col")
    (param $x i32) (param $H i32) (param $W i32) (param $C i32) (param $KH i32) (param $KW i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $dh i32) (param $dw i32)
    (param $oh i32) (param $ow i32) (param $p0 i32) (param $rows i32) (param $dst i32) (param $Pp i32)
    (result i32)
    (local $r i32) (local $p i32) (local $n i32) (local $oy i32) (local $ox i32) (local $t i32)
    (local $ky i32) (local $kx i32) (local $iy i32) (local $ix i32) (local $ix0 i32) (local $d i32) (local $row i32)
    (local $valid i32) (local $cb i32) (local $run i32) (local $pend i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 1)))
    (local.set $run (i32.mul (local.get $KW) (local.get $C)))
    ;; (n, oy, ox) of pixel p0, then advanced by one pixel per row (no division in the loop)
    (local.set $t (i32.div_u (local.get $p0) (local.get $ow)))
    (local.set $ox (i32.sub (local.get $p0) (i32.mul (local.get $t) (local.get $ow))))
    (local.set $n (i32.div_u (local.get $t) (local.get $oh)))
    (local.set $oy (i32.sub (local.get $t) (i32.mul (local.get $n) (local.get $oh))))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $Pp)) (i32.const 1))))
        (local.set $pend (i32.add (local.get $d) (i32.shl (local.get $Pp) (i32.const 1))))
        (local.set $ix0 (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pl)))
        (local.set $ky (i32.const 0))
        (block $kydone
          (loop $kyloop
            (br_if $kydone (i32.ge_u (local.get $ky) (local.get $KH)))
            (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $pt)) (i32.mul (local.get $ky) (local.get $dh))))
            (if (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (local.get $H)))
              (then
                (call $zero16 (local.get $d) (local.get $run))
                (local.set $d (i32.add (local.get $d) (i32.shl (local.get $run) (i32.const 1)))))
              (else
                (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $iy)) (local.get $W)) (local.get $C)) (i32.const 1))))
                (if (i32.and (i32.eq (local.get $dw) (i32.const 1))
                      (i32.and (i32.ge_s (local.get $ix0) (i32.const 0)) (i32.le_s (i32.add (local.get $ix0) (local.get $KW)) (local.get $W))))
                  (then
                    ;; the whole kernel row is inside: one contiguous run of KW·C values
                    (call $copy16 (local.get $d) (i32.add (local.get $row) (i32.mul (local.get $ix0) (local.get $cb))) (local.get $run))
                    (local.set $valid (i32.add (local.get $valid) (local.get $run)))
                    (local.set $d (i32.add (local.get $d) (i32.shl (local.get $run) (i32.const 1)))))
                  (else
                    (local.set $kx (i32.const 0))
                    (block $kxdone
                      (loop $kxloop
                        (br_if $kxdone (i32.ge_u (local.get $kx) (local.get $KW)))
                        (local.set $ix (i32.add (local.get $ix0) (i32.mul (local.get $kx) (local.get $dw))))
                        (if (i32.or (i32.lt_s (local.get $ix) (i32.const 0)) (i32.ge_s (local.get $ix) (local.get $W)))
                          (then (call $zero16 (local.get $d) (local.get $C)))
                          (else
                            (call $copy16 (local.get $d) (i32.add (local.get $row) (i32.mul (local.get $ix) (local.get $cb))) (local.get $C))
                            (local.set $valid (i32.add (local.get $valid) (local.get $C)))))
                        (local.set $d (i32.add (local.get $d) (local.get $cb)))
                        (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                        (br $kxloop)))))))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kyloop)))
        (call $zero16 (local.get $d) (i32.shr_u (i32.sub (local.get $pend) (local.get $d)) (i32.const 1)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (if (i32.eq (local.get $ox) (local.get $ow))
          (then
            (local.set $ox (i32.const 0))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (if (i32.eq (local.get $oy) (local.get $oh))
              (then (local.set $oy (i32.const 0)) (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
    (local.get $valid))
  ;; dst[r·M + m] = c[r·ldc + m] + bias[m] as f64 (bias: M f64 values), for r < rows; returns how many
  ;; results fall outside [lo, hi] (the caller applies the accumulator's overflow rule to those).
  (func $epilogue (export "epilogue")
    (param $c i32) (param $ldc i32) (param $rows i32) (param $M i32) (param $bias i32) (param $dst i32)
    (param $lo f64) (param $hi f64) (result i32)
    (local $r i32) (local $m i32) (local $pc i32) (local $v f64) (local $out i32) (local $m2 i32)
    (local $vv v128) (local $lov v128) (local $hiv v128) (local $outv v128)
    (local.set $m2 (i32.and (local.get $M) (i32.const -2)))
    (local.set $lov (f64x2.splat (local.get $lo)))
    (local.set $hiv (f64x2.splat (local.get $hi)))
    (local.set $r (i32.const 0))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $pc (i32.add (local.get $c) (i32.shl (i32.mul (local.get $r) (local.get $ldc)) (i32.const 2))))
        (local.set $m (i32.const 0))
        ;; two outputs at a time: out-of-range lanes give −1 masks, subtracted from the count vector
        (block $vdone
          (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $m) (local.get $m2)))
            (local.set $vv (f64x2.add
              (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.add (local.get $pc) (i32.shl (local.get $m) (i32.const 2)))))
              (v128.load (i32.add (local.get $bias) (i32.shl (local.get $m) (i32.const 3))))))
            (v128.store (local.get $dst) (local.get $vv))
            (local.set $outv (i64x2.sub (local.get $outv)
              (v128.or (f64x2.lt (local.get $vv) (local.get $lov)) (f64x2.gt (local.get $vv) (local.get $hiv)))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $m (i32.add (local.get $m) (i32.const 2)))
            (br $vloop)))
        (block $mdone
          (loop $mloop
            (br_if $mdone (i32.ge_u (local.get $m) (local.get $M)))
            (local.set $v (f64.add
              (f64.convert_i32_s (i32.load (i32.add (local.get $pc) (i32.shl (local.get $m) (i32.const 2)))))
              (f64.load (i32.add (local.get $bias) (i32.shl (local.get $m) (i32.const 3))))))
            (f64.store (local.get $dst) (local.get $v))
            (local.set $out (i32.add (local.get $out)
              (i32.or (f64.lt (local.get $v) (local.get $lo)) (f64.gt (local.get $v) (local.get $hi)))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))
            (br $mloop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
    (i32.add (local.get $out)
      (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $outv)) (i64x2.extract_lane 1 (local.get $outv))))))
  ;; n int16 zeros at dst: bulk fill for long runs, element by element for short ones
  (func $zero16 (param $dst i32) (param $n i32)
    (if (i32.ge_u (local.get $n) (i32.const 16))
      (then (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $n) (i32.const 1))) (return)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store16 (local.get $dst) (i32.const 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  ;; Interleaves packed rows for gemm_bc: src is Mp rows (Mp a multiple of 8) of Kp int16 (Kp even);
  ;; dst[((g·Kp/2 + t)·8 + j)] (as int32 pairs) = src[g·8 + j][2t, 2t+1]: for each group of 8 rows and
  ;; each pair of columns, the 8 rows' pairs side by side (two v128).
  (func $interleave (export "interleave") (param $src i32) (param $Mp i32) (param $Kp i32) (param $dst i32)
    (local $g i32) (local $t i32) (local $j i32) (local $T i32) (local $rs i32) (local $base i32)
    (local.set $T (i32.shr_u (local.get $Kp) (i32.const 1)))
    (local.set $rs (i32.shl (local.get $Kp) (i32.const 1)))
    (local.set $g (i32.const 0))
    (block $gdone
      (loop $gloop
        (br_if $gdone (i32.ge_u (local.get $g) (local.get $Mp)))
        (local.set $t (i32.const 0))
        (block $tdone
          (loop $tloop
            (br_if $tdone (i32.ge_u (local.get $t) (local.get $T)))
            (local.set $base (i32.add (local.get $src) (i32.add (i32.mul (local.get $g) (local.get $rs)) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $jloop
                (br_if $jdone (i32.ge_u (local.get $j) (i32.const 8)))
                (i32.store (local.get $dst) (i32.load (i32.add (local.get $base) (i32.mul (local.get $j) (local.get $rs)))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jloop)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tloop)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $gloop))))

  ;; C[r·ldc + m] = Σ_k A[r·Kp + k] · B[m][k] for r < R (a multiple of 4), m < M (a multiple of 8),
  ;; with B interleaved (see $interleave) and Kp even: each pair of A values is broadcast
  ;; (v128.load32_splat) against the pairs of 4 output channels, so every i32x4.dot_i16x8_s adds to
  ;; four different outputs and no horizontal sum is needed. Suits small K (first layers: K = 9, 27).
  ;; Register block: 4 rows × 8 outputs = 8 i32x4 accumulators; per pair of K: 6 loads, 8 dots.
  (func $gemm_bc (export "gemm_bc")
    (param $a i32) (param $b i32) (param $c i32) (param $R i32) (param $M i32) (param $Kp i32) (param $ldc i32)
    (local $rs i32) (local $cs i32) (local $r i32) (local $m i32) (local $gs i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $q i32) (local $pend i32) (local $pc i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $rs (i32.shl (local.get $Kp) (i32.const 1)))
    (local.set $cs (i32.shl (local.get $ldc) (i32.const 2)))
    ;; bytes of one interleaved group of 8 rows: Kp/2 pairs × 32 bytes
    (local.set $gs (i32.shl (local.get $Kp) (i32.const 4)))
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
            (local.set $pend (local.get $p1))
            (local.set $q (i32.add (local.get $b) (i32.mul (i32.shr_u (local.get $m) (i32.const 3)) (local.get $gs))))
            (local.set $s00 (v128.const i64x2 0 0))
            (local.set $s01 (v128.const i64x2 0 0))
            (local.set $s10 (v128.const i64x2 0 0))
            (local.set $s11 (v128.const i64x2 0 0))
            (local.set $s20 (v128.const i64x2 0 0))
            (local.set $s21 (v128.const i64x2 0 0))
            (local.set $s30 (v128.const i64x2 0 0))
            (local.set $s31 (v128.const i64x2 0 0))
            (loop $kloop
              (local.set $y0 (v128.load (local.get $q)))
              (local.set $y1 (v128.load offset=16 (local.get $q)))
              (local.set $x0 (v128.load32_splat (local.get $p0)))
              (local.set $x1 (v128.load32_splat (local.get $p1)))
              (local.set $x2 (v128.load32_splat (local.get $p2)))
              (local.set $x3 (v128.load32_splat (local.get $p3)))
              (local.set $s00 (i32x4.add (local.get $s00) (i32x4.dot_i16x8_s (local.get $x0) (local.get $y0))))
              (local.set $s01 (i32x4.add (local.get $s01) (i32x4.dot_i16x8_s (local.get $x0) (local.get $y1))))
              (local.set $s10 (i32x4.add (local.get $s10) (i32x4.dot_i16x8_s (local.get $x1) (local.get $y0))))
              (local.set $s11 (i32x4.add (local.get $s11) (i32x4.dot_i16x8_s (local.get $x1) (local.get $y1))))
              (local.set $s20 (i32x4.add (local.get $s20) (i32x4.dot_i16x8_s (local.get $x2) (local.get $y0))))
              (local.set $s21 (i32x4.add (local.get $s21) (i32x4.dot_i16x8_s (local.get $x2) (local.get $y1))))
              (local.set $s30 (i32x4.add (local.get $s30) (i32x4.dot_i16x8_s (local.get $x3) (local.get $y0))))
              (local.set $s31 (i32x4.add (local.get $s31) (i32x4.dot_i16x8_s (local.get $x3) (local.get $y1))))
              (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
              (local.set $p1 (i32.add (local.get $p1) (i32.const 4)))
              (local.set $p2 (i32.add (local.get $p2) (i32.const 4)))
              (local.set $p3 (i32.add (local.get $p3) (i32.const 4)))
              (local.set $q (i32.add (local.get $q) (i32.const 32)))
              (br_if $kloop (i32.lt_u (local.get $p0) (local.get $pend))))
            (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ldc)) (local.get $m)) (i32.const 2))))
            (v128.store offset=0 (local.get $pc) (local.get $s00))
            (v128.store offset=16 (local.get $pc) (local.get $s01))
            (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
            (v128.store offset=0 (local.get $pc) (local.get $s10))
            (v128.store offset=16 (local.get $pc) (local.get $s11))
            (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
            (v128.store offset=0 (local.get $pc) (local.get $s20))
            (v128.store offset=16 (local.get $pc) (local.get $s21))
            (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
            (v128.store offset=0 (local.get $pc) (local.get $s30))
            (v128.store offset=16 (local.get $pc) (local.get $s31))
            (local.set $m (i32.add (local.get $m) (i32.const 8)))
            (br $mloop)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rloop))))
  ;; Fixed-point requantization, exactly as kernels/requantize.ts (fixed plan, deterministic modes):
  ;; y = clamp(round(acc · m_c / 2^s_c) + zy, lo, hi) for n accumulator values (f64 at src, channel =
  ;; index mod channels when perChannel), m_c < 2^31 and 0 ≤ s_c ≤ 62 (int32 arrays at mults, shifts).
  ;; The product is exact in i64 for |acc| < 2^32. mode: 0 floor, 1 half away from zero, 2 half to
  ;; even. Writes int32 results to dst; returns the clipped count (low clips count only when lowClips
  ;; is 1), or −1 as soon as a value has |acc| ≥ 2^32 (the caller then uses the TypeScript kernel).
  (func $requant (export "requant_fixed")
    (param $src i32) (param $n i32) (param $channels i32) (param $perChannel i32) (param $mults i32) (param $shifts i32)
    (param $mode i32) (param $zy i32) (param $lo i32) (param $hi i32) (param $lowClips i32) (param $dst i32)
    (result i32)
    (local $i i32) (local $c i32) (local $v f64) (local $p i64) (local $q i64) (local $r i64) (local $s i64)
    (local $d i64) (local $y i64) (local $clipped i32) (local $tie i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (f64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.ge (f64.abs (local.get $v)) (f64.const 4294967296)) (then (return (i32.const -1))))
        (local.set $s (i64.extend_i32_u (i32.load (i32.add (local.get $shifts) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $p (i64.mul (i64.trunc_f64_s (local.get $v))
          (i64.extend_i32_u (i32.load (i32.add (local.get $mults) (i32.shl (local.get $c) (i32.const 2)))))))
        (local.set $q (i64.shr_s (local.get $p) (local.get $s)))
        (if (local.get $mode)
          (then
            (local.set $r (i64.sub (local.get $p) (i64.shl (local.get $q) (local.get $s))))
            (if (i64.ne (local.get $r) (i64.const 0))
              (then
                (local.set $d (i64.shl (i64.const 1) (local.get $s)))
                (local.set $r (i64.shl (local.get $r) (i64.const 1)))
                (if (i64.gt_u (local.get $r) (local.get $d))
                  (then (local.set $q (i64.add (local.get $q) (i64.const 1))))
                  (else
                    (if (i64.eq (local.get $r) (local.get $d))
                      (then
                        (local.set $tie (if (result i32) (i32.eq (local.get $mode) (i32.const 1))
                          (then (i64.ge_s (local.get $q) (i64.const 0)))
                          (else (i32.wrap_i64 (i64.and (local.get $q) (i64.const 1))))))
                        (if (local.get $tie) (then (local.set $q (i64.add (local.get $q) (i64.const 1)))))))))))))
        (local.set $y (i64.add (local.get $q) (i64.extend_i32_s (local.get $zy))))
        (if (i64.lt_s (local.get $y) (i64.extend_i32_s (local.get $lo)))
          (then (local.set $y (i64.extend_i32_s (local.get $lo))) (local.set $clipped (i32.add (local.get $clipped) (local.get $lowClips))))
          (else (if (i64.gt_s (local.get $y) (i64.extend_i32_s (local.get $hi)))
            (then (local.set $y (i64.extend_i32_s (local.get $hi))) (local.set $clipped (i32.add (local.get $clipped) (i32.const 1)))))))
        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))) (i32.wrap_i64 (local.get $y)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (local.get $perChannel)
          (then
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (if (i32.eq (local.get $c) (local.get $channels)) (then (local.set $c (i32.const 0))))))
        (br $l)))
    (local.get $clipped))
  ;; Max pooling on NHWC int32 codes, exactly as kernels/pool2d.ts maxPool2d: each output pixel starts
  ;; at lo (the format's minimum, which is also what a window wholly in the padding gives) and takes the
  ;; lane-wise signed max (i32x4.max_s, 4 channels at a time, scalar tail) over the window's taps inside
  ;; the input; padded taps are skipped. x at $x, [N,oh,ow,C] results to $dst. Returns the number of
  ;; valid taps summed over output pixels (the caller multiplies by C for Work.elementOps).
  (func $maxpool (export "max_pool")
    (param $x i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $dh i32) (param $dw i32)
    (param $oh i32) (param $ow i32) (param $lo i32) (param $dst i32)
    (result i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32) (local $iy i32) (local $ix i32)
    (local $po i32) (local $ps i32) (local $c i32) (local $C4 i32) (local $taps i32) (local $vlo v128) (local $a i32) (local $b i32)
    (local.set $vlo (i32x4.splat (local.get $lo)))
    (local.set $C4 (i32.and (local.get $C) (i32.const -4)))
    (local.set $po (local.get $dst))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $oy (i32.const 0))
      (block $yd (loop $yl
        (br_if $yd (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $ox (i32.const 0))
        (block $xd (loop $xl
          (br_if $xd (i32.ge_s (local.get $ox) (local.get $ow)))
          ;; fill the output pixel with lo
          (local.set $c (i32.const 0))
          (block $fd (loop $fl
            (br_if $fd (i32.ge_s (local.get $c) (local.get $C4)))
            (v128.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))) (local.get $vlo))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $fl)))
          (block $td (loop $tl
            (br_if $td (i32.ge_s (local.get $c) (local.get $C)))
            (i32.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))) (local.get $lo))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tl)))
          (local.set $ky (i32.const 0))
          (block $kyd (loop $kyl
            (br_if $kyd (i32.ge_s (local.get $ky) (local.get $kh)))
            (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $pt)) (i32.mul (local.get $ky) (local.get $dh))))
            (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $H)))
              (then
                (local.set $kx (i32.const 0))
                (block $kxd (loop $kxl
                  (br_if $kxd (i32.ge_s (local.get $kx) (local.get $kw)))
                  (local.set $ix (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pl)) (i32.mul (local.get $kx) (local.get $dw))))
                  (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $W)))
                    (then
                      (local.set $taps (i32.add (local.get $taps) (i32.const 1)))
                      (local.set $ps (i32.add (local.get $x) (i32.shl
                        (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $iy)) (local.get $W)) (local.get $ix)) (local.get $C))
                        (i32.const 2))))
                      (local.set $c (i32.const 0))
                      (block $md (loop $ml
                        (br_if $md (i32.ge_s (local.get $c) (local.get $C4)))
                        (v128.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2)))
                          (i32x4.max_s (v128.load (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))))
                                       (v128.load (i32.add (local.get $ps) (i32.shl (local.get $c) (i32.const 2))))))
                        (local.set $c (i32.add (local.get $c) (i32.const 4)))
                        (br $ml)))
                      (block $sd (loop $sl
                        (br_if $sd (i32.ge_s (local.get $c) (local.get $C)))
                        (local.set $a (i32.load (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2)))))
                        (local.set $b (i32.load (i32.add (local.get $ps) (i32.shl (local.get $c) (i32.const 2)))))
                        (i32.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2)))
                          (select (local.get $b) (local.get $a) (i32.gt_s (local.get $b) (local.get $a))))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (br $sl)))))
                  (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                  (br $kxl)))))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kyl)))
          (local.set $po (i32.add (local.get $po) (i32.shl (local.get $C) (i32.const 2))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xl)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yl)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nl)))
    (local.get $taps))

  ;; Depthwise convolution sums, exactly the reference's Σ_taps (x − z_x)(w − z_w) per output channel
  ;; (kernels/depthwise-conv2d.ts), int16 × int16 → int32 (the glue, wasm/depthwise.ts, only calls this
  ;; when no partial sum can reach 2^31). x: centred int16 NHWC [N, H, W, Cp] in which slot oc already
  ;; holds the input channel of output channel oc (the glue expands channel multipliers); w: centred
  ;; int16 [KH·KW][Cp]; c: int32 [N·oh·ow][Cp]; Cp a multiple of 8, padding channels zero. taps: scratch
  ;; of KH·KW·8 bytes for one pixel's valid taps (byte address in x, byte address in w). Per pixel the
  ;; valid taps are gathered once, then 16 (and a tail of 8) channels at a time are summed over them
  ;; with i32x4.extmul_{low,high}_i16x8_s (exact: |product| ≤ 2^30). Padded taps are skipped, as in the
  ;; reference. Returns the valid taps summed over output pixels (×OC is the reference's MAC count).
  (func $depthwise (export "depthwise")
    (param $x i32) (param $w i32) (param $c i32) (param $taps i32)
    (param $N i32) (param $H i32) (param $W i32) (param $Cp i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $dh i32) (param $dw i32)
    (param $oh i32) (param $ow i32) (result i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32) (local $iy i32) (local $ix i32)
    (local $tp i32) (local $tend i32) (local $g i32) (local $cb i32) (local $g32 i32) (local $total i32) (local $pc i32)
    (local $px i32) (local $pw i32)
    (local $x0 v128) (local $w0 v128) (local $x1 v128) (local $w1 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    ;; bytes of one pixel's channels (int16), and the last offset where 16 channels still fit
    (local.set $cb (i32.shl (local.get $Cp) (i32.const 1)))
    (local.set $g32 (i32.sub (local.get $cb) (i32.const 32)))
    (local.set $pc (local.get $c))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $oy (i32.const 0))
      (block $yd (loop $yl
        (br_if $yd (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $ox (i32.const 0))
        (block $xd (loop $xl
          (br_if $xd (i32.ge_s (local.get $ox) (local.get $ow)))
          ;; the valid taps of this output pixel
          (local.set $tp (local.get $taps))
          (local.set $ky (i32.const 0))
          (block $kyd (loop $kyl
            (br_if $kyd (i32.ge_s (local.get $ky) (local.get $kh)))
            (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $pt)) (i32.mul (local.get $ky) (local.get $dh))))
            (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $H)))
              (then
                (local.set $kx (i32.const 0))
                (block $kxd (loop $kxl
                  (br_if $kxd (i32.ge_s (local.get $kx) (local.get $kw)))
                  (local.set $ix (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pl)) (i32.mul (local.get $kx) (local.get $dw))))
                  (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $W)))
                    (then
                      (i32.store (local.get $tp) (i32.add (local.get $x) (i32.mul
                        (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $iy)) (local.get $W)) (local.get $ix))
                        (local.get $cb))))
                      (i32.store offset=4 (local.get $tp) (i32.add (local.get $w) (i32.mul
                        (i32.add (i32.mul (local.get $ky) (local.get $kw)) (local.get $kx)) (local.get $cb))))
                      (local.set $tp (i32.add (local.get $tp) (i32.const 8)))))
                  (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                  (br $kxl)))))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kyl)))
          (local.set $tend (local.get $tp))
          (local.set $total (i32.add (local.get $total) (i32.shr_u (i32.sub (local.get $tend) (local.get $taps)) (i32.const 3))))
          ;; 16 channels at a time (4 accumulators)
          (local.set $g (i32.const 0))
          (block $gd (loop $gl
            (br_if $gd (i32.gt_s (local.get $g) (local.get $g32)))
            (local.set $a0 (v128.const i64x2 0 0))
            (local.set $a1 (v128.const i64x2 0 0))
            (local.set $a2 (v128.const i64x2 0 0))
            (local.set $a3 (v128.const i64x2 0 0))
            (local.set $tp (local.get $taps))
            (block $td (loop $tl
              (br_if $td (i32.ge_u (local.get $tp) (local.get $tend)))
              (local.set $px (i32.add (i32.load (local.get $tp)) (local.get $g)))
              (local.set $pw (i32.add (i32.load offset=4 (local.get $tp)) (local.get $g)))
              (local.set $x0 (v128.load (local.get $px)))
              (local.set $w0 (v128.load (local.get $pw)))
              (local.set $x1 (v128.load offset=16 (local.get $px)))
              (local.set $w1 (v128.load offset=16 (local.get $pw)))
              (local.set $a0 (i32x4.add (local.get $a0) (i32x4.extmul_low_i16x8_s (local.get $x0) (local.get $w0))))
              (local.set $a1 (i32x4.add (local.get $a1) (i32x4.extmul_high_i16x8_s (local.get $x0) (local.get $w0))))
              (local.set $a2 (i32x4.add (local.get $a2) (i32x4.extmul_low_i16x8_s (local.get $x1) (local.get $w1))))
              (local.set $a3 (i32x4.add (local.get $a3) (i32x4.extmul_high_i16x8_s (local.get $x1) (local.get $w1))))
              (local.set $tp (i32.add (local.get $tp) (i32.const 8)))
              (br $tl)))
            (v128.store offset=0 (local.get $pc) (local.get $a0))
            (v128.store offset=16 (local.get $pc) (local.get $a1))
            (v128.store offset=32 (local.get $pc) (local.get $a2))
            (v128.store offset=48 (local.get $pc) (local.get $a3))
            (local.set $pc (i32.add (local.get $pc) (i32.const 64)))
            (local.set $g (i32.add (local.get $g) (i32.const 32)))
            (br $gl)))
          ;; the last 8 channels when Cp is not a multiple of 16
          (if (i32.lt_s (local.get $g) (local.get $cb))
            (then
              (local.set $a0 (v128.const i64x2 0 0))
              (local.set $a1 (v128.const i64x2 0 0))
              (local.set $tp (local.get $taps))
              (block $ud (loop $ul
                (br_if $ud (i32.ge_u (local.get $tp) (local.get $tend)))
                (local.set $x0 (v128.load (i32.add (i32.load (local.get $tp)) (local.get $g))))
                (local.set $w0 (v128.load (i32.add (i32.load offset=4 (local.get $tp)) (local.get $g))))
                (local.set $a0 (i32x4.add (local.get $a0) (i32x4.extmul_low_i16x8_s (local.get $x0) (local.get $w0))))
                (local.set $a1 (i32x4.add (local.get $a1) (i32x4.extmul_high_i16x8_s (local.get $x0) (local.get $w0))))
                (local.set $tp (i32.add (local.get $tp) (i32.const 8)))
                (br $ul)))
              (v128.store offset=0 (local.get $pc) (local.get $a0))
              (v128.store offset=16 (local.get $pc) (local.get $a1))
              (local.set $pc (i32.add (local.get $pc) (i32.const 32)))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xl)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yl)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nl)))
    (local.get $total))

  ;; Convolution with one input channel (the first layer of image models), the same sums as im2col +
  ;; gemm_bc without the im2col: x is the centred int16 input with its padding materialised as zeros,
  ;; [N][Hp][Wp] (plus two zero int16 after the end), so every tap is a plain load. The KH·KW taps are
  ;; taken in T pairs (kx, kx+1) of adjacent columns (dilation 1 along x; an odd last tap is paired
  ;; with a zero weight); tab holds each pair's byte offset from a pixel's top-left corner. A pair is
  ;; broadcast (v128.load32_splat) against the interleaved weight pairs of 8 output channels (wq, the
  ;; layout of $interleave with K = 2T), so one i32x4.dot_i16x8_s adds 2 taps to 4 channels. Register
  ;; block: 4 output pixels × 8 channels. Output pixels p0 … p0+rows−1 (p = (n·oh + oy)·ow + ox) go to
  ;; rows 0 … of c (ldc int32 per row; rows padded to 4 are written with copies and must be ignored).
  (func $conv_c1 (export "conv_c1")
    (param $x i32) (param $wq i32) (param $tab i32) (param $T i32) (param $c i32) (param $ldc i32) (param $Mp i32)
    (param $p0 i32) (param $rows i32) (param $oh i32) (param $ow i32) (param $Hp i32) (param $Wp i32) (param $sh i32) (param $sw i32)
    (local $r i32) (local $i i32) (local $t i32) (local $n i32) (local $oy i32) (local $ox i32) (local $g i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $base i32) (local $off i32) (local $q i32) (local $pc i32) (local $cs i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $cs (i32.shl (local.get $ldc) (i32.const 2)))
    ;; (n, oy, ox) of pixel p0, then advanced one pixel at a time
    (local.set $t (i32.div_u (local.get $p0) (local.get $ow)))
    (local.set $ox (i32.sub (local.get $p0) (i32.mul (local.get $t) (local.get $ow))))
    (local.set $n (i32.div_u (local.get $t) (local.get $oh)))
    (local.set $oy (i32.sub (local.get $t) (i32.mul (local.get $n) (local.get $oh))))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      ;; top-left corners of the (up to) 4 pixels of this block; past `rows`, repeat the first
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (i32.const 4)))
        (if (i32.lt_u (i32.add (local.get $r) (local.get $i)) (local.get $rows))
          (then
            (local.set $base (i32.add (local.get $x) (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $Hp)) (i32.mul (local.get $oy) (local.get $sh))) (local.get $Wp))
                       (i32.mul (local.get $ox) (local.get $sw)))
              (i32.const 1))))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (if (i32.eq (local.get $ox) (local.get $ow))
              (then
                (local.set $ox (i32.const 0))
                (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
                (if (i32.eq (local.get $oy) (local.get $oh))
                  (then (local.set $oy (i32.const 0)) (local.set $n (i32.add (local.get $n) (i32.const 1))))))))
          (else (local.set $base (local.get $b0))))
        (if (i32.eqz (local.get $i)) (then (local.set $b0 (local.get $base))))
        (if (i32.eq (local.get $i) (i32.const 1)) (then (local.set $b1 (local.get $base))))
        (if (i32.eq (local.get $i) (i32.const 2)) (then (local.set $b2 (local.get $base))))
        (if (i32.eq (local.get $i) (i32.const 3)) (then (local.set $b3 (local.get $base))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $g (i32.const 0))
      (local.set $q (local.get $wq))
      (block $gdone (loop $gloop
        (br_if $gdone (i32.ge_u (local.get $g) (local.get $Mp)))
        (local.set $s00 (v128.const i64x2 0 0))
        (local.set $s01 (v128.const i64x2 0 0))
        (local.set $s10 (v128.const i64x2 0 0))
        (local.set $s11 (v128.const i64x2 0 0))
        (local.set $s20 (v128.const i64x2 0 0))
        (local.set $s21 (v128.const i64x2 0 0))
        (local.set $s30 (v128.const i64x2 0 0))
        (local.set $s31 (v128.const i64x2 0 0))
        (local.set $t (i32.const 0))
        (loop $tloop
          (local.set $off (i32.load (i32.add (local.get $tab) (i32.shl (local.get $t) (i32.const 2)))))
          (local.set $y0 (v128.load (local.get $q)))
          (local.set $y1 (v128.load offset=16 (local.get $q)))
          (local.set $x0 (v128.load32_splat (i32.add (local.get $b0) (local.get $off))))
          (local.set $x1 (v128.load32_splat (i32.add (local.get $b1) (local.get $off))))
          (local.set $x2 (v128.load32_splat (i32.add (local.get $b2) (local.get $off))))
          (local.set $x3 (v128.load32_splat (i32.add (local.get $b3) (local.get $off))))
          (local.set $s00 (i32x4.add (local.get $s00) (i32x4.dot_i16x8_s (local.get $x0) (local.get $y0))))
          (local.set $s01 (i32x4.add (local.get $s01) (i32x4.dot_i16x8_s (local.get $x0) (local.get $y1))))
          (local.set $s10 (i32x4.add (local.get $s10) (i32x4.dot_i16x8_s (local.get $x1) (local.get $y0))))
          (local.set $s11 (i32x4.add (local.get $s11) (i32x4.dot_i16x8_s (local.get $x1) (local.get $y1))))
          (local.set $s20 (i32x4.add (local.get $s20) (i32x4.dot_i16x8_s (local.get $x2) (local.get $y0))))
          (local.set $s21 (i32x4.add (local.get $s21) (i32x4.dot_i16x8_s (local.get $x2) (local.get $y1))))
          (local.set $s30 (i32x4.add (local.get $s30) (i32x4.dot_i16x8_s (local.get $x3) (local.get $y0))))
          (local.set $s31 (i32x4.add (local.get $s31) (i32x4.dot_i16x8_s (local.get $x3) (local.get $y1))))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $tloop (i32.lt_u (local.get $t) (local.get $T))))
        (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ldc)) (local.get $g)) (i32.const 2))))
        (v128.store offset=0 (local.get $pc) (local.get $s00))
        (v128.store offset=16 (local.get $pc) (local.get $s01))
        (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
        (v128.store offset=0 (local.get $pc) (local.get $s10))
        (v128.store offset=16 (local.get $pc) (local.get $s11))
        (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
        (v128.store offset=0 (local.get $pc) (local.get $s20))
        (v128.store offset=16 (local.get $pc) (local.get $s21))
        (local.set $pc (i32.add (local.get $pc) (local.get $cs)))
        (v128.store offset=0 (local.get $pc) (local.get $s30))
        (v128.store offset=16 (local.get $pc) (local.get $s31))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $gloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $rloop))))

  ;; Average pooling on NHWC int32 codes, exactly as kernels/pool2d.ts avgPool2d with a deterministic
  ;; rounding (mode 0 floor, 1 half away from zero, 2 half to even): per output pixel the codes of the
  ;; window's taps inside the input are summed per channel (i32x4.add, 4 channels at a time, scalar
  ;; tail; the glue guarantees |sum| < 2^31), taps outside the input but inside the padded input are
  ;; counted as padding; with includePad they add padded·zp and count. Then floor division by the count
  ;; (i32.div_s, corrected to the floor) and one rounding of the remainder, as roundFromFloor. sums:
  ;; scratch of C int32. Returns Σ over output pixels of (count + 1) (×C is the reference's element-op
  ;; count), or −1 as soon as a window has no tap to divide by (the caller then uses TypeScript).
  (func $avgpool (export "avg_pool")
    (param $x i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32) (param $pb i32) (param $pr i32) (param $dh i32) (param $dw i32)
    (param $oh i32) (param $ow i32) (param $zp i32) (param $includePad i32) (param $mode i32) (param $sums i32) (param $dst i32)
    (result i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32) (local $iy i32) (local $ix i32)
    (local $c i32) (local $C4 i32) (local $ps i32) (local $po i32) (local $count i32) (local $padded i32) (local $add i32)
    (local $total i32) (local $v i32) (local $q i32) (local $r i32) (local $up i32)
    (local.set $C4 (i32.and (local.get $C) (i32.const -4)))
    (local.set $po (local.get $dst))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $oy (i32.const 0))
      (block $yd (loop $yl
        (br_if $yd (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $ox (i32.const 0))
        (block $xd (loop $xl
          (br_if $xd (i32.ge_s (local.get $ox) (local.get $ow)))
          (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $C) (i32.const 2)))
          (local.set $count (i32.const 0))
          (local.set $padded (i32.const 0))
          (local.set $ky (i32.const 0))
          (block $kyd (loop $kyl
            (br_if $kyd (i32.ge_s (local.get $ky) (local.get $kh)))
            (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $pt)) (i32.mul (local.get $ky) (local.get $dh))))
            (local.set $kx (i32.const 0))
            (block $kxd (loop $kxl
              (br_if $kxd (i32.ge_s (local.get $kx) (local.get $kw)))
              (local.set $ix (i32.add (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pl)) (i32.mul (local.get $kx) (local.get $dw))))
              (if (i32.and
                    (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $H)))
                    (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $W))))
                (then
                  (local.set $count (i32.add (local.get $count) (i32.const 1)))
                  (local.set $ps (i32.add (local.get $x) (i32.shl
                    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $iy)) (local.get $W)) (local.get $ix)) (local.get $C))
                    (i32.const 2))))
                  (local.set $c (i32.const 0))
                  (block $md (loop $ml
                    (br_if $md (i32.ge_s (local.get $c) (local.get $C4)))
                    (v128.store (i32.add (local.get $sums) (i32.shl (local.get $c) (i32.const 2)))
                      (i32x4.add (v128.load (i32.add (local.get $sums) (i32.shl (local.get $c) (i32.const 2))))
                                 (v128.load (i32.add (local.get $ps) (i32.shl (local.get $c) (i32.const 2))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 4)))
                    (br $ml)))
                  (block $sd (loop $sl
                    (br_if $sd (i32.ge_s (local.get $c) (local.get $C)))
                    (i32.store (i32.add (local.get $sums) (i32.shl (local.get $c) (i32.const 2)))
                      (i32.add (i32.load (i32.add (local.get $sums) (i32.shl (local.get $c) (i32.const 2))))
                               (i32.load (i32.add (local.get $ps) (i32.shl (local.get $c) (i32.const 2))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $sl))))
                (else
                  ;; only taps inside the padded input count as padding (not those past it)
                  (if (i32.and
                        (i32.and (i32.ge_s (local.get $iy) (i32.sub (i32.const 0) (local.get $pt))) (i32.lt_s (local.get $iy) (i32.add (local.get $H) (local.get $pb))))
                        (i32.and (i32.ge_s (local.get $ix) (i32.sub (i32.const 0) (local.get $pl))) (i32.lt_s (local.get $ix) (i32.add (local.get $W) (local.get $pr)))))
                    (then (local.set $padded (i32.add (local.get $padded) (i32.const 1)))))))
              (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
              (br $kxl)))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kyl)))
          (local.set $add (i32.const 0))
          (if (local.get $includePad)
            (then
              (local.set $add (i32.mul (local.get $padded) (local.get $zp)))
              (local.set $count (i32.add (local.get $count) (local.get $padded)))))
          (if (i32.eqz (local.get $count)) (then (return (i32.const -1))))
          (local.set $total (i32.add (local.get $total) (i32.add (local.get $count) (i32.const 1))))
          (local.set $c (i32.const 0))
          (block $rd (loop $rl
            (br_if $rd (i32.ge_s (local.get $c) (local.get $C)))
            (local.set $v (i32.add (i32.load (i32.add (local.get $sums) (i32.shl (local.get $c) (i32.const 2)))) (local.get $add)))
            ;; floor division: truncating quotient, corrected when the remainder is negative
            (local.set $q (i32.div_s (local.get $v) (local.get $count)))
            (local.set $r (i32.sub (local.get $v) (i32.mul (local.get $q) (local.get $count))))
            (if (i32.lt_s (local.get $r) (i32.const 0))
              (then
                (local.set $q (i32.sub (local.get $q) (i32.const 1)))
                (local.set $r (i32.add (local.get $r) (local.get $count)))))
            (local.set $up (i32.const 0))
            (if (i32.and (i32.ne (local.get $mode) (i32.const 0)) (i32.ne (local.get $r) (i32.const 0)))
              (then
                (local.set $r (i32.shl (local.get $r) (i32.const 1)))
                (if (i32.gt_s (local.get $r) (local.get $count))
                  (then (local.set $up (i32.const 1)))
                  (else
                    (if (i32.eq (local.get $r) (local.get $count))
                      (then
                        (local.set $up (if (result i32) (i32.eq (local.get $mode) (i32.const 1))
                          (then (i32.ge_s (local.get $q) (i32.const 0)))
                          (else (i32.and (local.get $q) (i32.const 1)))))))))))
            (i32.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $q) (local.get $up)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $rl)))
          (local.set $po (i32.add (local.get $po) (i32.shl (local.get $C) (i32.const 2))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xl)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yl)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nl)))
    (local.get $total))
)
