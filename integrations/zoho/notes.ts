/**
 * @module integrations/zoho/notes
 * Notes on a record: `POST /crm/v8/Notes` with `Parent_Id: {module: {api_name}, id}` (v8 shape),
 * `Note_Title` and `Note_Content` (mandatory). A note is found again in the record's Notes list
 * by a marker line in its content.
 */
import { ZohoApiError } from './errors.ts'
import { apiBase, moduleName, recordId } from './paths.ts'
import { findRelated, hasLine } from './related-list.ts'
import type { ZohoTransport } from './transport.ts'
import { writtenId } from './write-result.ts'

/** A note's title and text. */
export interface ZohoNote {
  readonly title: string
  readonly content: string
}

/** Zoho's limit on `Note_Title`; longer titles are cut (with an ellipsis) rather than refused. */
export const maxNoteTitle = 120

const clampTitle = (title: string): string =>
  title.length <= maxNoteTitle ? title : `${title.slice(0, maxNoteTitle - 1)}…`

/** The Notes record for a note on `module`/`id`. */
export const noteFields = (module: string, id: string, note: ZohoNote): Record<string, unknown> => {
  if (note.content.trim() === '') {
    throw new ZohoApiError({
      code: 'INVALID_INPUT',
      status: 0,
      message: 'note content is empty',
      details: { api_name: 'Note_Content' },
    })
  }
  return {
    Parent_Id: { module: { api_name: moduleName(module) }, id: recordId(id) },
    Note_Title: clampTitle(note.title),
    Note_Content: note.content,
  }
}

/** Adds a note to a record; returns the note's id. */
export const addNote = async (
  transport: ZohoTransport,
  module: string,
  id: string,
  note: ZohoNote,
): Promise<{ id: string }> => {
  const response = await transport.request({
    operation: 'addNote',
    method: 'POST',
    path: `${apiBase}/Notes`,
    json: { data: [noteFields(module, id, note)] },
  })
  return { id: writtenId(response, 'addNote') }
}

/** The id of the note on `module`/`id` whose content has the line `marker`, or null. */
export const findNote = async (
  transport: ZohoTransport,
  module: string,
  id: string,
  marker: string,
): Promise<{ id: string } | null> => {
  const note = await findRelated(
    transport,
    { module, id, list: 'Notes', fields: ['Note_Title', 'Note_Content'], operation: 'findNote' },
    (item) => hasLine(item['Note_Content'], marker),
  )
  return note ? { id: note.id } : null
}
