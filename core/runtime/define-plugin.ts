/**
 * The one way to declare a connector plugin. The config type C is inferred from the plugin's zod
 * schema and flows into taskConfigs, createTask's context, the lifecycle hooks and targets, so a
 * plugin is checked against its own config; what comes back is also a ConnectorPlugin, the form the
 * runtime holds every plugin in, so the runtime never casts.
 *
 * ```ts
 * export default definePlugin({
 *   kind: 'source', name: 'counter-source', version: '1.0.0', description: 'Counts',
 *   config: z.object({ topic: z.string().describe('Where the numbers go') }),
 *   taskConfigs: (config) => [config],
 *   createTask: (context) => new CounterTask(context), // context.config.topic is a string
 * })
 * ```
 */
import type { ConnectorPlugin, SinkPlugin, SourcePlugin } from './plugin.ts'

/** A source plugin typed by its config (for its own tests) that the runtime takes as it is. */
export type DefinedSourcePlugin<C> = SourcePlugin<C> & SourcePlugin
/** A sink plugin typed by its config (for its own tests) that the runtime takes as it is. */
export type DefinedSinkPlugin<C> = SinkPlugin<C> & SinkPlugin

export function definePlugin<C>(plugin: SourcePlugin<C>): DefinedSourcePlugin<C>
export function definePlugin<C>(plugin: SinkPlugin<C>): DefinedSinkPlugin<C>
export function definePlugin<C>(plugin: SourcePlugin<C> | SinkPlugin<C>): ConnectorPlugin {
  // The only place a config type is erased. A plugin's functions take C, and the erased form says
  // they take anything; that is sound because the runtime calls them only with what this plugin's
  // own `config.parse` returned (taskConfigs, onCreated, onDeleted, targets) or with one of the task
  // configs taskConfigs returned (createTask's context.config), all of which are C. TypeScript
  // cannot say "some C" (an existential type), hence the cast.
  return plugin as unknown as ConnectorPlugin
}
