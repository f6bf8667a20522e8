// Writes examples/tte/mbv2-w0.35-nomix-128.json: MobileNetV2 width 0.35 without the 1×1 feature-mix
// layer ("mcu-mbv2-w0.35-nomix" of the tiny-training repository), 128×128 RGB input, 10 classes — the
// model and resolution of TTE's compilation script (compilation/mcu_ir_gen.py: rs = 128, num_classes = 10).
// Widths follow make_divisible(c · 0.35, 8) of algorithm/core/ofa_nn/networks/mobilenet_v2.py; BatchNorm
// folded (every conv has a bias); ReLU6; residuals only for stride-1 blocks with equal widths and t > 1.
// Run: node scripts/tte-mbv2-model.mjs
import { writeFileSync } from 'node:fs'

const makeDivisible = (v, d = 8) => {
  let n = Math.max(d, Math.floor((v + d / 2) / d) * d)
  if (n < 0.9 * v) n += d
  return n
}
const width = 0.35
const pad1 = [1, 1, 1, 1]
const layers = [{ type: 'conv2d', filters: makeDivisible(32 * width), kernel: [3, 3], stride: [2, 2], padding: pad1, activation: 'relu6', id: 'stem' }]
let input = makeDivisible(32 * width)
let last = 'stem'
let block = 0
for (const [t, c, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]) {
  const out = makeDivisible(c * width)
  for (let i = 0; i < n; i++) {
    const stride = i === 0 ? s : 1
    block++
    if (t > 1) layers.push({ type: 'conv2d', filters: input * t, kernel: [1, 1], activation: 'relu6' })
    layers.push({ type: 'depthwiseConv2d', kernel: [3, 3], stride: [stride, stride], padding: pad1, activation: 'relu6' })
    const id = `b${block}`
    layers.push({ type: 'conv2d', filters: out, kernel: [1, 1], id })
    if (t > 1 && stride === 1 && input === out) layers.push({ type: 'add', from: last, id: `${id}add` })
    last = layers[layers.length - 1].id
    input = out
  }
}
layers.push({ type: 'globalAvgPool2d' }, { type: 'dense', units: 10 })
const spec = {
  schemaVersion: 1,
  name: 'mbv2-w0.35-nomix-128',
  description: 'MobileNetV2-w0.35 without the feature-mix layer at 128×128, 10 classes: the model of TTE\'s memory measurements (Lin et al., NeurIPS 2022). Written by scripts/tte-mbv2-model.mjs.',
  source: 'mit-han-lab/tiny-training: algorithm/core/ofa_nn/networks/mobilenet_v2.py (widths, blocks), algorithm/core/utils/partial_backward.py (net_name mcu-mbv2-w0.35-nomix-in-150e), compilation/mcu_ir_gen.py (128×128 input, 10 classes)',
  task: 'classification',
  input: { shape: [128, 128, 3] },
  layers,
}
writeFileSync(new URL('../examples/tte/mbv2-w0.35-nomix-128.json', import.meta.url), JSON.stringify(spec, null, 1) + '\n')
const convs = layers.filter((l) => l.type === 'conv2d' || l.type === 'depthwiseConv2d').length
process.stdout.write(`wrote ${layers.length} layers, ${convs} convs\n`)
