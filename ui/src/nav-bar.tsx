/** The pages' header: the name, the links between pages (the current one marked), and what a page adds. */
import type { ComponentChildren } from 'preact'

const PAGES = [
  { href: '#/', label: 'Connectors' },
  { href: '#/topics', label: 'Topics' },
  { href: '#/new', label: 'New connector' },
] as const

export function NavBar({ current, children }: { current: string; children?: ComponentChildren }) {
  return (
    <header class="top">
      <h1>Tributary</h1>
      <nav aria-label="Pages" class="pages">
        {PAGES.map((page) => (
          <a key={page.href} href={page.href} aria-current={page.href === current ? 'page' : undefined}>
            {page.label}
          </a>
        ))}
      </nav>
      {children}
    </header>
  )
}
