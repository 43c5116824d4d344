import { Injectable } from '@nestjs/common';
import {
  assignmentThread,
  callThread,
  chinaDayRange,
  decideThreadAccess,
  DoneScope,
  firstMatch,
  hasLetterCase,
  hasRole,
  isSupervisor,
  likePattern,
  Role,
  SEARCH_KINDS,
  SearchKind,
  searchQueryOf,
  snippetAround,
  unitsActedFor,
  User,
} from '@county/domain';
import { SearchFilter, SearchRepository, SearchViewer } from '@county/persistence';
import { actorOf } from '../assignments/assignments.service';
import { decodeCursorKey, encodeCursor } from '../common/cursor';
import {
  DoneItemResponse,
  DoneQuery,
  DoneResponse,
  SearchHitResponse,
  SearchQuery,
  SEARCH_PAGE_LIMITS,
  SearchResponse,
} from './search.dto';

/** The sort key a search page ends on: which kind, and the row's key in that kind's own order. */
type SearchKey =
  | { k: SearchKind.Task; p: string; n: number }
  | { k: SearchKind.Report; s: number }
  | { k: SearchKind.Call; r: string; i: string };

function isSearchKey(key: unknown): key is SearchKey {
  if (typeof key !== 'object' || key === null) return false;
  const value = key as Record<string, unknown>;
  switch (value.k) {
    case SearchKind.Task:
      return typeof value.p === 'string' && Number.isSafeInteger(value.n);
    case SearchKind.Report:
      return Number.isSafeInteger(value.s) && (value.s as number) > 0;
    case SearchKind.Call:
      return typeof value.r === 'string' && !Number.isNaN(Date.parse(value.r)) && typeof value.i === 'string';
    default:
      return false;
  }
}

const isDoneKey = (key: unknown): key is { s: number } =>
  typeof key === 'object' && key !== null && Number.isSafeInteger((key as { s?: unknown }).s);

type Hit = SearchHitResponse & { key: SearchKey };

/**
 * Keyword search over tasks, reports and calls, and 已办. Who sees what: every task, as GET /tasks shows them; a
 * report or a call only to the people of its thread (decideThreadAccess with assignmentThread / callThread — the
 * rule that already guards its comments and files), the supervision office and the leaders. The SQL applies the
 * same rule so pages stay full; each hit is checked against the rule again before it leaves.
 */
@Injectable()
export class SearchService {
  constructor(private readonly search: SearchRepository) {}

  async find(user: User, query: SearchQuery): Promise<SearchResponse> {
    const q = searchQueryOf(query.q);
    const due = chinaDayRange(query.dueFrom, query.dueTo);
    const limit = query.limit ?? SEARCH_PAGE_LIMITS.default;
    const after = decodeCursorKey(query.cursor, isSearchKey);
    const kinds = query.kind ? [query.kind] : [...SEARCH_KINDS];
    if (after && !kinds.includes(after.k)) return { items: [], nextCursor: null };
    const filter: Omit<SearchFilter, 'limit'> = {
      pattern: likePattern(q),
      ignoreCase: hasLetterCase(q),
      planId: query.planId,
      unitId: query.unitId,
      status: query.status,
      light: query.light,
      dueFrom: due.from,
      dueTo: due.to,
    };
    const viewer = viewerOf(user);
    const hits: Hit[] = [];
    // Kinds follow each other in a fixed order; one row more than the page tells whether there is a next one.
    for (const kind of kinds.slice(after ? kinds.indexOf(after.k) : 0)) {
      const wanted = limit + 1 - hits.length;
      if (wanted <= 0) break;
      const from = after?.k === kind ? after : null;
      hits.push(...(await this.hitsOf(kind, { ...filter, limit: wanted }, viewer, from, q, user)));
    }
    const page = hits.slice(0, limit);
    return {
      items: page.map(({ key: _key, ...hit }) => hit),
      nextCursor: hits.length > limit ? encodeCursor(page[page.length - 1].key) : null,
    };
  }

  async done(user: User, query: DoneQuery): Promise<DoneResponse> {
    const limit = query.limit ?? SEARCH_PAGE_LIMITS.default;
    const after = decodeCursorKey(query.cursor, isDoneKey);
    const who = query.scope === DoneScope.Unit ? { unitIds: unitsActedFor(user) } : { userId: user.id };
    const rows = await this.search.done(who, after?.s ?? null, limit + 1);
    const page: DoneItemResponse[] = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? encodeCursor({ s: page[page.length - 1].seq }) : null };
  }

  private async hitsOf(
    kind: SearchKind,
    filter: SearchFilter,
    viewer: SearchViewer,
    after: SearchKey | null,
    q: string,
    user: User,
  ): Promise<Hit[]> {
    const actor = actorOf(user);
    switch (kind) {
      case SearchKind.Task: {
        const key = after?.k === SearchKind.Task ? { planId: after.p, no: after.n } : null;
        return (await this.search.tasks(filter, key)).map((task) => {
          const found = firstMatch(
            [
              ['title', task.title],
              ['measures', task.measures.join('\n')],
              ['goals', task.goals.join('\n')],
            ] as const,
            q,
          );
          return {
            kind,
            id: task.id,
            title: task.title,
            field: found?.field ?? 'title',
            snippet: snippetAround(found?.text ?? task.title, q),
            taskId: task.id,
            taskNo: task.no,
            planId: task.planId,
            assignmentId: null,
            callId: null,
            unitId: null,
            fromUnitId: null,
            status: task.status,
            light: task.light,
            at: task.dueAt,
            key: { k: kind, p: task.planId, n: task.no },
          };
        });
      }
      case SearchKind.Report: {
        const rows = await this.search.reports(filter, viewer, after?.k === SearchKind.Report ? after.s : null);
        return rows
          .filter(
            (row) =>
              decideThreadAccess(actor, assignmentThread({ unitId: row.unitId }, { leadUnitIds: row.leadUnitIds }))
                .allowed,
          )
          .map((row) => ({
            kind,
            id: String(row.seq),
            title: row.taskTitle,
            field: 'note',
            snippet: snippetAround(row.note, q),
            taskId: row.taskId,
            taskNo: row.taskNo,
            planId: row.planId,
            assignmentId: row.assignmentId,
            callId: null,
            unitId: row.unitId,
            fromUnitId: null,
            status: row.status,
            light: row.light,
            at: row.at,
            key: { k: kind, s: row.seq },
          }));
      }
      case SearchKind.Call: {
        const key = after?.k === SearchKind.Call ? { raisedAt: after.r, id: after.i } : null;
        const rows = await this.search.calls(filter, viewer, key);
        return rows
          .filter((row) => decideThreadAccess(actor, callThread(row)).allowed)
          .map((row) => {
            const found = firstMatch(
              [
                ['subject', row.subject],
                ['description', row.description],
                ['resolution', row.resolution],
              ] as const,
              q,
            );
            return {
              kind,
              id: row.id,
              title: row.subject,
              field: found?.field ?? 'subject',
              snippet: snippetAround(found?.text ?? row.subject, q),
              taskId: null,
              taskNo: null,
              planId: null,
              assignmentId: null,
              callId: row.id,
              unitId: row.toUnitId,
              fromUnitId: row.fromUnitId,
              status: row.status,
              light: row.light,
              at: row.raisedAt,
              key: { k: kind, r: row.raisedAt, i: row.id },
            };
          });
      }
    }
  }
}

/**
 * The SQL form of decideThreadAccess: the supervision office and the leaders read every thread; staff and heads
 * read their own units' (and units merged into theirs); anyone else (an admin account) no unit's.
 */
function viewerOf(user: User): SearchViewer {
  const all = isSupervisor(user) || hasRole(user, Role.Leader);
  const worker = hasRole(user, Role.Staff) || hasRole(user, Role.Head);
  return { all, unitIds: worker ? unitsActedFor(user) : [] };
}
