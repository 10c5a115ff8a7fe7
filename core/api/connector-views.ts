/**
 * How a connector is shown by every connector route: its config with secrets redacted, its status
 * with traces masked. One place, so no route shows what another hides.
 */
import type { ConnectorInfo, ConnectorStatus, Herder } from '../runtime/herder.ts'
import { maskConfig, maskDeep } from '../secrets.ts'

export function shownInfo(info: ConnectorInfo): ConnectorInfo {
  return { ...info, config: maskConfig(info.config) }
}

/** Traces are masked where they are made; this also covers ones stored by an older worker. */
export function shownStatus(herder: Herder, name: string): ConnectorStatus {
  return maskDeep(herder.status(name)) as ConnectorStatus
}
