// The collector's routes as the dashboard uses them (DESIGN.md Contract 5 and the issue 8
// extensions of /work/notes/issue8-plan.md §2.1): same-origin fetches with the session or share
// cookie, never a token. Errors carry the HTTP status and the collector's {"error"} message.

import type { CommentJson } from '../report/export';
import type { ReportJson } from '../report/types';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

// GET /v1/session: who the page is running for.
export interface SessionJson {
  kind: 'session' | 'share';
  survey?: string;
  comments?: boolean;
  expires?: string;
}

// One definition of GET /v1/surveys (only what the page reads).
export interface SurveyJson {
  id: string;
  version?: string;
  default_locale?: string;
  questions?: { id: string; type: string; text?: Record<string, string> }[];
}

export interface TermJson {
  term: string;
  count: number;
}

// GET /v1/comments, with the "terms" extension (per group, over the comments shown).
export interface CommentsJson {
  survey?: string;
  from?: string;
  to?: string;
  min_count?: number;
  suppressed?: boolean;
  comments: CommentJson[];
  terms?: Record<string, TermJson[]>;
}

export interface ShareJson {
  id: string;
  survey: string;
  comments: boolean;
  created?: string | number;
  expires?: string | number;
  revoked?: string | number | null;
}

export interface CreatedShareJson {
  id: string;
  url: string;
  expires?: string;
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new HttpError(0, (e as Error).message || 'network error');
  }
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      const j = await res.json();
      if (j && typeof j.error === 'string') message = j.error;
    } catch {
      // not JSON: keep the status
    }
    throw new HttpError(res.status, message);
  }
  return res;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  try {
    return (await res.json()) as T;
  } catch {
    throw new HttpError(res.status, `${path}: the answer is not JSON`);
  }
}

export const getSession = () => json<SessionJson>('GET', '/v1/session');
export const signOut = () => request('DELETE', '/v1/session').then(() => undefined);
export const getSurveys = () => json<{ surveys?: SurveyJson[] }>('GET', '/v1/surveys');
export const getReport = (query: string) => json<ReportJson>('GET', '/v1/report?' + query);
export const getComments = (query: string) => json<CommentsJson>('GET', '/v1/comments?' + query);
export const listShares = () => json<{ shares?: ShareJson[] }>('GET', '/v1/shares');
export const createShare = (survey: string, days: number, comments: boolean) =>
  json<CreatedShareJson>('POST', '/v1/shares', { survey, expires_days: days, comments });
export const revokeShare = (id: string) => request('DELETE', '/v1/shares/' + encodeURIComponent(id)).then(() => undefined);
