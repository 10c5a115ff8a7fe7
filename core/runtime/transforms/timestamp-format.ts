/**
 * Timestamps as text in Java's SimpleDateFormat letters (yyyy MM dd HH mm ss SSS, 'quoted'
 * literals), read and written in UTC; ISO-8601 when no pattern is given.
 */

const TOKENS = /yyyy|MM|dd|HH|mm|ss|SSS|'[^']*'/g

export function formatDate(ms: number, pattern: string | undefined): string {
  const date = new Date(ms)
  if (pattern === undefined) return date.toISOString()
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const parts: Record<string, string> = {
    yyyy: pad(date.getUTCFullYear(), 4),
    MM: pad(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
    SSS: pad(date.getUTCMilliseconds(), 3),
  }
  return pattern.replace(TOKENS, (token) => (token.startsWith("'") ? token.slice(1, -1) : (parts[token] ?? token)))
}

export function parseDate(text: string, pattern: string | undefined): number {
  if (pattern === undefined) {
    const ms = Date.parse(text)
    if (Number.isNaN(ms)) throw new Error(`"${text}" is not an ISO-8601 timestamp`)
    return ms
  }
  const fields: string[] = []
  const regex = new RegExp(
    `^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(TOKENS, (token) => {
      if (token.startsWith("'")) return token.slice(1, -1)
      fields.push(token)
      return `(\\d{${token.length}})`
    })}$`,
  )
  const match = regex.exec(text)
  if (!match) throw new Error(`"${text}" does not match the format ${pattern}`)
  const value = (token: string, fallback: number) => {
    const index = fields.indexOf(token)
    return index < 0 ? fallback : Number(match[index + 1])
  }
  return Date.UTC(value('yyyy', 1970), value('MM', 1) - 1, value('dd', 1), value('HH', 0), value('mm', 0), value('ss', 0), value('SSS', 0))
}
