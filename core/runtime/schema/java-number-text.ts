/**
 * Floating-point numbers as Java's Double.toString and Float.toString write them, which is what
 * Kafka Connect's JsonConverter (through Jackson) puts in its bytes: `1.0` not `1`, `1.0E7` from ten
 * million up and below 0.001, and a float32 with the fewest digits that single out that float (a
 * PostgreSQL real 1.1 is `1.1`, not the double `1.100000023841858`). NaN and the infinities are not
 * numbers in JSON: Jackson writes them as the strings "NaN", "Infinity", "-Infinity".
 */

function javaText(value: number, digits: string, exponent: number): string {
  const sign = value < 0 || Object.is(value, -0) ? '-' : ''
  const magnitude = Math.abs(value)
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
      const fraction = digits.slice(exponent + 1)
      return `${sign}${whole}.${fraction === '' ? '0' : fraction}`
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exponent}`
}

/** The significant digits (no trailing zeros) and decimal exponent of `toExponential` text. */
function split(exponential: string): { digits: string; exponent: number } {
  const [mantissa = '', exponent = '0'] = exponential.replace(/^-/, '').split('e')
  const digits = mantissa.replace('.', '').replace(/0+$/, '')
  return { digits: digits === '' ? '0' : digits, exponent: Number(exponent) }
}

/** The JSON text of a float64, as Jackson writes a Java double. */
export function javaDoubleJson(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const { digits, exponent } = split(value.toExponential())
  return javaText(value, digits, exponent)
}

/** The JSON text of a float32, as Jackson writes a Java float: the shortest digits that read back as the same float. */
export function javaFloatJson(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"'
  const float = Math.fround(value)
  if (float === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  for (let precision = 1; precision <= 9; precision++) {
    const text = float.toExponential(precision - 1)
    if (Math.fround(Number(text)) === float) {
      const { digits, exponent } = split(text)
      return javaText(float, digits, exponent)
    }
  }
  const { digits, exponent } = split(float.toExponential(8))
  return javaText(float, digits, exponent)
}
