/**
 * Prometheus metrics for connectors and tasks (prom-client), on the worker's own registry so two
 * workers in one process (tests) do not collide. `GET /metrics` serves the registry, with the
 * process's default metrics (process_*, nodejs_*) beside Tributary's own.
 */
import v8 from 'node:v8'
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import type { ConnectorState } from './status-store.ts'

const STATES: readonly ConnectorState[] = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING']

export interface TaskMetrics {
  recordsPolled(count: number): void
  recordsWritten(count: number, bytes: number): void
  recordsFiltered(count: number): void
  recordErrors(count: number): void
  recordsPut(count: number): void
  lag(topic: string, partition: number, records: number): void
}

/** A connector's counters summed over its tasks (and its lag over partitions), as JSON for the dashboard. */
export interface ConnectorTotals {
  source_records_polled: number
  source_records_written: number
  sink_records_put: number
  records_filtered: number
  record_errors: number
  sink_lag_records: number
}

export class WorkerMetrics {
  readonly registry = new Registry()
  private readonly polled: Counter<'connector' | 'task'>
  private readonly written: Counter<'connector' | 'task'>
  private readonly bytesWritten: Counter<'connector' | 'task'>
  private readonly filtered: Counter<'connector' | 'task'>
  private readonly errors: Counter<'connector' | 'task'>
  private readonly put: Counter<'connector' | 'task'>
  private readonly lagGauge: Gauge<'connector' | 'topic' | 'partition'>
  private readonly taskState: Gauge<'connector' | 'task' | 'state'>
  private readonly taskDetail: Gauge<'connector' | 'task' | 'name'>

  constructor() {
    // The process's own: memory (RSS, heap, external), CPU, event-loop delay, GC pauses.
    collectDefaultMetrics({ register: this.registry })
    const registers = [this.registry]
    new Gauge({
      name: 'tributary_worker_heap_limit_bytes',
      help: 'The JS heap the worker may use (--heap-max-mb plus the young generation); compare with nodejs_heap_size_used_bytes',
      registers,
      collect() {
        this.set(v8.getHeapStatistics().heap_size_limit)
      },
    })
    const labelNames = ['connector', 'task'] as const
    this.polled = new Counter({
      name: 'tributary_source_records_polled_total',
      help: 'Records returned by source tasks',
      labelNames,
      registers,
    })
    this.written = new Counter({
      name: 'tributary_source_records_written_total',
      help: 'Records sources appended to the log',
      labelNames,
      registers,
    })
    this.bytesWritten = new Counter({
      name: 'tributary_source_bytes_written_total',
      help: 'Value bytes sources appended to the log',
      labelNames,
      registers,
    })
    this.filtered = new Counter({ name: 'tributary_records_filtered_total', help: 'Records dropped by transforms', labelNames, registers })
    this.errors = new Counter({
      name: 'tributary_record_errors_total',
      help: 'Records that failed a transform, converter or sink',
      labelNames,
      registers,
    })
    this.put = new Counter({
      name: 'tributary_sink_records_put_total',
      help: 'Records handed to sink tasks and flushed',
      labelNames,
      registers,
    })
    this.lagGauge = new Gauge({
      name: 'tributary_sink_lag_records',
      help: 'Records between a sink group position and the log end',
      labelNames: ['connector', 'topic', 'partition'],
      registers,
    })
    this.taskDetail = new Gauge({
      name: 'tributary_task_detail',
      help: 'Numbers a task reports about its progress (snapshot rows, WAL retained)',
      labelNames: ['connector', 'task', 'name'],
      registers,
    })
    this.taskState = new Gauge({
      name: 'tributary_task_state',
      help: '1 for the state a task is in, 0 for the others',
      labelNames: ['connector', 'task', 'state'],
      registers,
    })
  }

  forTask(connector: string, taskId: number): TaskMetrics {
    const labels = { connector, task: String(taskId) }
    return {
      recordsPolled: (count) => this.polled.inc(labels, count),
      recordsWritten: (count, bytes) => {
        this.written.inc(labels, count)
        this.bytesWritten.inc(labels, bytes)
      },
      recordsFiltered: (count) => this.filtered.inc(labels, count),
      recordErrors: (count) => this.errors.inc(labels, count),
      recordsPut: (count) => this.put.inc(labels, count),
      lag: (topic, partition, records) => this.lagGauge.set({ connector, topic, partition: String(partition) }, records),
    }
  }

  taskDetails(connector: string, taskId: number, details: Readonly<Record<string, unknown>>): void {
    for (const [name, value] of Object.entries(details)) {
      if (typeof value === 'number' && Number.isFinite(value)) this.taskDetail.set({ connector, task: String(taskId), name }, value)
    }
  }

  /** Sums per connector; the dashboard turns two readings into rates, so no Prometheus parser runs in the page. */
  async connectorTotals(): Promise<Record<string, ConnectorTotals>> {
    const totals: Record<string, ConnectorTotals> = {}
    const sources: ReadonlyArray<[keyof ConnectorTotals, Counter<'connector' | 'task'> | Gauge<'connector' | 'topic' | 'partition'>]> = [
      ['source_records_polled', this.polled],
      ['source_records_written', this.written],
      ['sink_records_put', this.put],
      ['records_filtered', this.filtered],
      ['record_errors', this.errors],
      ['sink_lag_records', this.lagGauge],
    ]
    for (const [key, metric] of sources) {
      for (const { labels, value } of (await metric.get()).values) {
        const connector = labels.connector
        if (typeof connector !== 'string') continue
        totals[connector] ??= {
          source_records_polled: 0,
          source_records_written: 0,
          sink_records_put: 0,
          records_filtered: 0,
          record_errors: 0,
          sink_lag_records: 0,
        }
        totals[connector][key] += value
      }
    }
    return totals
  }

  taskStateChanged(connector: string, taskId: number, state: ConnectorState): void {
    for (const candidate of STATES) this.taskState.set({ connector, task: String(taskId), state: candidate }, candidate === state ? 1 : 0)
  }
}
