export { loadEventFile, locate } from './load-event-file.js';
export type { LoadedEventFile } from './load-event-file.js';
export { EventFileError, describeProblem } from './event-file-error.js';
export type { Problem } from './event-file-error.js';
export { formatPath } from './file-path.js';
export { renderEventFile } from './render.js';
export { MAX_EVENT_FILE_BYTES } from './yaml-source.js';
export type {
  EventCompetition,
  EventChecks,
  EventPasswordChanges,
  EventService,
  EventSla,
  EventCheckSettings,
  EventContentRule,
  FilePath,
} from './event-file.types.js';
