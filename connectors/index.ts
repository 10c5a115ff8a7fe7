/**
 * The built-in connector plugins, listed explicitly (nothing registers itself on import).
 * The connector runtime and the first plugins arrive with the runtime; the list is empty until then.
 */
export const builtinPlugins: readonly unknown[] = []
