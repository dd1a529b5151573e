//! The room's WebSockets (hibernation API): their handles by the name the host uses
//! (`SocketId::cid`, kept in the socket's attachment), accepting, sending and closing.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use worker::{Response, State, WebSocket, WebSocketPair};

use crate::room::host::SocketId;

#[derive(Default)]
pub(super) struct Sockets {
    by_name: RefCell<HashMap<String, WebSocket>>,
    /// Names for sockets without identity (closed right after accept): `anon-N`.
    anon: Cell<u64>,
}

impl Sockets {
    /// The authenticated sockets this room already has (they outlive hibernation and restarts),
    /// for a fresh instance of the host.
    pub(super) fn restore(&self, state: &State) -> Vec<SocketId> {
        let mut known = Vec::new();
        for ws in state.get_websockets() {
            if let Ok(Some(id)) = ws.deserialize_attachment::<SocketId>() {
                self.by_name.borrow_mut().insert(id.cid.clone(), ws);
                known.push(id);
            }
        }
        known
    }

    /// The name and identity of the socket an event came from.
    pub(super) fn identify(&self, ws: &WebSocket) -> (String, Option<SocketId>) {
        let (name, identity) = match ws.deserialize_attachment::<SocketId>() {
            Ok(Some(id)) => (id.cid.clone(), Some(id)),
            _ => {
                self.anon.set(self.anon.get() + 1);
                (format!("anon-{}", self.anon.get()), None)
            }
        };
        self.by_name.borrow_mut().insert(name.clone(), ws.clone());
        (name, identity)
    }

    pub(super) fn forget(&self, name: &str) {
        self.by_name.borrow_mut().remove(name);
    }

    /// Answers an upgrade request: the server end is accepted (hibernation API) under `name`,
    /// with `identity` as its attachment.
    pub(super) fn accept(
        &self,
        state: &State,
        name: String,
        identity: Option<&SocketId>,
    ) -> worker::Result<Response> {
        let pair = WebSocketPair::new()?;
        state.accept_web_socket(&pair.server);
        if let Some(id) = identity {
            pair.server.serialize_attachment(id)?;
        }
        self.by_name.borrow_mut().insert(name, pair.server);
        Response::from_websocket(pair.client)
    }

    /// Sends a text frame; a socket that is gone is skipped (its close event tells the host).
    pub(super) fn send(&self, name: &str, text: &str) {
        if let Some(ws) = self.by_name.borrow().get(name) {
            let _ = ws.send_with_str(text);
        }
    }

    /// Replaces the attachment of the open socket `identity.cid` (a structured clone kept by
    /// the runtime with the socket, no storage write); a socket that is gone is skipped.
    pub(super) fn attach(&self, identity: &SocketId) {
        if let Some(ws) = self.by_name.borrow().get(&identity.cid) {
            if let Err(e) = ws.serialize_attachment(identity) {
                worker::console_error!("socket attachment not written: {e}");
            }
        }
    }

    pub(super) fn close(&self, name: &str, code: u16, reason: &str) {
        if let Some(ws) = self.by_name.borrow_mut().remove(name) {
            let _ = ws.close(Some(code), Some(reason));
        }
    }
}
