//! The stable error codes as schema types. Each list is the enum's own `all_codes()` (the
//! `stable_codes!` table of `engine::error`), so a new code is listed by construction; the unions
//! (`ErrorCode`, `HttpErrorCode`) are derived from the lists they join.

use crate::engine::manifest::FieldErrorCode;
use crate::engine::Rejection;
use crate::room::protocol::ProtocolError;
use crate::room::route::RouteError;
use crate::room::session::SessionError;
use crate::room::{AdminError, RoomError};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

/// One closed list of codes: `$name`'s schema is a string enum of `$enum::all_codes()`.
macro_rules! code_list {
    ($name:ident, $enum:ty, $description:literal) => {
        #[doc = $description]
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "enum": <$enum>::all_codes(),
                    "description": $description,
                })
            }
        }
    };
}

code_list!(
    ProtocolErrorCode,
    ProtocolError,
    "A client frame refused before the engine (never journaled): room::protocol::ProtocolError."
);
code_list!(
    RejectionCode,
    Rejection,
    "An input the engine refused (journaled as REJECTED:<code>): engine::Rejection."
);
code_list!(
    RoomErrorCode,
    RoomError,
    "A room-level failure (room::RoomError); an engine refusal carries its RejectionCode instead."
);
code_list!(
    SessionErrorCode,
    SessionError,
    "The socket itself, not the frame or the rules (room::session::SessionError): rate limit, expired token, a failed commit. Nothing is journaled."
);
code_list!(
    AdminErrorCode,
    AdminError,
    "A `POST …/admin` body refused before the engine (HTTP 400, TOO_LARGE 413; never journaled): room::admin::AdminError."
);
code_list!(
    RouteErrorCode,
    RouteError,
    "A route refused the request itself (room::route::RouteError): authentication, method, game id, room existence, storage."
);

/// The `code` of an ERROR frame.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
pub enum ErrorCode {
    Protocol(ProtocolErrorCode),
    Rejection(RejectionCode),
    Room(RoomErrorCode),
    Session(SessionErrorCode),
}

/// The `code` of an HTTP error body: the route's own (RouteErrorCode), a refused /init or
/// player-joined body (RoomErrorCode), a refused admin body (AdminErrorCode), or the engine's
/// refusal (RejectionCode, HTTP 409).
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
pub enum HttpErrorCode {
    Route(RouteErrorCode),
    Room(RoomErrorCode),
    Admin(AdminErrorCode),
    Rejection(RejectionCode),
}

/// Every code list, for the generator: the unions and the lists no frame or body names alone.
pub fn add_all(g: &mut SchemaGenerator) {
    g.subschema_for::<ErrorCode>();
    g.subschema_for::<HttpErrorCode>();
    g.subschema_for::<FieldErrorCode>();
}
