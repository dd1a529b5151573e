// MAIN chat with reactions and whispers (docs/rules.md §2, §3, §5), and the composer shared with
// the DMs: replies, @mentions and the typing line (docs/client.md, "Replies, mentions and typing").
import { useRef, useState } from 'preact/hooks';
import { mentionsIn, segments, typers, typingLine, withMention, type Person } from '../compose';
import { others, useGame } from '../ctx';
import type { ChatMessage, Emoji, RedactedWhisper } from '../types';
import { clock, name, names } from '../words';
import { PlayerSelect, Section, TextForm, useId } from './common';

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

export function Message({ m, channel, onReply }: { m: ChatMessage | RedactedWhisper; channel?: string; onReply?: (m: ChatMessage) => void }) {
  const { v } = useGame();
  const mine = m.from === v.you;
  if (!('content' in m)) {
    return (
      <li class="msg whisper redacted">
        <span class="who">{name(v, m.from)}</span> whispered to someone. <time>{clock(m.atMs)}</time>
      </li>
    );
  }
  // Replies and mentions (docs/rules.md §2.1): `@Name` of a mentioned player is marked in the
  // text; mentions the text does not spell out are listed after the name.
  const replied = m.replyTo != null ? find(v, channel, m.replyTo) : undefined;
  const mentions = m.mentionedIds ?? [];
  const mentionsMe = !!v.you && mentions.includes(v.you);
  const people = v.roster.filter((p) => mentions.includes(p.id));
  const parts = segments(m.content, people);
  const unspelled = mentions.filter((id) => !parts.some((x) => x.at === id));
  return (
    <li class={`msg ${mine ? 'mine' : ''} ${m.whisper ? 'whisper' : ''} ${mentionsMe ? 'mention' : ''}`} data-testid="message">
      {m.replyTo != null ? (
        <div class="reply-to" data-testid="reply-to">
          ↩ {replied ? `${name(v, replied.from)}: ${'content' in replied ? replied.content.slice(0, 60) : '(a whisper)'}` : 'an earlier message'}
        </div>
      ) : null}
      <div>
        <span class="who">{name(v, m.from)}</span>
        {m.whisper ? <span class="tag"> whisper to {name(v, m.whisperTo)}</span> : null}
        {unspelled.length ? <span class="tag"> @{names(v, unspelled)}</span> : null} <time>{clock(m.atMs)}</time>
        {mentionsMe ? <span class="sr-only"> (mentions you)</span> : null}
      </div>
      <p class="text">
        {parts.map((x, i) =>
          x.at ? (
            <mark key={i} class={`at ${x.at === v.you ? 'me' : ''}`} data-testid="mention">
              {x.text}
            </mark>
          ) : (
            x.text
          ),
        )}
      </p>
      <div class="row wrap">
        <Reactions m={m} channel={channel} />
        {onReply ? (
          <button type="button" class="btn" aria-label={`Reply to ${name(v, m.from)}`} onClick={() => onReply(m)}>
            Reply
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** Who is typing in `channel`, in words, for everyone but the viewer (an `aria-live` line). */
export function TypingLine({ channel }: { channel: string }) {
  const { v, typing, now } = useGame();
  const who = typers(typing, channel, now).filter((p) => p !== v.you);
  return (
    <p class="typing note" aria-live="polite" data-testid="typing">
      {typingLine(who.map((p) => name(v, p)))}
    </p>
  );
}

/** The message field of a channel (`MAIN` or a conversation id): the message being answered,
 * an @mention picker, and typing signals while the player writes. */
export function Composer(props: {
  channel: string;
  label: string;
  disabled?: boolean;
  disabledWhy?: string;
  people: Person[];
  reply: ChatMessage | null;
  cancelReply: () => void;
  send: (content: string, extra: { replyTo?: number; mentionedIds?: string[] }) => Promise<boolean>;
}) {
  const { v, composing } = useGame();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId('msg');
  const field = useRef<HTMLInputElement>(null);
  const change = (t: string) => {
    setText(t);
    composing(t ? props.channel : null);
  };
  return (
    <form
      class="textform composer"
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy || props.disabled || !text.trim()) return;
        setBusy(true);
        try {
          const mentionedIds = mentionsIn(text, props.people);
          const extra = { ...(props.reply ? { replyTo: props.reply.id } : {}), ...(mentionedIds.length ? { mentionedIds } : {}) };
          if (await props.send(text, extra)) {
            change('');
            props.cancelReply();
          }
        } finally {
          setBusy(false);
        }
      }}
    >
      <TypingLine channel={props.channel} />
      {props.reply ? (
        <div class="replying row" data-testid="replying">
          <span>
            Replying to {name(v, props.reply.from)}: “{props.reply.content.slice(0, 60)}”
          </span>
          <button type="button" class="btn" onClick={props.cancelReply}>
            Cancel reply
          </button>
        </div>
      ) : null}
      <label for={id}>{props.label}</label>
      <div class="row">
        <input
          id={id}
          ref={field}
          type="text"
          value={text}
          maxLength={280}
          disabled={props.disabled}
          autocomplete="off"
          onInput={(e) => change((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="btn primary" disabled={props.disabled || busy || !text.trim()}>
          Send
        </button>
      </div>
      {props.people.length && !props.disabled ? (
        <div class="field">
          <label for={`${id}-at`}>Mention</label>
          <select
            id={`${id}-at`}
            value=""
            onChange={(e) => {
              const p = props.people.find((x) => x.id === (e.target as HTMLSelectElement).value);
              if (!p) return;
              change(withMention(text, p.personaName));
              field.current?.focus();
            }}
          >
            <option value="">@ a player…</option>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.personaName}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {props.disabled && props.disabledWhy ? <p class="note">{props.disabledWhy}</p> : null}
    </form>
  );
}

export function ChatTab() {
  const { v, act } = useGame();
  const [to, setTo] = useState('');
  const [reply, setReply] = useState<ChatMessage | null>(null);
  const meAlive = v.roster.find((p) => p.id === v.you)?.alive ?? false;
  const summary = v.phase === 'GAME_SUMMARY';
  const canPost = summary || (v.phase === 'DAY' && meAlive && v.groupChatOpen);
  const why = !meAlive && !summary ? 'You have been eliminated: you can read but not post.' : v.phase !== 'DAY' && !summary ? 'The chat opens during the day.' : 'The group chat is closed right now.';
  return (
    <>
      <Section title="Group chat" id="chat">
        <ul class="chat" aria-label="Messages" aria-live="polite" data-testid="main-chat">
          {v.chat.map((m) => (
            <Message key={m.id} m={m} onReply={canPost ? setReply : undefined} />
          ))}
          {!v.chat.length ? <li class="note">No messages today yet.</li> : null}
        </ul>
        <Composer
          channel="MAIN"
          label="Message everyone"
          disabled={!canPost}
          disabledWhy={why}
          people={others(v)}
          reply={reply}
          cancelReply={() => setReply(null)}
          send={(content, extra) => act({ type: 'SOCIAL.SEND_MSG', content, ...extra })}
        />
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
