/** Who is on the other end of one of the listener's connections, and where it reached the listener. */
export interface ConnectionInfo {
  readonly id: number
  readonly remoteAddress: string
  /** The address and port the client reached: what Metadata advertises back to it. */
  readonly localAddress: string
  readonly localPort: number
}
