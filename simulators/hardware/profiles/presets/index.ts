// One line per preset profile (a JSON file in this folder); library.ts parses them.
import adiMax78000 from './adi-max78000.json' with { type: 'json' }
import alifE7He from './alif-e7-he.json' with { type: 'json' }
import alifE7Hp from './alif-e7-hp.json' with { type: 'json' }
import esp32S3 from './esp32-s3.json' with { type: 'json' }
import genericDsp128 from './generic-dsp-128.json' with { type: 'json' }
import genericMcuM4256k from './generic-mcu-m4-256k.json' with { type: 'json' }
import genericNpu16x16 from './generic-npu-16x16.json' with { type: 'json' }
import greenwavesGap9 from './greenwaves-gap9.json' with { type: 'json' }
import nrf52840 from './nrf52840.json' with { type: 'json' }
import nxpImx93 from './nxp-imx93.json' with { type: 'json' }
import nxpRt685Hifi4 from './nxp-rt685-hifi4.json' with { type: 'json' }
import qualcommHexagonHvx from './qualcomm-hexagon-hvx.json' with { type: 'json' }
import renesasRa8d1 from './renesas-ra8d1.json' with { type: 'json' }
import rp2040 from './rp2040.json' with { type: 'json' }
import stm32f746 from './stm32f746.json' with { type: 'json' }
import stm32l4r5 from './stm32l4r5.json' with { type: 'json' }
import syntiantNdp120 from './syntiant-ndp120.json' with { type: 'json' }

export const PRESET_FILES: readonly unknown[] = [
  adiMax78000,
  alifE7He,
  alifE7Hp,
  esp32S3,
  genericDsp128,
  genericMcuM4256k,
  genericNpu16x16,
  greenwavesGap9,
  nrf52840,
  nxpImx93,
  nxpRt685Hifi4,
  qualcommHexagonHvx,
  renesasRa8d1,
  rp2040,
  stm32f746,
  stm32l4r5,
  syntiantNdp120,
]
