/**
 * @module simulators/zoho/attachments
 * `POST /crm/v8/{module}/{id}/Attachments`: a multipart form with the file in field `file`, or
 * a link with `attachmentUrl` (+ `title`) in the query (as the SDK sends it) or the form. The
 * upload is read as a stream: its bytes are counted and hashed, only its first 1 KiB is kept.
 * Past `attachmentMaxBytes` → 400 FILE_SIZE_MORE_THAN_ALLOWED_SIZE (the rest of the body is
 * drained unread up to twice the limit, so the client gets the answer rather than a reset).
 * `.exe` files → 400 INVALID_DATA ("All the file types except .exe", v2 doc).
 * `GET …/Attachments` (the OAS makes `fields` mandatory) lists them; 204 when none.
 */
import { createHash } from 'node:crypto'
import type { Context, Hono } from 'hono'
import type { Deps } from './deps.ts'
import { errors, ZohoHttpError, zohoError } from './errors.ts'
import { zohoDateTime } from './format.ts'
import { boundaryOf, MultipartError, readMultipart } from './multipart.ts'
import { moduleOf } from './params.ts'
import { fieldsParam, recordName, shortUser } from './present.ts'
import { recordsOf, type SimState, type StoredAttachment, type StoredRecord } from './state.ts'
import { currentUser, userRef } from './users-data.ts'

const PREVIEW_BYTES = 1024
const TEXT_FIELD_BYTES = 4096

interface Upload {
  file: {
    name: string | null
    type: string | null
    size: number
    sha256: string
    preview: string
  } | null
  text: Record<string, string>
  tooLarge: boolean
}

const readUpload = async (c: Context, maxBytes: number): Promise<Upload> => {
  const boundary = boundaryOf(c.req.header('content-type') ?? '')
  const body = c.req.raw.body
  const upload: Upload = { file: null, text: {}, tooLarge: false }
  if (!boundary || !body) return upload
  const hardCap = maxBytes * 2 + 1024 * 1024
  await readMultipart(body, boundary, (part) => {
    if (part.filename !== null && part.name === 'file') {
      const hash = createHash('sha256')
      const head: Buffer[] = []
      let size = 0
      return {
        write(chunk) {
          size += chunk.length
          if (size > hardCap) throw new MultipartError('upload far beyond the size limit')
          if (size > maxBytes) upload.tooLarge = true
          if (upload.tooLarge) return
          hash.update(chunk)
          if (size - chunk.length < PREVIEW_BYTES) head.push(Buffer.from(chunk))
        },
        end() {
          const preview = Buffer.concat(head).subarray(0, PREVIEW_BYTES).toString('base64')
          const sha256 = hash.digest('hex')
          upload.file = { name: part.filename, type: part.contentType, size, sha256, preview }
        },
      }
    }
    let text = ''
    return {
      write(chunk) {
        if (text.length < TEXT_FIELD_BYTES) text += Buffer.from(chunk).toString('utf8')
      },
      end() {
        if (part.name) upload.text[part.name] = text.slice(0, TEXT_FIELD_BYTES)
      },
    }
  }).catch((error: unknown) => {
    if (!(error instanceof MultipartError)) throw error
    if (!upload.tooLarge) throw errors.invalidBody()
  })
  return upload
}

const presentAttachment = (
  state: SimState,
  attachment: StoredAttachment,
  parent?: StoredRecord,
) => {
  const owner =
    state.users.find((user) => user.id === attachment.ownerId) ?? currentUser(state.users)
  const time = zohoDateTime(attachment.createdAt)
  return {
    Owner: userRef(owner),
    Modified_By: userRef(owner),
    Created_By: userRef(owner),
    Parent_Id: { id: attachment.parentId, name: (parent && recordName(parent)) ?? '' },
    $sharing_permission: 'full_access',
    $attachment_type: attachment.linkUrl ? 3 : 1,
    id: attachment.id,
    Modified_Time: time,
    Created_Time: time,
    File_Name: attachment.fileName,
    Size: String(attachment.size),
    $editable: true,
    $file_id: attachment.sha256 ? `sim${attachment.sha256.slice(0, 32)}` : '',
    $type: attachment.linkUrl ? 'Link URL' : 'Attachment',
    $se_module: attachment.parentModule,
    $state: 'save',
    $link_url: attachment.linkUrl,
  }
}

export const registerAttachmentRoutes = (app: Hono, { state, options }: Deps) => {
  const parentOf = (c: Context): StoredRecord => {
    const module = moduleOf(c)
    const record = recordsOf(state, module.apiName).get(c.req.param('id') ?? '')
    if (!record) {
      throw new ZohoHttpError(
        400,
        zohoError('INVALID_DATA', 'the related id given seems to be invalid', {
          related_status: 'invalid',
          resource_path_index: 1,
        }),
      )
    }
    return record
  }

  app.post('/crm/v8/:module/:id/Attachments', async (c) => {
    const parent = parentOf(c)
    const max = options.attachmentMaxBytes
    const upload = c.req.query('attachmentUrl') ? null : await readUpload(c, max)
    if (upload?.tooLarge) {
      throw new ZohoHttpError(
        400,
        zohoError('FILE_SIZE_MORE_THAN_ALLOWED_SIZE', 'file size is more than the allowed size', {
          limit: max,
        }),
      )
    }
    const link = c.req.query('attachmentUrl') ?? upload?.text['attachmentUrl'] ?? null
    const file = upload?.file ?? null
    if (!file && !link) throw errors.missingParam('file')
    if (file?.name?.toLowerCase().endsWith('.exe')) {
      throw new ZohoHttpError(400, zohoError('INVALID_DATA', 'invalid data', { api_name: 'file' }))
    }
    const now = options.now()
    const attachment: StoredAttachment = {
      id: state.nextId(),
      parentModule: parent.module,
      parentId: parent.id,
      fileName: file?.name ?? c.req.query('title') ?? upload?.text['title'] ?? link,
      size: file?.size ?? 0,
      sha256: file?.sha256 ?? null,
      contentType: file?.type ?? null,
      preview: file?.preview ?? '',
      linkUrl: file ? null : link,
      ownerId: currentUser(state.users).id,
      createdAt: now,
    }
    state.attachments.set(attachment.id, attachment)
    const by = shortUser(state, attachment.ownerId)
    const time = zohoDateTime(now)
    const details = {
      Modified_Time: time,
      Modified_By: by,
      Created_Time: time,
      id: attachment.id,
      Created_By: by,
    }
    return c.json({
      data: [
        {
          code: 'SUCCESS',
          details,
          message: 'attachment uploaded successfully',
          status: 'success',
        },
      ],
    })
  })

  app.get('/crm/v8/:module/:id/Attachments', (c) => {
    const parent = parentOf(c)
    const only = fieldsParam(c.req.query('fields'))
    if (!only) throw errors.missingParam('fields')
    const perPage = Math.min(200, Number(c.req.query('per_page') ?? 200) || 200)
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1)
    const all = [...state.attachments.values()]
      .filter((item) => item.parentId === parent.id)
      .reverse()
    const slice = all.slice((page - 1) * perPage, page * perPage)
    if (slice.length === 0) return c.body(null, 204)
    const data = slice.map((item) =>
      Object.fromEntries(
        Object.entries(presentAttachment(state, item, parent)).filter(
          ([key]) => key === 'id' || only.includes(key),
        ),
      ),
    )
    const more = all.length > page * perPage
    return c.json({
      data,
      info: { per_page: perPage, count: data.length, page, more_records: more },
    })
  })
}
