/**
 * A rate history as a small SVG line. Hand-drawn on purpose: one polyline, where a charting library
 * would weigh more than the rest of the page.
 */
import { formatRate } from './format.ts'
import { HISTORY_LENGTH } from './rates.ts'

const WIDTH = 120
const HEIGHT = 28

export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const newest = values.at(-1) ?? 0
  const top = Math.max(1, ...values)
  const step = WIDTH / (HISTORY_LENGTH - 1)
  const offset = (HISTORY_LENGTH - values.length) * step
  const points = values
    .map((value, i) => `${(offset + i * step).toFixed(1)},${(HEIGHT - 1 - (value / top) * (HEIGHT - 2)).toFixed(1)}`)
    .join(' ')
  return (
    <span class="rate">
      <svg class="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} aria-hidden="true">
        {values.length > 1 && <polyline points={points} />}
      </svg>
      <span class="rate-value" data-rate={newest}>
        {label} {formatRate(newest)}
      </span>
    </span>
  )
}
