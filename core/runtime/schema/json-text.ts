/**
 * Strings in JSON as Jackson writes them, which differs from JSON.stringify in two ways: control
 * characters without a short escape are written with upper-case hex (`\u001F`), and a character
 * beyond the Basic Multilingual Plane (an emoji) is written as its two escaped surrogates
 * (`\uD83D\uDE00`) instead of as UTF-8. Strings with nothing to escape (nearly all) are quoted as
 * they are; those with neither of the two go through JSON.stringify.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the control characters Jackson escapes in hex is this regex's job
const SPECIAL = /[\u0000-\u0007\u000b\u000e-\u001f\ud800-\udfff]/
/** Anything JSON.stringify would change, or SPECIAL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the control characters JSON text must escape is this regex's job
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/

const hex = (code: number) => `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`

export function jsonString(text: string): string {
  if (!ESCAPED.test(text)) return `"${text}"`
  if (!SPECIAL.test(text)) return JSON.stringify(text)
  let out = '"'
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if ((code < 0x20 && SPECIAL.test(text[index] as string)) || (code >= 0xd800 && code <= 0xdfff)) out += hex(code)
    else out += JSON.stringify(text[index]).slice(1, -1)
  }
  return `${out}"`
}
