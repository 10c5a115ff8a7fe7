/** Numbers as the overview prints them. */

export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${Math.round(perSecond / 1000)}k/s`
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`
  return `${perSecond.toFixed(1)}/s`
}

export function formatCount(count: number): string {
  return count.toLocaleString('en')
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`
}
