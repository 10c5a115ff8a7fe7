/** The tests' own name for the plugin testing kit, which the package exports as `./testing`. */
export * from '../../core/testing/task-context.ts'
