import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { notificationTypes } from './events.ts'
import { templateContext } from './template-context.ts'
import {
  compileTemplate,
  loadTemplates,
  renderTemplate,
  TemplateError,
  templateParts,
} from './templates.ts'
import { matched } from './test-support.ts'

const context = templateContext(
  matched('s-1', {
    call: { external: { phoneNumber: '+14155550100', name: `<i>O'Hara & "Sons"</i>` } },
  }),
  'missed',
  { id: '42', contact: { name: 'Ada Owner' } },
  'Europe/Berlin',
)

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'templates-'))
  dirs.push(dir)
  return dir
}

describe('notification templates', () => {
  it('HTML-escapes values in HTML, escapes & < > in chat, and leaves text and SMS as they are', () => {
    const template = compileTemplate('{{call.external.name}}', 'test')
    expect(renderTemplate(template, context, 'html')).toBe(
      '&lt;i&gt;O&#39;Hara &amp; &quot;Sons&quot;&lt;/i&gt;',
    )
    expect(renderTemplate(template, context, 'chat')).toBe(`&lt;i&gt;O'Hara &amp; "Sons"&lt;/i&gt;`)
    expect(renderTemplate(template, context, 'text')).toBe(`<i>O'Hara & "Sons"</i>`)
    expect(renderTemplate(template, context, 'sms')).toBe(`<i>O'Hara & "Sons"</i>`)
  })

  it('keeps a subject on one line and allows spaces inside the braces', () => {
    const template = compileTemplate('Call from\n{{ call.external.phoneNumber }}\n', 'test')
    expect(renderTemplate(template, context, 'subject')).toBe('Call from +14155550100')
  })

  it('formats the call time in the configured time zone', () => {
    expect(context['call.startedAt']).toBe('2026-03-02 11:15 GMT+1')
    expect(context['owner.display']).toBe('Ada Owner')
  })

  it('refuses an unknown placeholder, naming the file and the line', () => {
    expect(() => compileTemplate('Hello\n{{call.caller}}', 'missed/body.txt')).toThrow(
      new TemplateError(
        'missed/body.txt:2: unknown placeholder {{call.caller}}; see the list in consumers/notifier/README.md',
      ),
    )
  })

  it('refuses braces that are not a placeholder, e.g. an expression or a prototype path', () => {
    expect(() => compileTemplate('{{ call.durationS * 2 }}', 'x')).toThrow(
      /'\{\{' that is not a placeholder/,
    )
    expect(() => compileTemplate('{{constructor.name}}', 'x')).toThrow(/unknown placeholder/)
    expect(() => compileTemplate('{{call.__proto__}}', 'x')).toThrow(TemplateError)
  })

  it('ships a valid template for every type and part', async () => {
    const templates = await loadTemplates()
    for (const type of notificationTypes) {
      for (const part of templateParts) {
        expect(templates.render(type, part, context).length).toBeGreaterThan(0)
      }
    }
    expect(templates.overridden).toEqual([])
  })

  it('takes overrides file by file and lists files that are not templates', async () => {
    const dir = await tempDir()
    await mkdir(path.join(dir, 'voicemail'))
    await writeFile(path.join(dir, 'voicemail', 'sms.txt'), 'VM {{call.external.phoneNumber}}')
    await writeFile(path.join(dir, 'voicemail', 'sms.text'), 'typo')
    const templates = await loadTemplates({ overrideDir: dir })
    expect(templates.render('voicemail', 'sms', context)).toBe('VM +14155550100')
    expect(templates.render('voicemail', 'subject', context)).toContain('New voicemail')
    expect(templates.overridden).toEqual([path.join('voicemail', 'sms.txt')])
    expect(templates.ignored).toEqual([path.join('voicemail', 'sms.text')])
  })

  it('reports every bad override at once, and a missing directory', async () => {
    const dir = await tempDir()
    await mkdir(path.join(dir, 'missed'))
    await writeFile(path.join(dir, 'missed', 'subject.txt'), '{{nope}}')
    await writeFile(path.join(dir, 'missed', 'chat.txt'), '{{call.nope}}')
    const error = await loadTemplates({ overrideDir: dir }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateError)
    expect(String(error)).toMatch(/subject\.txt:1: unknown placeholder \{\{nope\}\}/)
    expect(String(error)).toMatch(/chat\.txt:1: unknown placeholder \{\{call\.nope\}\}/)
    await expect(loadTemplates({ overrideDir: path.join(dir, 'absent') })).rejects.toThrow(
      /cannot be read/,
    )
  })
})
