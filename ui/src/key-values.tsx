/** Name–value pairs (a task's details, a record's headers) as a compact description list. */
export function KeyValues({ entries }: { entries: ReadonlyArray<readonly [string, string | number | boolean | null]> }) {
  if (entries.length === 0) return null
  return (
    <dl class="details">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{String(value)}</dd>
        </div>
      ))}
    </dl>
  )
}
