// Shapes of the ParkSafe API (see the server's /swagger) as the mini-program uses them.

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export interface ParkCalendar {
  today: string;
  week: string;
  weekday: number;
  time_zone: string;
}

export interface User {
  id: number;
  name: string;
  username: string | null;
  phone: string;
  role: 'admin' | 'inspector' | 'enterprise';
  role_label: string;
  enterprise_id: number | null;
  enterprise_name?: string;
  status: string;
  wechat_bound: boolean;
  version: number;
}

export interface Me extends User {
  park: ParkCalendar;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user: User;
}

export interface WechatLogin extends Partial<Tokens> {
  bound?: boolean;
  bind_token?: string;
}

export interface Photo {
  id: number;
  url: string;
  thumb_url: string;
  width: number;
  height: number;
  size: number;
  taken_at: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface List<T> {
  items: T[];
  /** null on a page reached by cursor */
  total: number | null;
  /** the count stopped at the first 10,000 rows */
  total_at_least?: boolean;
  page: number;
  page_size: number;
  /** send as after for the following page; null at the end */
  next: string | null;
}

export interface HazardListItem {
  id: number;
  code: string;
  enterprise_id: number;
  enterprise_name: string;
  source: string;
  source_label: string;
  category: string;
  category_label: string;
  level: 'general' | 'major';
  level_label: string;
  title: string;
  location: string;
  deadline: string;
  status: 'pending_rectify' | 'pending_verify' | 'pending_approval' | 'closed' | 'void';
  status_label: string;
  overdue: boolean;
  reject_count: number;
  thumb: { id: number; thumb_url: string } | null;
  created_at: string;
  version: number;
}

export interface PersonRef {
  id: number;
  name: string;
}

export interface HazardEvent {
  id: number;
  action: string;
  action_label: string;
  to_status_label: string;
  actor: PersonRef & { role_label: string };
  comment: string;
  created_at: string;
}

export interface Rectification {
  id: number;
  description: string;
  photos: Photo[];
  submitter: PersonRef;
  created_at: string;
}

export interface Extension {
  id: number;
  old_deadline: string;
  new_deadline: string;
  reason: string;
  status: string;
  status_label: string;
  requester: PersonRef;
  comment: string;
}

export interface Hazard extends Omit<HazardListItem, 'thumb'> {
  description: string;
  requirement: string;
  latitude: number | null;
  longitude: number | null;
  reporter: PersonRef;
  photos: Photo[];
  rectifications: Rectification[];
  events: HazardEvent[];
  extensions: Extension[];
}

export interface Enterprise {
  id: number;
  name: string;
}

export interface Notification {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string;
  read: boolean;
  created_at: string;
}

/** A photo taken on the phone, not yet (or just) uploaded. */
export interface LocalPhoto {
  path: string;
  takenAt: string;
  latitude?: number;
  longitude?: number;
  size?: number;
  /** Idempotency-Key of its upload, kept across retries. */
  key?: string;
  /** Server id once uploaded. */
  photoId?: number;
  /** Where in the request body its id goes (e.g. "areas.1.photo_ids"); the item's photoField when absent. */
  field?: string;
}

/** A submission waiting in the outbox. */
export interface OutboxItem {
  id: string;
  kind: 'hazard' | 'rectification' | 'hygiene' | 'leader' | string;
  /** Idempotency-Key of the creating request, kept across every retry. */
  key: string;
  method: 'POST' | 'PUT' | 'PATCH';
  path: string;
  body: Record<string, any>;
  /** Field of body that receives the uploaded photos' ids. */
  photoField?: string;
  photos: LocalPhoto[];
  title: string;
  /** When it was saved: epoch milliseconds (an RFC 3339 string in items saved by earlier versions). */
  createdAt: number | string;
  /** pending: sent by itself when its time comes; failed: refused by the server; stalled: MAX_FAILURES failures in a row, sent when the user asks. */
  state: 'pending' | 'sending' | 'failed' | 'stalled';
  error?: string;
  /** Tries so far, the user's included. */
  attempts: number;
  /** Failures in a row that count towards stalling (not those without network). */
  failures?: number;
  /** Epoch milliseconds before which it is not tried by itself; 0 when it is not waiting. */
  nextAt?: number;
}
