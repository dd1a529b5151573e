// DMs and group DMs with the day's budgets (docs/rules.md §4).
import { useState } from 'preact/hooks';
import { others, useGame } from '../ctx';
import type { ChatMessage, DmChannel } from '../types';
import { name, names } from '../words';
import { Act, PlayerSelect, Section, TextForm } from './common';
import { Composer, Message } from './chat';

function Budgets() {
  const { v } = useGame();
  const s = v.dmStats;
  const r = v.dmRules;
  return (
    <dl class="budgets" aria-label="Today's DM budget">
      {s ? (
        <>
          <dt>Characters</dt>
          <dd>
            {s.charsUsed} / {s.charsLimit}
          </dd>
          <dt>Partners</dt>
          <dd>
            {s.partnersUsed} / {s.partnersLimit}
          </dd>
          <dt>Conversations</dt>
          <dd>
            {s.slotsUsed} / {s.slotsLimit}
          </dd>
          <dt>Groups opened</dt>
          <dd>
            {s.groupsUsed} / {s.groupsLimit}
          </dd>
        </>
      ) : null}
      <dt>Cost per message</dt>
      <dd>{r.dmCost} silver</dd>
      {r.requireDmInvite ? (
        <>
          <dt>Invites</dt>
          <dd>needed today</dd>
        </>
      ) : null}
    </dl>
  );
}

function Channel({ c }: { c: DmChannel }) {
  const { v, act } = useGame();
  const [add, setAdd] = useState('');
  const [reply, setReply] = useState<ChatMessage | null>(null);
  const invited = c.status === 'INVITED';
  const addable = others(v)
    .map((p) => p.id)
    .filter((p) => !c.members.includes(p) && !c.pending.includes(p));
  return (
    <details class="channel" open>
      <summary>
        {c.kind === 'GROUP_DM' ? 'Group' : 'DM'} with {names(v, [...c.members, ...c.pending].filter((p) => p !== v.you))}
        {invited ? ' — invitation' : ''}
      </summary>
      {c.pending.length ? <p class="note">Invited: {names(v, c.pending)}</p> : null}
      <ul class="chat" aria-label="Messages" aria-live="polite">
        {c.messages.map((m) => (
          <Message key={m.id} m={m} channel={c.channelId} onReply={!invited && v.dmsOpen ? setReply : undefined} />
        ))}
      </ul>
      {invited ? (
        <div class="row wrap">
          <Act kind="primary" onClick={() => act({ type: 'SOCIAL.ACCEPT_DM', channelId: c.channelId }, 'Joined')}>
            Accept
          </Act>
          <Act onClick={() => act({ type: 'SOCIAL.DECLINE_DM', channelId: c.channelId })}>Decline</Act>
        </div>
      ) : (
        <Composer
          channel={c.channelId}
          label={`Write to ${names(v, c.members.filter((p) => p !== v.you))}`}
          disabled={!v.dmsOpen}
          disabledWhy="DMs are closed right now."
          people={others(v)}
          reply={reply}
          cancelReply={() => setReply(null)}
          send={(content, extra) => act({ type: 'SOCIAL.SEND_MSG', channelId: c.channelId, content, ...extra })}
        />
      )}
      {c.creator === v.you && v.dmsOpen && addable.length ? (
        <div class="row wrap">
          <PlayerSelect label="Add someone" ids={addable} value={add} onChange={setAdd} />
          <Act disabled={!add} onClick={() => act({ type: 'SOCIAL.ADD_MEMBER', channelId: c.channelId, memberIds: [add] }, `Added ${name(v, add)}`)}>
            Add
          </Act>
        </div>
      ) : null}
    </details>
  );
}

function NewConversation() {
  const { v, act } = useGame();
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) => setPicked(picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id]);
  return (
    <Section title="New conversation" note="Pick one player for a DM, several for a group.">
      <fieldset class="choices">
        <legend>Recipients</legend>
        {others(v).map((p) => (
          <label key={p.id} class={`choice ${picked.includes(p.id) ? 'on' : ''}`}>
            <input type="checkbox" checked={picked.includes(p.id)} onChange={() => toggle(p.id)} /> <span>{p.personaName}</span>
          </label>
        ))}
      </fieldset>
      <TextForm
        label="First message"
        button="Send"
        disabled={!picked.length || !v.dmsOpen}
        disabledWhy={!v.dmsOpen ? 'DMs are closed right now.' : 'Pick at least one player.'}
        onSubmit={async (content) => {
          const ok = await act({ type: 'SOCIAL.SEND_MSG', recipientIds: picked, content });
          if (ok) setPicked([]);
          return ok;
        }}
      />
      {picked.length >= 2 ? (
        <Act disabled={!v.dmsOpen} onClick={async () => (await act({ type: 'SOCIAL.CREATE_CHANNEL', memberIds: picked }, 'Group opened')) && setPicked([])}>
          Open an empty group
        </Act>
      ) : null}
    </Section>
  );
}

export function DmsTab() {
  const { v } = useGame();
  const alive = v.roster.find((p) => p.id === v.you)?.alive ?? false;
  const dms = v.dms ?? [];
  return (
    <>
      <Section title="Direct messages" note={v.dmsOpen ? 'DMs are open.' : 'DMs are closed right now.'}>
        <Budgets />
      </Section>
      {dms.map((c) => (
        <Channel key={c.channelId} c={c} />
      ))}
      {!dms.length ? <p class="note pad">No conversations today.</p> : null}
      {alive && v.phase === 'DAY' ? <NewConversation /> : null}
    </>
  );
}
