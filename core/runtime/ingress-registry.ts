/**
 * Webhook sources register here; the REST API's `POST /ingest/<connector>` dispatches to them,
 * spreading requests over a connector's tasks in turn.
 */
import type { Ingress, IngressHandler, IngressOptions } from './plugin.ts'

interface Registration {
  readonly handler: IngressHandler
  readonly options: IngressOptions
}

export class IngressRegistry {
  private readonly byConnector = new Map<string, Registration[]>()
  private turn = 0

  forConnector(connector: string): Ingress {
    return {
      register: (handler, options) => {
        const registration = { handler, options }
        this.byConnector.set(connector, [...(this.byConnector.get(connector) ?? []), registration])
        return () => {
          const left = (this.byConnector.get(connector) ?? []).filter((entry) => entry !== registration)
          if (left.length === 0) this.byConnector.delete(connector)
          else this.byConnector.set(connector, left)
        }
      },
    }
  }

  /** The next handler for a connector, or undefined when none of its tasks is taking requests. */
  next(connector: string): Registration | undefined {
    const registrations = this.byConnector.get(connector)
    if (registrations === undefined || registrations.length === 0) return undefined
    this.turn = (this.turn + 1) % 1_000_000
    return registrations[this.turn % registrations.length]
  }
}
