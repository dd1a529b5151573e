// The operator page's one import of the generated types (schemas/pecking-order.d.ts, made by
// `make schemas` from the Rust types): every body it reads or sends is one of these.
export type {
  Action,
  AdminRequest,
  AdminResponse,
  HttpError,
  HttpErrorCode,
  JournalEntry,
  JournaledResponse,
  Lifecycle,
  NextTask,
  RoomSummary,
  RoomsResponse,
  StateResponse,
  TaskListResponse,
  VerifyResponse,
  VerifyStatus,
} from '../../../schemas/pecking-order';
