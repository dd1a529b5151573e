//! docs/push.md: pushes owed by committed entries (triggers, push config, secrecy), queued in
//! storage, sent from the alarm in batches, retried with backoff on the fake clock, expired
//! ones dropped; none before D1 confirmed the entry that owes it.

use super::*;
use crate::limits::FLUSH_DELAY_MS;
use crate::push::triggers::PushIntent;
use crate::room::host::{push_backoff_ms, PushBatch, PushOutcome, PUSH_TIMEOUT_MS};

/// RFC 8291 Appendix A's application server key, as the secret.
const VAPID: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";

fn batches(fx: &[Effect]) -> Vec<PushBatch> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SendPushes(b) => Some(b.clone()),
            _ => None,
        })
        .collect()
}

fn queued(rig: &Rig) -> Vec<PushIntent> {
    rig.host
        .store()
        .pushes
        .as_deref()
        .map(|j| serde_json::from_str(j).unwrap())
        .unwrap_or_default()
}

fn push_room() -> Rig {
    let mut rig = Rig::new(config_with(&[("VAPID_PRIVATE_KEY", VAPID)]));
    assert!(rig.host.config.push);
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    rig
}

/// D1 confirms what `fx` started writing, then the flush the alarm starts `FLUSH_DELAY_MS`
/// later: everything committed so far is in D1 after it. No push left before (asserted).
fn confirm(rig: &mut Rig, fx: &[Effect]) {
    rig.answer_d1(fx, Ok(()));
    rig.advance(FLUSH_DELAY_MS);
    let fx = rig.step(Input::Alarm);
    assert!(batches(&fx).is_empty(), "a push before D1 confirmed it");
    rig.answer_d1(&fx, Ok(()));
}

/// Rings the alarm until the queue is empty, D1 confirming every write and every push answered
/// `Delivered`; returns what was sent.
fn deliver_all(rig: &mut Rig) -> Vec<PushIntent> {
    let mut all = Vec::new();
    for _ in 0..40 {
        rig.advance(FLUSH_DELAY_MS);
        let fx = rig.step(Input::Alarm);
        rig.answer_d1(&fx, Ok(()));
        match batches(&fx).first() {
            Some(b) => {
                assert_eq!(b.game_id, GAME);
                let outcomes = vec![PushOutcome::Delivered; b.intents.len()];
                rig.step(Input::PushDone(Ok(outcomes)));
                all.extend(b.intents.clone());
            }
            None if queued(rig).is_empty() => break,
            None => {}
        }
    }
    assert!(queued(rig).is_empty());
    all
}

fn to(intents: &[PushIntent], trigger: &str) -> Vec<String> {
    intents
        .iter()
        .filter(|i| i.trigger == trigger)
        .map(|i| i.player_id.clone())
        .collect()
}

#[test]
fn without_a_vapid_key_nothing_is_queued_or_sent() {
    let mut rig = Rig::admin_room();
    assert!(!rig.host.config.push);
    rig.inject("START_DAY");
    rig.admin(json!({ "type": "ELIMINATE_PLAYER", "playerId": "p3" }));
    assert!(rig.host.store().pushes.is_none());
    assert!(batches(&rig.step(Input::Alarm)).is_empty());
    // An unusable key is no key.
    let rig = Rig::new(config_with(&[("VAPID_PRIVATE_KEY", "not-a-key")]));
    assert!(!rig.host.config.push);
}

#[test]
fn a_dm_and_an_elimination_are_pushed_to_whom_they_concern_and_a_trigger_switched_off_is_not() {
    let mut rig = push_room();
    let fx = rig.inject("START_DAY");
    rig.answer_d1(&fx, Ok(()));
    let fx = rig.inject("OPEN_DMS");
    rig.answer_d1(&fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(to(&sent, "DAY_START"), ["p1", "p2", "p3", "p4"]);
    assert_eq!(to(&sent, "OPEN_DMS"), ["p1", "p2", "p3", "p4"]);
    // A DM: its recipient only, with its text; never the sender.
    let s1 = rig.connect("p1");
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"SOCIAL.SEND_MSG","targetId":"p2","content":"meet me at the fountain"}"#,
    );
    assert_eq!(queued(&rig).len(), 1);
    // Nothing leaves the room before D1 holds the DM's entry.
    let alarm_fx = rig.step(Input::Alarm);
    assert!(batches(&alarm_fx).is_empty(), "not before D1 confirmed it");
    rig.answer_d1(&fx, Ok(()));
    rig.answer_d1(&alarm_fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let dm = &sent[0];
    assert_eq!(
        (
            dm.player_id.as_str(),
            dm.trigger.as_str(),
            dm.title.as_str(),
            dm.body.as_str()
        ),
        ("p2", "DM_SENT", "Player 1", "meet me at the fountain")
    );
    // A whisper: its target is told, without the text; nobody else hears of it.
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"SOCIAL.WHISPER","targetId":"p3","text":"the secret plan"}"#,
    );
    rig.answer_d1(&fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(to(&sent, "WHISPER"), ["p3"]);
    assert!(sent
        .iter()
        .all(|i| !i.body.contains("secret") && !i.title.contains("secret")));
    // An elimination: everyone.
    let fx = rig.admin(json!({ "type": "ELIMINATE_PLAYER", "playerId": "p3" }));
    rig.answer_d1(&fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(to(&sent, "ELIMINATION"), ["p1", "p2", "p3", "p4"]);
    assert_eq!(sent[0].title, "Player 3 is OUT");
    // Switched off: no push at all.
    rig.admin(json!({ "type": "UPDATE_PUSH_CONFIG", "pushConfig": { "ELIMINATION": false } }));
    rig.admin(json!({ "type": "ELIMINATE_PLAYER", "playerId": "p4" }));
    assert!(queued(&rig).is_empty());
    assert!(batches(&rig.step(Input::Alarm)).is_empty());
}

#[test]
fn a_failed_batch_backs_off_and_a_failed_push_is_retried_a_bounded_number_of_times() {
    let mut rig = push_room();
    let fx = rig.inject("START_DAY");
    confirm(&mut rig, &fx);
    let fx = rig.step(Input::Alarm);
    let b = batches(&fx).remove(0);
    assert_eq!(b.intents.len(), 4);
    // One in flight at a time.
    assert!(batches(&rig.step(Input::Alarm)).is_empty());
    // D1 down: the whole batch again after the backoff.
    let fx = rig.step(Input::PushDone(Err("D1 is unavailable".into())));
    let retry = rig.now + push_backoff_ms(1);
    assert_eq!(alarm(&fx), Some(Some(retry)));
    rig.now = retry - 1;
    assert!(
        batches(&rig.step(Input::Alarm)).is_empty(),
        "not before the retry"
    );
    rig.now = retry;
    let b = batches(&rig.step(Input::Alarm)).remove(0);
    assert_eq!(b.intents.len(), 4);
    // p1 delivered, p2 has no subscription, p3's is gone, p4's push service fails.
    let fx = rig.step(Input::PushDone(Ok(vec![
        PushOutcome::Delivered,
        PushOutcome::NoSubscription,
        PushOutcome::Pruned,
        PushOutcome::Failed("the push service answered 503".into()),
    ])));
    assert_eq!(to(&queued(&rig), "DAY_START"), ["p4"]);
    let retry = rig.now + push_backoff_ms(2);
    assert_eq!(alarm(&fx), Some(Some(retry)));
    // p4 fails on every try: dropped after PUSH_MAX_ATTEMPTS sends.
    let mut sends = 1;
    loop {
        rig.now += push_backoff_ms(10);
        let Some(b) = batches(&rig.step(Input::Alarm)).pop() else {
            break;
        };
        sends += 1;
        assert_eq!(to(&b.intents, "DAY_START"), ["p4"]);
        rig.step(Input::PushDone(Ok(vec![PushOutcome::Failed("503".into())])));
    }
    assert_eq!(sends, crate::room::host::push::PUSH_MAX_ATTEMPTS);
    assert!(queued(&rig).is_empty());
}

#[test]
fn pushes_past_their_ttl_are_dropped_and_a_batch_never_starts_just_before_a_task() {
    let mut rig = push_room();
    rig.inject("START_DAY");
    assert_eq!(queued(&rig).len(), 4);
    rig.advance(3_600_000);
    assert!(batches(&rig.step(Input::Alarm)).is_empty());
    assert!(queued(&rig).is_empty(), "an hour later: expired");
    // A timed room whose first task falls due within PUSH_TIMEOUT_MS: the batch waits for it.
    let start = T0 + 60_000;
    let mut rig = Rig::new(config_with(&[("VAPID_PRIVATE_KEY", VAPID)]));
    let fx = rig.create(&init_body("PRE_SCHEDULED", start));
    rig.answer_d1(&fx, Ok(()));
    let fx = rig
        .admin(json!({ "type": "SEND_GAME_MASTER_MSG", "content": "welcome", "targetId": "p1" }));
    assert_eq!(queued(&rig).len(), 1, "{:?}", reply(&fx));
    confirm(&mut rig, &fx);
    rig.now = start - PUSH_TIMEOUT_MS;
    assert!(batches(&rig.step(Input::Alarm)).is_empty());
    rig.now = start - PUSH_TIMEOUT_MS - 1;
    let b = batches(&rig.step(Input::Alarm));
    assert_eq!(b.len(), 1);
    assert_eq!(
        (
            b[0].intents[0].trigger.as_str(),
            b[0].intents[0].body.as_str()
        ),
        ("DM_SENT", "welcome")
    );
}

#[test]
fn a_main_message_pushes_once_per_recipient_reply_before_mention_before_group_chat() {
    let mut rig = push_room();
    for a in ["START_DAY", "OPEN_GROUP_CHAT"] {
        let fx = rig.inject(a);
        rig.answer_d1(&fx, Ok(()));
    }
    deliver_all(&mut rig);
    let s2 = rig.connect("p2");
    let fx = rig.frame(
        &s2,
        "p2",
        r#"{"type":"SOCIAL.SEND_MSG","content":"who is with me?"}"#,
    );
    rig.answer_d1(&fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(
        to(&sent, "GROUP_CHAT_MSG"),
        ["p1", "p3", "p4"],
        "not the sender"
    );
    let id = rig.state()["chat"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["content"] == "who is with me?")
        .map(|m| m["id"].clone())
        .unwrap();
    // p1 answers p2 and names p2 and p3: p2 gets the reply only, p3 the mention, p4 the message.
    let s1 = rig.connect("p1");
    let msg = json!({ "type": "SOCIAL.SEND_MSG", "content": "me, and @Player 3",
                      "replyTo": id, "mentionedIds": ["p2", "p3"] });
    let fx = rig.frame(&s1, "p1", &msg.to_string());
    rig.answer_d1(&fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(to(&sent, "REPLY"), ["p2"]);
    assert_eq!(to(&sent, "MENTION"), ["p3"]);
    assert_eq!(to(&sent, "GROUP_CHAT_MSG"), ["p4"]);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[0].title, "Player 1 replied to you");
    // MENTION off: p3 falls back to the group-chat push.
    rig.admin(json!({ "type": "UPDATE_PUSH_CONFIG", "pushConfig": { "MENTION": false } }));
    let msg = json!({ "type": "SOCIAL.SEND_MSG", "content": "@Player 3?", "mentionedIds": ["p3"] });
    let fx = rig.frame(&s1, "p1", &msg.to_string());
    rig.answer_d1(&fx, Ok(()));
    let sent = deliver_all(&mut rig);
    assert_eq!(to(&sent, "MENTION"), Vec::<String>::new());
    assert_eq!(to(&sent, "GROUP_CHAT_MSG"), ["p2", "p3", "p4"]);
}
