/**
 * @module simulators/zoho/notes
 * Notes (OAS `notes.json`, v7 Create Notes): `POST/GET /crm/v8/{module}/{id}/Notes`,
 * `POST/GET /crm/v8/Notes` (the parent given as `Parent_Id: { module: { api_name }, id }`, the
 * way the official SDK sends it) and `GET /crm/v8/Notes/{id}`. `Note_Content` is mandatory,
 * `Note_Title` optional; at most 100 notes per call. Answers as records do (./records.ts).
 */
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { batchStatus, readJson } from './body.ts'
import type { Deps } from './deps.ts'
import { errors, ZohoHttpError, zohoError } from './errors.ts'
import { zohoDateTime } from './format.ts'
import { findModule, recordModule } from './modules.ts'
import { moduleOf } from './params.ts'
import { recordName, shortUser } from './present.ts'
import { recordsOf, type SimState, type StoredNote } from './state.ts'
import { currentUser, userRef } from './users-data.ts'

const ParentId = z.union([
  z.looseObject({
    id: z.union([z.string(), z.number()]),
    module: z.looseObject({ api_name: z.string() }).optional(),
  }),
  z.string(),
])

const NoteInput = z.looseObject({
  Note_Title: z.string().max(120).nullable().optional(),
  Note_Content: z.string().max(32_000).nullable().optional(),
  Parent_Id: ParentId.optional(),
  se_module: z.string().optional(),
  $se_module: z.string().optional(),
})
const NotesBody = z.object({ data: z.array(NoteInput).min(1).max(100) })
type NoteInput = z.infer<typeof NoteInput>

const relatedIdError = (details: Record<string, unknown>) =>
  zohoError('INVALID_DATA', 'the related id given seems to be invalid', details)

/** The note as `GET` returns it: every key the OAS `Note` schema requires. */
export const presentNote = (state: SimState, note: StoredNote) => {
  const parent = recordsOf(state, note.parentModule).get(note.parentId)
  const owner = state.users.find((user) => user.id === note.ownerId) ?? currentUser(state.users)
  const module = findModule(note.parentModule)
  return {
    Modified_Time: zohoDateTime(note.modifiedAt),
    $attachments: [],
    Owner: userRef(owner),
    Created_Time: zohoDateTime(note.createdAt),
    Parent_Id: {
      module: { api_name: note.parentModule, id: module?.id ?? null },
      id: note.parentId,
      name: parent ? (recordName(parent) ?? '') : '',
    },
    $editable: true,
    $is_shared_to_client: false,
    Modified_By: userRef(owner),
    $size: '0',
    $state: 'save',
    $voice_note: false,
    id: note.id,
    Created_By: userRef(owner),
    Note_Title: note.title,
    Note_Content: note.content,
  }
}

/** Which record a note belongs to: the path's, or its `Parent_Id`. */
const parentOf = (input: NoteInput, path?: { module: string; id: string }) => {
  if (path) return path
  const parent = input.Parent_Id
  if (parent === undefined) return null
  if (typeof parent === 'string')
    return { module: input.se_module ?? input.$se_module ?? '', id: parent }
  return { module: parent.module?.api_name ?? input.se_module ?? '', id: String(parent.id) }
}

const createNotes = async (c: Context, deps: Deps, path?: { module: string; id: string }) => {
  const { state, options } = deps
  const body = await readJson(c, NotesBody)
  const data = body.data.map((input, i) => {
    const at = (name: string) => ({ api_name: name, json_path: `$.data[${i}].${name}` })
    if (!input.Note_Content) {
      return zohoError('MANDATORY_NOT_FOUND', 'required field not found', at('Note_Content'))
    }
    const parent = parentOf(input, path)
    if (!parent)
      return zohoError('MANDATORY_NOT_FOUND', 'required field not found', at('Parent_Id'))
    const module = recordModule(parent.module)
    if (!module || !recordsOf(state, module.apiName).has(parent.id)) {
      return relatedIdError(at('Parent_Id'))
    }
    const now = options.now()
    const note: StoredNote = {
      id: state.nextId(),
      parentModule: module.apiName,
      parentId: parent.id,
      title: input.Note_Title ?? null,
      content: input.Note_Content,
      ownerId: currentUser(state.users).id,
      createdAt: now,
      modifiedAt: now,
    }
    state.notes.set(note.id, note)
    const by = shortUser(state, note.ownerId)
    const time = zohoDateTime(now)
    const details = {
      Modified_Time: time,
      Modified_By: by,
      Created_Time: time,
      id: note.id,
      Created_By: by,
    }
    return { code: 'SUCCESS', details, message: 'record added', status: 'success' }
  })
  return c.json({ data }, batchStatus(data, 201))
}

const list = (c: Context, state: SimState, notes: StoredNote[]) => {
  const perPage = Math.min(200, Number(c.req.query('per_page') ?? 200) || 200)
  const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1)
  const slice = notes.slice((page - 1) * perPage, page * perPage)
  if (slice.length === 0) return c.body(null, 204)
  const data = slice.map((note) => presentNote(state, note))
  const more = notes.length > page * perPage
  return c.json({ data, info: { per_page: perPage, count: data.length, page, more_records: more } })
}

export const registerNotesRoutes = (app: Hono, deps: Deps) => {
  const { state } = deps
  app.post('/crm/v8/Notes', (c) => createNotes(c, deps))
  app.get('/crm/v8/Notes', (c) => list(c, state, [...state.notes.values()].reverse()))
  app.get('/crm/v8/Notes/:id', (c) => {
    const note = state.notes.get(c.req.param('id'))
    return note ? c.json({ data: [presentNote(state, note)] }) : c.body(null, 204)
  })

  const parentFromPath = (c: Context) => {
    const module = moduleOf(c)
    const id = c.req.param('id') ?? ''
    if (!recordsOf(state, module.apiName).has(id)) {
      throw new ZohoHttpError(400, relatedIdError({ resource_path_index: 1 }))
    }
    return { module: module.apiName, id }
  }
  app.post('/crm/v8/:module/:id/Notes', (c) => createNotes(c, deps, parentFromPath(c)))
  app.get('/crm/v8/:module/:id/Notes', (c) => {
    const parent = parentFromPath(c)
    const notes = [...state.notes.values()].filter(
      (note) => note.parentModule === parent.module && note.parentId === parent.id,
    )
    return list(c, state, notes.reverse())
  })
  app.all('/crm/v8/Notes/*', () => {
    throw errors.invalidUrl()
  })
}
