// MAIN chat with reactions and whispers (docs/rules.md §2, §3, §5).
import { useState } from 'preact/hooks';
import { others, useGame } from '../ctx';
import type { ChatMessage, Emoji, RedactedWhisper } from '../types';
import { clock, name, names } from '../words';
import { PlayerSelect, Section, TextForm } from './common';

export const EMOJI: Emoji[] = ['😂', '👀', '🔥', '💀', '❤️'];

// Message ids are per channel (rules version 2, docs/protocol.md): a reaction on a DM names its
// conversation; without `channel` it is on MAIN.
export function Reactions({ m, channel }: { m: ChatMessage; channel?: string }) {
  const { v, act } = useGame();
  const alive = v.roster.find((p) => p.id === v.you)?.alive ?? false;
  return (
    <div class="reactions" role="group" aria-label="Reactions">
      {EMOJI.map((e) => {
        const r = m.reactions.find((x) => x.emoji === e);
        const mine = !!v.you && !!r?.players.includes(v.you);
        const n = r?.players.length ?? 0;
        if (!alive && !n) return null;
        return (
          <button
            type="button"
            key={e}
            class={`react ${mine ? 'on' : ''}`}
            aria-pressed={mine}
            aria-label={`${e} ${n}${mine ? ', yours' : ''}`}
            title={r ? r.players.map((p) => name(v, p)).join(', ') : undefined}
            disabled={!alive || v.phase !== 'DAY'}
            onClick={() => act({ type: 'SOCIAL.REACT', messageId: m.id, emoji: e, ...(channel ? { channelId: channel } : {}) })}
          >
            {e}
            {n ? <span class="count">{n}</span> : null}
          </button>
        );
      })}
    </div>
  );
}

// The message `id` of the same channel (MAIN, or the conversation `channel`), if the viewer has it.
function find(v: ReturnType<typeof useGame>['v'], channel: string | undefined, id: number): ChatMessage | RedactedWhisper | undefined {
  const list: Array<ChatMessage | RedactedWhisper> = channel ? (v.dms?.find((c) => c.channelId === channel)?.messages ?? []) : v.chat;
  return list.find((x) => x.id === id);
}

export function Message({ m, channel }: { m: ChatMessage | RedactedWhisper; channel?: string }) {
  const { v } = useGame();
  const mine = m.from === v.you;
  if (!('content' in m)) {
    return (
      <li class="msg whisper redacted">
        <span class="who">{name(v, m.from)}</span> whispered to someone. <time>{clock(m.atMs)}</time>
      </li>
    );
  }
  // Replies and mentions (docs/rules.md §2.1).
  const replied = m.replyTo != null ? find(v, channel, m.replyTo) : undefined;
  const mentions = m.mentionedIds ?? [];
  const mentionsMe = !!v.you && mentions.includes(v.you);
  return (
    <li class={`msg ${mine ? 'mine' : ''} ${m.whisper ? 'whisper' : ''} ${mentionsMe ? 'mention' : ''}`}>
      {m.replyTo != null ? (
        <div class="reply-to">
          ↩ {replied ? `${name(v, replied.from)}: ${'content' in replied ? replied.content.slice(0, 60) : '(a whisper)'}` : 'an earlier message'}
        </div>
      ) : null}
      <div>
        <span class="who">{name(v, m.from)}</span>
        {m.whisper ? <span class="tag"> whisper to {name(v, m.whisperTo)}</span> : null}
        {mentions.length ? <span class="tag"> @{names(v, mentions)}</span> : null} <time>{clock(m.atMs)}</time>
      </div>
      <p class="text">{m.content}</p>
      <Reactions m={m} channel={channel} />
    </li>
  );
}

export function ChatTab() {
  const { v, act } = useGame();
  const [to, setTo] = useState('');
  const meAlive = v.roster.find((p) => p.id === v.you)?.alive ?? false;
  const summary = v.phase === 'GAME_SUMMARY';
  const canPost = summary || (v.phase === 'DAY' && meAlive && v.groupChatOpen);
  const why = !meAlive && !summary ? 'You have been eliminated: you can read but not post.' : v.phase !== 'DAY' && !summary ? 'The chat opens during the day.' : 'The group chat is closed right now.';
  return (
    <>
      <Section title="Group chat" id="chat">
        <ul class="chat" aria-label="Messages" aria-live="polite" data-testid="main-chat">
          {v.chat.map((m) => (
            <Message key={m.id} m={m} />
          ))}
          {!v.chat.length ? <li class="note">No messages today yet.</li> : null}
        </ul>
        <TextForm label="Message everyone" button="Send" disabled={!canPost} disabledWhy={why} onSubmit={(content) => act({ type: 'SOCIAL.SEND_MSG', content })} />
      </Section>
      {meAlive && v.phase === 'DAY' ? (
        <Section title="Whisper" note="A line in the group chat only you and one player can read. Others see only that you whispered. Needs DMs open.">
          <PlayerSelect label="Whisper to" ids={others(v).map((p) => p.id)} value={to} onChange={setTo} />
          <TextForm
            label="Whisper"
            button="Whisper"
            disabled={!to || !v.dmsOpen}
            disabledWhy={!v.dmsOpen ? 'DMs are closed right now.' : 'Choose a player first.'}
            onSubmit={(text) => act({ type: 'SOCIAL.WHISPER', targetId: to, text })}
          />
        </Section>
      ) : null}
    </>
  );
}
