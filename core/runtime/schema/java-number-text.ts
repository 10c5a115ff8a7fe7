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

/**
 * Java prints at least two significant digits (`d.d`): when one digit would single out the value,
 * the second is the one that brings the text closest to it (Double.MIN_VALUE is `4.9E-324`, not
 * `5.0E-324`), as Double.toString's specification says since Java 19.
 */
function atLeastTwoDigits(value: number, shortest: string, reads: (text: string) => boolean): string {
  if (split(shortest).digits.length > 1) return shortest
  const two = evenOnTie(value, value.toExponential(1))
  return reads(two) ? two : shortest
}

const bits = new DataView(new ArrayBuffer(8))

/** Whether `value` is exactly digits × 10^exponent (compared as integers, not as doubles). */
function exactlyEquals(value: number, digits: bigint, exponent: number): boolean {
  bits.setFloat64(0, Math.abs(value))
  const high = bits.getUint32(0)
  const biased = (high >>> 20) & 0x7ff
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(bits.getUint32(4))
  if (biased !== 0) mantissa |= 1n << 52n
  const binary = (biased === 0 ? 1 : biased) - 1075
  const left = digits * (exponent >= 0 ? 10n ** BigInt(exponent) : 1n) * (binary < 0 ? 2n ** BigInt(-binary) : 1n)
  const right = mantissa * (binary >= 0 ? 2n ** BigInt(binary) : 1n) * (exponent < 0 ? 10n ** BigInt(-exponent) : 1n)
  return left === right
}

/**
 * `toExponential` breaks a tie between two equally close texts by taking the larger; Java takes the
 * one whose last digit is even (-4038947.25 as a float is `-4038947.2` in Java).
 */
function evenOnTie(value: number, text: string): string {
  const [mantissa = '', exponentText = '0'] = text.replace(/^-/, '').split('e')
  const digits = mantissa.replace('.', '')
  const last = Number(digits[digits.length - 1])
  if (last % 2 === 0) return text
  const exponent = Number(exponentText) - (digits.length - 1)
  // The midpoint below: (n - 0.5) × 10^exponent = (10n - 5) × 10^(exponent - 1).
  const middle = BigInt(digits) * 10n - 5n
  if (Number(`${middle}e${exponent - 1}`) !== Math.abs(value) || !exactlyEquals(value, middle, exponent - 1)) return text
  const lower = (BigInt(digits) - 1n).toString()
  const sign = text.startsWith('-') ? '-' : ''
  return `${sign}${lower[0]}${lower.length > 1 ? `.${lower.slice(1)}` : ''}e${Number(exponentText) >= 0 ? '+' : ''}${exponentText.replace(/^\+/, '')}`
}

/** The JSON text of a float64, as Jackson writes a Java double (Java 19 and later: the shortest digits). */
export function javaDoubleJson(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const { digits, exponent } = split(atLeastTwoDigits(value, value.toExponential(), (text) => Number(text) === value))
  return javaText(value, digits, exponent)
}

/** The JSON text of a float32, as Jackson writes a Java float: the shortest digits that read back as the same float. */
export function javaFloatJson(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"'
  const float = Math.fround(value)
  if (float === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  for (let precision = 1; precision <= 9; precision++) {
    const text = evenOnTie(float, float.toExponential(precision - 1))
    if (Math.fround(Number(text)) === float) {
      const { digits, exponent } = split(atLeastTwoDigits(float, text, (two) => Math.fround(Number(two)) === float))
      return javaText(float, digits, exponent)
    }
  }
  const { digits, exponent } = split(float.toExponential(8))
  return javaText(float, digits, exponent)
}
