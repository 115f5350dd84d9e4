/**
 * @module consumers/notifier/templates
 * Editable notification templates: per notification type a subject, an HTML body and a text body
 * (e-mail), a chat text and an SMS text, as files under `templates/<type>/`. A directory given in
 * the configuration overrides them file by file. The only syntax is `{{field.path}}` from a fixed
 * list (template-context.ts); every file is checked when loaded, so a typo fails start-up instead
 * of a notification. Values are escaped for where they land: HTML-escaped in HTML, `& < >` escaped
 * in chat (Slack mrkdwn), line breaks removed in the subject.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type NotificationType, notificationTypes } from './events.ts'
import { type Placeholder, placeholders, type TemplateContext } from './template-context.ts'

/** The parts of a notification, one file each. */
export const templateParts = ['subject', 'html', 'text', 'chat', 'sms'] as const
export type TemplatePart = (typeof templateParts)[number]

/** The file of each part inside `<templates dir>/<type>/`. */
export const templateFiles: Readonly<Record<TemplatePart, string>> = {
  subject: 'subject.txt',
  html: 'body.html',
  text: 'body.txt',
  chat: 'chat.txt',
  sms: 'sms.txt',
}

/** The templates shipped with the notifier. */
export const builtInTemplatesDir = fileURLToPath(new URL('./templates/', import.meta.url))

/** A template file that cannot be used: unknown placeholder, malformed braces, missing file. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError'
}

type Segment = string | { readonly placeholder: Placeholder }

/** A parsed template: literal text and placeholders. */
export interface CompiledTemplate {
  readonly source: string
  readonly segments: readonly Segment[]
}

const placeholderPattern = /\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\s*\}\}/g
const known: ReadonlySet<string> = new Set(placeholders)
const isPlaceholder = (name: string): name is Placeholder => known.has(name)
const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length

/**
 * Parses `text`; `source` names it in errors.
 * @throws TemplateError on an unknown placeholder or a `{{` that is not a placeholder.
 */
export const compileTemplate = (text: string, source: string): CompiledTemplate => {
  const segments: Segment[] = []
  /** Adds the literal text at `start`, refusing a `{{` that did not parse as a placeholder. */
  const literal = (start: number, end: number) => {
    const stray = text.indexOf('{{', start)
    if (stray >= 0 && stray < end) {
      throw new TemplateError(
        `${source}:${lineOf(text, stray)}: '{{' that is not a placeholder; write placeholders as {{call.external.phoneNumber}}`,
      )
    }
    segments.push(text.slice(start, end))
  }
  let last = 0
  for (const match of text.matchAll(placeholderPattern)) {
    const name = match[1] ?? ''
    literal(last, match.index)
    if (!isPlaceholder(name)) {
      throw new TemplateError(
        `${source}:${lineOf(text, match.index)}: unknown placeholder {{${name}}}; see the list in consumers/notifier/README.md`,
      )
    }
    segments.push({ placeholder: name })
    last = match.index + match[0].length
  }
  literal(last, text.length)
  return { source, segments }
}

const htmlEntities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c)

/** Escapes text for Slack mrkdwn (`&`, `<`, `>` are its control characters). */
export const escapeChat = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ')
const same = (value: string): string => value

const escapes: Readonly<Record<TemplatePart, (value: string) => string>> = {
  subject: oneLine,
  html: escapeHtml,
  text: same,
  chat: escapeChat,
  sms: same,
}

/** Renders `template` for `part`: placeholders replaced by escaped values. */
export const renderTemplate = (
  template: CompiledTemplate,
  context: TemplateContext,
  part: TemplatePart,
): string => {
  const escapeValue = escapes[part]
  const out = template.segments
    .map((segment) =>
      typeof segment === 'string' ? segment : escapeValue(context[segment.placeholder]),
    )
    .join('')
  return part === 'subject'
    ? oneLine(out).trim()
    : part === 'html' || part === 'text'
      ? out
      : out.trim()
}

/** The loaded templates of every type and part. */
export interface Templates {
  render(type: NotificationType, part: TemplatePart, context: TemplateContext): string
  /** Files taken from the override directory, relative to it. */
  readonly overridden: readonly string[]
  /** Files in the override directory that are not templates (typos?), relative to it. */
  readonly ignored: readonly string[]
}

const readIfExists = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Loads and checks every template: `overrideDir/<type>/<file>` where it exists, else the built-in
 * one. Reports every problem at once.
 * @throws TemplateError listing each bad file, or when `overrideDir` is not a readable directory.
 */
export const loadTemplates = async ({
  overrideDir,
  builtInDir = builtInTemplatesDir,
}: {
  overrideDir?: string | undefined
  builtInDir?: string
} = {}): Promise<Templates> => {
  let present: string[] = []
  if (overrideDir !== undefined) {
    try {
      present = (await readdir(overrideDir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(overrideDir, path.join(entry.parentPath, entry.name)))
    } catch (error) {
      throw new TemplateError(`templates directory ${overrideDir} cannot be read: ${String(error)}`)
    }
  }
  const compiled = new Map<string, CompiledTemplate>()
  const problems: string[] = []
  const overridden: string[] = []
  for (const type of notificationTypes) {
    for (const part of templateParts) {
      const relative = path.join(type, templateFiles[part])
      const override = present.includes(relative) && overrideDir !== undefined
      const file = path.join(override ? overrideDir : builtInDir, relative)
      try {
        const text = await readIfExists(file)
        if (text === undefined) throw new TemplateError(`${file}: missing`)
        compiled.set(`${type}/${part}`, compileTemplate(text, file))
        if (override) overridden.push(relative)
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error))
      }
    }
  }
  if (problems.length > 0) {
    throw new TemplateError(`notification templates have problems:\n  - ${problems.join('\n  - ')}`)
  }
  const expected = new Set(
    notificationTypes.flatMap((type) =>
      templateParts.map((p) => path.join(type, templateFiles[p])),
    ),
  )
  return {
    overridden,
    ignored: present.filter((file) => !expected.has(file)),
    render: (type, part, context) => {
      const template = compiled.get(`${type}/${part}`)
      if (!template) throw new TemplateError(`no ${part} template for ${type}`)
      return renderTemplate(template, context, part)
    },
  }
}
