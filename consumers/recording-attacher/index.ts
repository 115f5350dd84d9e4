/**
 * @module consumers/recording-attacher
 * Streams call recordings from RingCentral into CRM attachments, once per recording id, and
 * announces them on `recordings.attached`. See README.md.
 */
export type { RecordingAttacherOptions } from './attacher.ts'
export {
  createRecordingAttacher,
  recordingAttachedEvent,
  recordingAttacherDefaults,
} from './attacher.ts'
export { AttachmentInProgressError, RecordingNotReadyError } from './errors.ts'
export { recordingFilename } from './filename.ts'
export { recordingAttacherRole } from './role.ts'
