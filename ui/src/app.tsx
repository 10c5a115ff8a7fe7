/** The page: the overview, or the token form while the worker wants a token the page lacks. */
import { useState } from 'preact/hooks'
import { Overview } from './overview.tsx'
import { TokenForm } from './token-form.tsx'
import { storedToken, storeToken } from './token.ts'

export function App() {
  const [needsToken, setNeedsToken] = useState(false)
  const [session, setSession] = useState(0)
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
  return <Overview key={session} onUnauthorized={() => setNeedsToken(true)} />
}
