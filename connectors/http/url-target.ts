/**
 * The host and port a URL reaches, declared to the worker's sandbox under the key that holds it, so
 * `--connect-allowed-hosts` refuses it at validate and create time.
 */
export function urlTarget(key: string, url: string): { key: string; host: string; port: number } {
  const parsed = new URL(url)
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : parsed.protocol === 'http:' ? 80 : 0)
  return { key, host: parsed.hostname, port }
}
