import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { builtinPlugins } from '../../../../connectors/index.ts'
import { checkPlugin } from '../../../../core/runtime/check-plugin.ts'
import { loadPlugins } from '../../../../core/runtime/load-plugins.ts'
import { counterSourceModule, writeModule, ZOD_URL } from '../../../support/plugin-module.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
beforeEach(async () => {
  dir = await makeTempDir('tributary-plugins-')
})
afterEach(async () => {
  await dir.remove()
})

const refusal = (details: Record<string, unknown>) =>
  expect.objectContaining({ code: 'TRB_PLUGIN_INVALID', details: expect.objectContaining(details) })

describe('loadPlugins', () => {
  it('loads a module file, a package directory and a directory of them, each plugin once', async () => {
    const file = writeModule(dir.path, 'single/counter.mjs', counterSourceModule('counter-a'))
    writeModule(dir.path, 'folder/b.mjs', counterSourceModule('counter-b'))
    writeModule(dir.path, 'folder/README.md', 'not a module')
    writeModule(
      dir.path,
      'folder/pkg/package.json',
      JSON.stringify({
        name: 'pkg',
        type: 'module',
        exports: { '.': { types: './x.d.ts', require: './missing.cjs', import: './dist/index.js' } },
      }),
    )
    writeModule(dir.path, 'folder/pkg/dist/index.js', counterSourceModule('counter-c'))
    writeModule(dir.path, 'main-pkg/package.json', JSON.stringify({ name: 'main-pkg', type: 'module', main: 'entry.js' }))
    writeModule(dir.path, 'main-pkg/entry.js', `import one from './one.js'\nimport two from './two.js'\nexport default [one, two]\n`)
    writeModule(dir.path, 'main-pkg/one.js', counterSourceModule('counter-d'))
    writeModule(dir.path, 'main-pkg/two.js', counterSourceModule('counter-e'))

    const loaded = await loadPlugins([file, path.join(dir.path, 'folder'), path.join(dir.path, 'main-pkg'), file], builtinPlugins)
    expect(loaded.map((plugin) => plugin.name)).toEqual(['counter-a', 'counter-b', 'counter-c', 'counter-d', 'counter-e'])
    const parsed = loaded[0]?.config.parse({ topic: 't' })
    expect(parsed).toEqual({ topic: 't', count: 5 })
  })

  it('loads nothing without a path', async () => {
    expect(await loadPlugins([], builtinPlugins)).toEqual([])
  })

  it('refuses a name or alias a built-in plugin answers to, naming the file', async () => {
    const file = writeModule(dir.path, 'clash.mjs', counterSourceModule('file-source'))
    await expect(loadPlugins([file], builtinPlugins)).rejects.toThrow(refusal({ file, name: 'file-source' }))
    await expect(loadPlugins([file], builtinPlugins)).rejects.toThrow(/the built-in plugin file-source/)
    const alias = writeModule(dir.path, 'alias.mjs', counterSourceModule('mine', `aliases: ['FileStreamSourceConnector'],`))
    await expect(loadPlugins([alias], builtinPlugins)).rejects.toThrow(refusal({ file: alias, name: 'FileStreamSourceConnector' }))
  })

  it('refuses two loaded plugins of one name, naming both files', async () => {
    const first = writeModule(dir.path, 'a.mjs', counterSourceModule('twin'))
    const second = writeModule(dir.path, 'b.mjs', counterSourceModule('twin'))
    const failure = loadPlugins([first, second], builtinPlugins)
    await expect(failure).rejects.toThrow(refusal({ file: second, name: 'twin' }))
    await expect(loadPlugins([first, second], builtinPlugins)).rejects.toThrow(first)
  })

  it('refuses a module that is not a plugin, saying what is missing', async () => {
    const file = writeModule(
      dir.path,
      'half.mjs',
      `export default { kind: 'source', name: 'half', version: '1', description: 'x', config: { parse() {} }, taskConfigs: () => [] }\n`,
    )
    await expect(loadPlugins([file], builtinPlugins)).rejects.toThrow(
      refusal({ file, problems: ['config must be a zod schema', 'createTask must be a function'] }),
    )
    const none = writeModule(dir.path, 'named.mjs', `export const plugin = 1\n`)
    await expect(loadPlugins([none], builtinPlugins)).rejects.toThrow(/exports no plugin/)
    const broken = writeModule(dir.path, 'broken.mjs', `import { nothing } from ${JSON.stringify(ZOD_URL)}\nexport default nothing\n`)
    await expect(loadPlugins([broken], builtinPlugins)).rejects.toThrow(refusal({ file: broken }))
  })

  it('refuses a path that is missing, not a module, or a package without its entry', async () => {
    const missing = path.join(dir.path, 'nowhere.mjs')
    await expect(loadPlugins([missing], builtinPlugins)).rejects.toThrow(refusal({ file: missing }))
    const text = writeModule(dir.path, 'notes.txt', 'hello')
    await expect(loadPlugins([text], builtinPlugins)).rejects.toThrow(/is not a JavaScript module/)
    writeModule(dir.path, 'unbuilt/package.json', JSON.stringify({ name: 'unbuilt', main: 'dist/index.js' }))
    await expect(loadPlugins([path.join(dir.path, 'unbuilt')], builtinPlugins)).rejects.toThrow(/dist\/index.js, which does not exist/)
    writeModule(dir.path, 'escape/package.json', JSON.stringify({ name: 'escape', main: '../a.mjs' }))
    await expect(loadPlugins([path.join(dir.path, 'escape')], builtinPlugins)).rejects.toThrow(/outside its directory/)
  })
})

describe('checkPlugin', () => {
  it('takes every built-in plugin', () => {
    for (const plugin of builtinPlugins) expect(checkPlugin(plugin, 'built-in')).toBe(plugin)
  })

  it('lists every problem of a value that is not a plugin', () => {
    expect(() => checkPlugin(null, 'x.mjs')).toThrow(
      /x.mjs: the export is not a connector plugin: expected a plugin made with definePlugin, got null/,
    )
    expect(() => checkPlugin({ name: 'a b', kind: 'both', config: {}, onCreated: 'yes' }, 'x.mjs')).toThrow(
      refusal({
        problems: [
          'name must be letters, digits, ".", "_" or "-"',
          'kind must be "source" or "sink"',
          'version must be a string',
          'description must be a string',
          'config must be a zod schema',
          'taskConfigs must be a function',
          'createTask must be a function',
          'onCreated, when given, must be a function',
        ],
      }),
    )
  })
})
