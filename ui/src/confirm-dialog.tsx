/**
 * The confirmation step before an action: a modal <dialog>, so focus stays inside it, Escape
 * cancels and focus goes back to the button that opened it.
 */
import { useEffect, useRef } from 'preact/hooks'
import type { Action } from './actions.ts'

export function ConfirmDialog({ action, onConfirm, onCancel }: { action: Action | undefined; onConfirm: (action: Action) => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (element === null) return
    if (action !== undefined && !element.open) element.showModal()
    if (action === undefined && element.open) element.close()
  }, [action])
  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="confirm-question" onClose={onCancel}>
      <p id="confirm-question">{action?.question}</p>
      <form method="dialog" class="confirm-buttons">
        <button type="submit" value="cancel" autofocus>Cancel</button>
        <button
          type="button"
          class={action?.danger ? 'danger' : 'primary'}
          onClick={() => action !== undefined && onConfirm(action)}
        >
          {action?.label}
        </button>
      </form>
    </dialog>
  )
}
