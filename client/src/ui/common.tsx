import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useGame } from '../ctx';
import { name } from '../words';

let uid = 0;
/** A stable id for label/control pairs. */
export function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++uid}`);
  return id;
}

export function Section(props: { title: string; children: ComponentChildren; id?: string; note?: ComponentChildren }) {
  const hid = useId('h');
  return (
    <section class="card" aria-labelledby={hid} id={props.id}>
      <h2 id={hid}>{props.title}</h2>
      {props.note ? <p class="note">{props.note}</p> : null}
      {props.children}
    </section>
  );
}

/** A button that is disabled while its action is in flight. */
export function Act(props: {
  onClick: () => Promise<unknown> | void;
  children: ComponentChildren;
  disabled?: boolean;
  kind?: 'primary' | 'secondary' | 'danger';
  label?: string;
  pressed?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class={`btn ${props.kind ?? 'secondary'}`}
      disabled={props.disabled || busy}
      aria-label={props.label}
      aria-pressed={props.pressed}
      onClick={async () => {
        setBusy(true);
        try {
          await props.onClick();
        } finally {
          setBusy(false);
        }
      }}
    >
      {props.children}
    </button>
  );
}

/** A labelled select of players. */
export function PlayerSelect(props: {
  label: string;
  ids: readonly string[];
  value: string;
  onChange: (id: string) => void;
  placeholder?: string;
}) {
  const { v } = useGame();
  const id = useId('sel');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{props.placeholder ?? 'Choose a player…'}</option>
        {props.ids.map((p) => (
          <option key={p} value={p}>
            {name(v, p)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A one-line form: a labelled input and a submit button; clears on success. */
export function TextForm(props: {
  label: string;
  button: string;
  onSubmit: (text: string) => Promise<boolean>;
  disabled?: boolean;
  disabledWhy?: string;
  maxLength?: number;
  multiline?: boolean;
  placeholder?: string;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId('txt');
  const max = props.maxLength ?? 280;
  return (
    <form
      class="textform"
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy || props.disabled) return;
        setBusy(true);
        try {
          if (await props.onSubmit(text)) setText('');
        } finally {
          setBusy(false);
        }
      }}
    >
      <label for={id}>{props.label}</label>
      <div class="row">
        {props.multiline ? (
          <textarea
            id={id}
            value={text}
            maxLength={max}
            rows={2}
            placeholder={props.placeholder}
            disabled={props.disabled}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={text}
            maxLength={max}
            placeholder={props.placeholder}
            disabled={props.disabled}
            autocomplete="off"
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        )}
        <button type="submit" class="btn primary" disabled={props.disabled || busy || !text.trim()}>
          {props.button}
        </button>
      </div>
      {props.disabled && props.disabledWhy ? <p class="note">{props.disabledWhy}</p> : null}
    </form>
  );
}

/** A labelled whole-number input. */
export function NumberField(props: { label: string; value: string; onChange: (v: string) => void; min?: number; max?: number }) {
  const id = useId('num');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={props.min ?? 0}
        max={props.max}
        step={1}
        value={props.value}
        onInput={(e) => props.onChange((e.target as HTMLInputElement).value)}
      />
    </div>
  );
}

/** A whole number ≥ min from a text field, or null. */
export function whole(s: string, min = 0): number | null {
  if (!/^\d+$/.test(s.trim())) return null;
  const n = Number(s.trim());
  return Number.isSafeInteger(n) && n >= min ? n : null;
}

/** A radio group of choices (keyboard: arrow keys move between them). */
export function Choices(props: {
  legend: string;
  options: { value: string; label: ComponentChildren }[];
  value: string;
  onChange: (v: string) => void;
}) {
  const group = useId('grp');
  return (
    <fieldset class="choices">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} class={`choice ${props.value === o.value ? 'on' : ''}`}>
          <input
            type="radio"
            name={group}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
