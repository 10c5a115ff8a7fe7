/**
 * The confirmation step before an action: a modal <dialog>, so focus stays inside it, Escape
 * cancels and focus goes back to the button that opened it.
 */
import { useLayoutEffect, useRef } from 'preact/hooks'
import type { Action } from './actions.ts'

export function ConfirmDialog({
  action,
  onConfirm,
  onCancel,
}: {
  action: Action | undefined
  onConfirm: (action: Action) => void
  onCancel: () => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  // Opened or closed as the render commits, before any queued event runs: a close event still on its
  // way from the last cancel then finds the dialog open again, and leaves it be (onClose below).
  useLayoutEffect(() => {
    const element = dialog.current
    if (element === null) return
    if (action !== undefined && !element.open) element.showModal()
    if (action === undefined && element.open) element.close()
  }, [action])
  return (
    // The close event comes a task after the dialog closed: one that arrives once the dialog has
    // been opened again (a quick second Enter) must not cancel the new confirmation.
    <dialog ref={dialog} class="confirm" aria-labelledby="confirm-question" onClose={() => dialog.current?.open !== true && onCancel()}>
      <p id="confirm-question">{action?.question}</p>
      <form method="dialog" class="confirm-buttons">
        <button type="submit" value="cancel" autofocus>
          Cancel
        </button>
        <button type="button" class={action?.danger ? 'danger' : 'primary'} onClick={() => action !== undefined && onConfirm(action)}>
          {action?.label}
        </button>
      </form>
    </dialog>
  )
}
