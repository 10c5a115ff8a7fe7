/**
 * Strings in JSON as Jackson writes them, which differs from JSON.stringify in one way: control
 * characters without a short escape are written `\u001F`, with upper-case hex. Strings with nothing
 * to escape (nearly all) are quoted as they are; the others go through JSON.stringify.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0007\u000b\u000e-\u001f]/

/** What JSON.stringify would change: quotes, backslashes, control characters, surrogates (paired or lone). */
// eslint-disable-next-line no-control-regex
const SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/

export function jsonString(text: string): string {
  // Most strings hold none of those: quoted as they are, without JSON.stringify's copy.
  if (!SPECIAL.test(text)) return `"${text}"`
  const json = JSON.stringify(text)
  if (!CONTROL.test(text)) return json
  let out = '"'
  for (const char of text) {
    const code = char.charCodeAt(0)
    if (code < 0x20 && CONTROL.test(char)) out += `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`
    else out += JSON.stringify(char).slice(1, -1)
  }
  return `${out}"`
}
