//! The native test suite, as one test binary (one link instead of one per file): each module
//! is one area (`cargo test --test it golden::`, `cargo test --test it voting_`).

// Shared helpers (each test module uses them as `crate::<name>`).
mod common;
mod content;
#[allow(dead_code)]
mod destiny_games;
mod games_support;
mod schema_support;
mod voting_common;

// One module per former test file.
mod abandon;
mod admin_requests;
mod alarm_props;
mod chat_limits;
mod chat_refs;
mod confession;
mod content_props;
mod d1_lifecycle;
mod destiny;
mod destiny_sql;
mod dilemmas;
mod docs_examples;
mod economy_props;
mod fixture_game;
mod games_arcade;
mod games_manifest;
mod games_props;
mod games_realtime_trivia;
mod games_sync;
mod games_the_split;
mod games_touch_screen;
mod games_trivia;
mod golden;
mod inactivity;
mod init_validation;
mod lobby_payloads;
mod log_lines;
mod message_ids;
mod operator;
mod po_token;
mod pregame;
mod prompts;
mod prop_fold;
mod push_crypto;
mod rules_version;
mod schema_evolution;
mod schemas;
mod secrets;
mod snapshot_versions;
mod social;
mod social_days;
mod tamper;
mod ticker;
mod timeline_actions;
mod typescript;
mod voting_bubble;
mod voting_duels;
mod voting_executioner;
mod voting_finals;
mod voting_majority;
mod voting_podium_sacrifice;
mod voting_projection;
mod voting_properties;
mod voting_second_to_last;
mod voting_shield;
mod voting_trust_pairs;
