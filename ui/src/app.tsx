/**
 * The page: the overview (`#/`) or the create form (`#/new`), or the token form while the worker
 * wants a token the page lacks. Routes live in the hash, so the worker serves one file for all.
 */
import { useEffect, useState } from 'preact/hooks'
import { CreateForm } from './create-form.tsx'
import { Overview } from './overview.tsx'
import { TokenForm } from './token-form.tsx'
import { storedToken, storeToken } from './token.ts'

export function App() {
  const [needsToken, setNeedsToken] = useState(false)
  const [session, setSession] = useState(0)
  const [route, setRoute] = useState(location.hash)
  useEffect(() => {
    const follow = () => setRoute(location.hash)
    addEventListener('hashchange', follow)
    return () => removeEventListener('hashchange', follow)
  }, [])

  if (needsToken) {
    return (
      <TokenForm
        refused={storedToken() !== null}
        onToken={(token) => {
          storeToken(token)
          setNeedsToken(false)
          setSession((count) => count + 1)
        }}
      />
    )
  }
  if (route === '#/new') return <CreateForm key={session} onCreated={() => (location.hash = '#/')} onUnauthorized={() => setNeedsToken(true)} />
  return <Overview key={session} onUnauthorized={() => setNeedsToken(true)} />
}
