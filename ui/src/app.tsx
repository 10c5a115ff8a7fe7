/**
 * The page: the overview (`#/`), the create form (`#/new`), topics and groups (`#/topics`), one
 * topic's records (`#/topics/<name>`), or the token form while the worker wants a token the page
 * lacks. Routes live in the hash, so the worker serves one file for all.
 */
import { useEffect, useState } from 'preact/hooks'
import { CreateForm } from './create-form.tsx'
import { Overview } from './overview.tsx'
import { RecordBrowser } from './record-browser.tsx'
import { TokenForm } from './token-form.tsx'
import { storedToken, storeToken } from './token.ts'
import { TopicsPage } from './topics-page.tsx'

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
  const onUnauthorized = () => setNeedsToken(true)
  if (route === '#/new') return <CreateForm key={session} onCreated={() => (location.hash = '#/')} onUnauthorized={onUnauthorized} />
  if (route === '#/topics') return <TopicsPage key={session} onUnauthorized={onUnauthorized} />
  if (route.startsWith('#/topics/')) {
    const topic = decodeURIComponent(route.slice('#/topics/'.length))
    return <RecordBrowser key={`${session}/${topic}`} topic={topic} onUnauthorized={onUnauthorized} />
  }
  return <Overview key={session} onUnauthorized={onUnauthorized} />
}
