// The Threads section as the community home sees it: its tab (with this member's unread count), its
// count, its home card (the liveliest threads, or an invitation to start one) and its panel.
import { useMemo } from 'react';
import { MessagesSquare, Pin, Plus } from 'lucide-react';
import { listThreads } from '../../shared/threads/queries.js';
import { moderateThreadList } from '../../shared/threads/moderation.js';
import { useMembership } from '../communities/use-membership.js';
import { unreadCount } from '../../shared/threads/unread.js';
import type { SectionDefinition, SectionProps } from '../communities/section-types.js';
import { EmptyState } from '../ui/EmptyState.js';
import { fullTime, relativeTime, useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { useThreadReadMarks } from './read-marks.js';
import { requestThread } from './thread-intent.js';
import { ThreadsPanel } from './ThreadsPanel.js';
import '../ui/home-list.css';
import './threads.css';

const HOME_ITEMS = 4;

function useUnread({ community, store, profile }: SectionProps) {
  const listed = useDocQuery(community.doc, listThreads);
  const membership = useMembership(community.doc, community.id);
  const threads = useMemo(() => moderateThreadList(listed.threads, membership), [listed.threads, membership]);
  const marks = useThreadReadMarks(store, community.id);
  return useMemo(() => {
    const byThread = new Map(
      threads.map((thread) => [thread.id, marks ? unreadCount(thread, marks.get(thread.id) ?? null, profile.memberId) : 0]),
    );
    return { threads, byThread, total: [...byThread.values()].reduce((sum, count) => sum + count, 0) };
  }, [threads, marks, profile.memberId]);
}

function ThreadsHomeCard(props: SectionProps) {
  const { community, view, profile, openSection } = props;
  const now = useNow();
  const { threads, byThread, total } = useUnread(props);
  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const nameOf = (id: string) => (id === profile.memberId ? 'you' : (names.get(id) ?? 'a former member'));
  const startThread = () => {
    requestThread({ communityId: community.id, create: true });
    openSection('threads');
  };
  if (threads.length === 0) {
    return (
      <EmptyState
        icon={<MessagesSquare size={20} />}
        title="No threads yet"
        action={
          <button type="button" className="button tight" onClick={startThread} style={{ justifySelf: 'start', marginTop: 4 }}>
            <Plus size={15} aria-hidden="true" /> Start a thread
          </button>
        }
      >
        Conversations that keep going between meetings, readable even when you were offline.
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="home-list" aria-label="Recent threads">
        {threads.slice(0, HOME_ITEMS).map((thread) => {
          const unread = byThread.get(thread.id) ?? 0;
          return (
            <li key={thread.id}>
              <button
                type="button"
                className="home-item"
                onClick={() => {
                  requestThread({ communityId: community.id, threadId: thread.id });
                  openSection('threads');
                }}
              >
                <span className="home-item-icon" aria-hidden="true">
                  {thread.pinned ? <Pin size={15} /> : <MessagesSquare size={16} />}
                </span>
                <span className="home-item-title">{thread.title}</span>
                <span className="home-item-meta" title={fullTime(thread.lastActivityAt)}>
                  {thread.replyCount > 0 ? `${nameOf(thread.lastPostBy)} replied` : `Started by ${nameOf(thread.createdBy)}`}{' '}
                  {relativeTime(thread.lastActivityAt, now)}
                </span>
                {unread > 0 ? <span className="home-item-badge new-badge">{unread} new</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
      {total > 0 ? (
        <div className="home-card-footer">
          <span className="hint">
            {total} unread {total === 1 ? 'post' : 'posts'}
          </span>
        </div>
      ) : null}
    </>
  );
}

/** The unread count beside the tab's name; nothing when all is read. */
function ThreadsBadge(props: SectionProps) {
  const { total } = useUnread(props);
  if (total === 0) return null;
  return (
    <span className="tab-badge" aria-label={`${total} unread`}>
      {total > 99 ? '99+' : total}
    </span>
  );
}

export const threadsSection: SectionDefinition = {
  id: 'threads',
  label: 'Threads',
  icon: <MessagesSquare size={20} />,
  count: (doc) => listThreads(doc).threads.length,
  HomeCard: ThreadsHomeCard,
  Panel: ThreadsPanel,
  Badge: ThreadsBadge,
};
