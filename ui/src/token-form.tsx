/** Asks for the REST API's bearer token when the worker requires one (`--rest-auth-token`). */
import { useState } from 'preact/hooks'

export function TokenForm({ refused, onToken }: { refused: boolean; onToken: (token: string) => void }) {
  const [token, setToken] = useState('')
  return (
    <main class="narrow">
      <h1>Tributary</h1>
      <form
        class="token-form"
        onSubmit={(event) => {
          event.preventDefault()
          if (token.length > 0) onToken(token)
        }}
      >
        <label for="token">REST API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        {refused && (
          <p class="bad" role="alert">
            The worker refused the token.
          </p>
        )}
        <p class="muted">The worker was started with --rest-auth-token. The token stays in this tab only, until it closes.</p>
        <button type="submit" class="primary">
          Open the dashboard
        </button>
      </form>
    </main>
  )
}
